"""Service control policies: the organization's cap on what a member account's principals can
do (docs/least-privilege.md).

An action is allowed only if the SCPs of every level, from the organization root through each
OU down to the account, allow it (each level: any of its SCPs) and no SCP at any level denies
it. SCPs never restrict the management account or service-linked roles.

An SCP can only take permissions away, so a chain the snapshot lacks, or cannot read whole,
is not applied: the verdict then rests on the identity policies alone and can only report
more than the principal can do, never less. That is stated with the verdicts
(:func:`scp_state`), never turned into a PASS.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reportgen.evaluate.actions import action_index
from reportgen.evaluate.permissions import (
    DocGrants,
    Effective,
    Grant,
    cap_by,
    decide_one,
    fold_statements,
    merge,
    union,
)
from reportgen.evaluate.policy import PolicyDocumentError, Statement, statements
from reportgen.snapshot.model import Snapshot, Src
from reportgen.snapshot.services import ScpLevel

# How the chain stands for one account (``reasons.po`` has a sentence for each).
APPLIED = "scp_applied"
NOT_READ = "scp_not_read"
UNUSABLE = "scp_unusable"


@dataclass(frozen=True)
class ScpChain:
    """An account's SCPs, parsed: per level, per policy, its statements; and their cap."""

    levels: tuple[ScpLevel, ...]
    parsed: tuple[tuple[tuple[Statement, ...], ...], ...]
    folded: tuple[tuple[DocGrants, ...], ...]
    cap: Effective
    _capping: dict[tuple[int, str, Grant], tuple[str, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _decided: dict[tuple[object, ...], Grant] = field(
        default_factory=dict, compare=False, repr=False
    )

    def decide(
        self,
        action: str,
        resource: str,
        context: Mapping[str, str],
        username: str | None = None,
    ) -> Grant:
        """What the chain allows for one request: the least of its levels' answers (an action
        every level allows on every resource, with no Deny of it anywhere, needs no look)."""
        bit = action_index().bit(action)
        if bit and bit & self.cap.full_all:
            return Grant.ALLOWED
        key = (action, resource, tuple(sorted(context.items())), username)
        found = self._decided.get(key)
        if found is None:
            found = Grant.ALLOWED
            for level in self.parsed:
                verdicts = [decide_one(d, action, resource, context, username) for d in level]
                found = min(found, merge(verdicts))
                if found is Grant.NONE:
                    break
            self._decided[key] = found
        return found

    def labels(self) -> tuple[str, ...]:
        """Each level's name for evidence and the report (root, ``OU <name>``, account id)."""
        return tuple(_level_label(level) for level in self.levels)

    def capping(self, actions: int, scope: str, before: Grant) -> tuple[str, ...]:
        """``level: policy`` labels of the SCPs that lower a grant of ``actions`` below
        ``before``: at each level that allows less, its SCPs that deny some of them, or all its
        SCPs when it is their allow-list that leaves them out."""
        key = (actions, scope, before)
        if key in self._capping:
            return self._capping[key]
        found: list[str] = []
        for level, folded in zip(self.levels, self.folded, strict=True):
            if union(folded).grant(actions, scope) >= before:
                continue
            deny = [
                policy.name
                for policy, f in zip(level.policies, folded, strict=True)
                if (f.deny_all | f.deny_part | f.deny_cond) & actions
            ]
            names = deny or [policy.name for policy in level.policies]
            found += [f"{_level_label(level)}: {name}" for name in names]
        self._capping[key] = tuple(found)
        return self._capping[key]


def _level_label(level: ScpLevel) -> str:
    """A level named the same in every language: the root's name, ``OU <name>``, the account
    id."""
    if level.type == "ROOT":
        return level.name or level.id
    if level.type == "ORGANIZATIONAL_UNIT":
        return f"OU {level.name or level.id}"
    return level.id


@dataclass(frozen=True)
class ScpState:
    """Whether SCPs are applied to this snapshot's verdicts, and why (not)."""

    code: str  # APPLIED, NOT_READ, UNUSABLE, or why none applies (no_organization, …)
    chain: ScpChain | None = None
    problem: str | None = None
    """Why a recorded chain is not applied (UNUSABLE): a ``method.scp.problem.*`` key."""
    names: Mapping[str, str] = field(default_factory=dict)
    """The level or policy the problem is about (the message's placeholders)."""


def scp_state(snapshot: Snapshot) -> ScpState:
    """The snapshot's SCP chain, made once and kept with the (read-only) snapshot."""
    return snapshot.kept("_scp_state", ScpState, _state)


def _state(snapshot: Snapshot) -> ScpState:
    source = snapshot.source(Src.SERVICE_CONTROL_POLICIES)
    scps = snapshot.service_control_policies
    if not source.ok or scps is None:
        return ScpState(NOT_READ)
    if not scps.applies:
        if scps.levels or scps.reason is None:
            return ScpState(UNUSABLE, problem="levels_yet_none_applies")
        return ScpState(scps.reason)
    problem = _problem(scps.levels, snapshot.account.id)
    if problem:
        return ScpState(UNUSABLE, problem=problem[0], names=problem[1])
    index = action_index()
    parsed: list[tuple[tuple[Statement, ...], ...]] = []
    folded: list[tuple[DocGrants, ...]] = []
    for level in scps.levels:
        try:
            found = tuple(statements(p.document) for p in level.policies)
            folded.append(tuple(fold_statements(p, index) for p in found))
        except PolicyDocumentError as exc:
            names = ", ".join(p.name for p in level.policies)
            return ScpState(
                UNUSABLE, problem="unreadable_policy", names={"policy": f"{names}: {exc}"}
            )
        parsed.append(found)
    cap = _everything()
    for grants in folded:
        cap = cap_by(cap, union(grants))
    return ScpState(APPLIED, ScpChain(scps.levels, tuple(parsed), tuple(folded), cap))


def _problem(levels: Sequence[ScpLevel], account_id: str) -> tuple[str, dict[str, str]] | None:
    """Why the chain cannot be the account's whole chain, if it cannot (a problem key and the
    names it is about)."""
    if not levels or levels[0].type != "ROOT":
        return "no_root", {}
    if levels[-1].type != "ACCOUNT" or levels[-1].id != account_id:
        return "not_this_account", {}
    if any(level.type != "ORGANIZATIONAL_UNIT" for level in levels[1:-1]):
        return "not_an_ou", {}
    for level in levels:
        if not level.policies:
            return "empty_level", {"level": _level_label(level)}
        for policy in level.policies:
            if policy.document is None:
                return "unreadable_policy", {"policy": f"{policy.name}: {policy.error or '-'}"}
    return None


def _everything() -> Effective:
    """The grant that caps nothing."""
    every = action_index().everything
    return Effective(every, 0, every, 0, every, 0)
