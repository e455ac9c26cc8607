"""The rule registry: each check's pure function, registered under its catalogue id."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reportgen.evaluate.findings import Evidence, Status
from reportgen.snapshot.model import Snapshot

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Result:
    """A rule's verdict on one resource; the evaluator turns it into a Finding.

    ``resource_type`` is ``None`` for the check's own resource type (the spec's).
    """

    status: Status
    resource_id: str
    resource_name: str
    evidence: Evidence = field(default_factory=dict)
    resource_type: str | None = None


RuleFunc = Callable[[Snapshot, Params, datetime], Iterable[Result]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: the parameters it reads and the evidence fields it produces."""

    check_id: str
    params: tuple[str, ...]
    evidence: tuple[str, ...]
    func: RuleFunc

    def __call__(self, snapshot: Snapshot, params: Params, as_of: datetime) -> list[Result]:
        return list(self.func(snapshot, params, as_of))


REGISTRY: dict[str, Rule] = {}

# Every rule may add these to an UNKNOWN result (see ``helpers.unknown``).
UNKNOWN_EVIDENCE = ("source", "source_status", "source_message", "reason")


def rule(
    check_id: str, *, params: tuple[str, ...] = (), evidence: tuple[str, ...] = ()
) -> Callable[[RuleFunc], RuleFunc]:
    """Register ``func`` as the rule of ``check_id``; ``params`` are the parameters it reads and
    ``evidence`` the fields every non-UNKNOWN result carries (the spec's placeholders)."""

    def register(func: RuleFunc) -> RuleFunc:
        if check_id in REGISTRY:
            raise ValueError(f"rule {check_id!r} registered twice")
        REGISTRY[check_id] = Rule(check_id, params, (*evidence, *UNKNOWN_EVIDENCE), func)
        return func

    return register
