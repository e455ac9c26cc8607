"""The rule registry: each check's pure function, registered under its catalogue id."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reportgen.evaluate.findings import Evidence, Status
from reportgen.evaluate.review import Review
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


@dataclass(frozen=True)
class Inputs:
    """What a rule may read besides the snapshot: documents the user supplied for this run."""

    review: Review | None = None
    """The access review of an earlier (or this) snapshot, to follow up its decisions."""


NO_INPUTS = Inputs()

RuleFunc = Callable[[Snapshot, Params, datetime], Iterable[Result]]
InputRuleFunc = Callable[[Snapshot, Params, datetime, Inputs], Iterable[Result]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: the parameters it reads and the evidence fields it produces."""

    check_id: str
    params: tuple[str, ...]
    evidence: tuple[str, ...]
    func: RuleFunc | None = None
    with_inputs: InputRuleFunc | None = None

    def __call__(
        self, snapshot: Snapshot, params: Params, as_of: datetime, inputs: Inputs = NO_INPUTS
    ) -> list[Result]:
        if self.with_inputs is not None:
            return list(self.with_inputs(snapshot, params, as_of, inputs))
        assert self.func is not None  # one of the two is always set by the decorators
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


def input_rule(
    check_id: str, *, params: tuple[str, ...] = (), evidence: tuple[str, ...] = ()
) -> Callable[[InputRuleFunc], InputRuleFunc]:
    """Like :func:`rule`, for a rule that also reads the run's :class:`Inputs` (the review)."""

    def register(func: InputRuleFunc) -> InputRuleFunc:
        if check_id in REGISTRY:
            raise ValueError(f"rule {check_id!r} registered twice")
        evidence_all = (*evidence, *UNKNOWN_EVIDENCE)
        REGISTRY[check_id] = Rule(check_id, params, evidence_all, with_inputs=func)
        return func

    return register
