"""Grade a lab: each goal against the lab account's snapshot, assessment and request log."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportgen.evaluate.findings import Assessment, Finding, Status
from reportgen.snapshot.model import Snapshot, User
from reportgen.training.labspec import Assertion, CheckGoal, Goal, LabSpec

GOOD = frozenset({Status.PASS, Status.NOT_APPLICABLE})


@dataclass(frozen=True)
class RequestRecord:
    """One request the lab server saw: which key signed it, for which API action.

    ``key_user`` is the IAM user that owned the key at the time (``None``: not a user's key).
    """

    seq: int
    access_key_id: str | None
    key_user: str | None
    action: str | None
    params: Mapping[str, str]


@dataclass(frozen=True)
class GoalResult:
    goal: Goal
    passed: bool


def _matches(finding: Finding, name: str) -> bool:
    evidence = finding.evidence
    return (
        name in (finding.resource_name, finding.resource_id)
        or evidence.get("user") == name
        or evidence.get("policy") == name
        or finding.resource_id.endswith(f"/{name}")
    )


def check_goal_met(goal: CheckGoal, assessment: Assessment) -> bool:
    """Every finding of the check for the named resources passes (or is not applicable)."""
    findings = [f for f in assessment.findings if f.check_id == goal.check_id]
    if not goal.resources:
        return bool(findings) and all(f.status in GOOD for f in findings)
    for name in goal.resources:
        mine = [f for f in findings if _matches(f, name)]
        if not mine and not goal.absent_ok:
            return False
        if any(f.status not in GOOD for f in mine):
            return False
    return True


def _user(snapshot: Snapshot, name: str) -> User | None:
    return next((u for u in snapshot.users if u.name == name), None)


def _group_policies(snapshot: Snapshot, group: str) -> set[str]:
    found = next((g for g in snapshot.groups if g.name == group), None)
    if found is None:
        return set()
    return {p.name for p in found.attached_policies} | {p.name for p in found.inline_policies}


def _effective_policies(snapshot: Snapshot, user: User) -> set[str]:
    names = {p.name for p in user.attached_policies} | {p.name for p in user.inline_policies}
    for group in user.groups:
        names |= _group_policies(snapshot, group)
    return names


def _user_exists(snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[RequestRecord]) -> bool:
    user = _user(snapshot, args["user"])
    if user is None:
        return False
    if args.get("console"):
        return user.credentials is not None and user.credentials.password_enabled is True
    return True


def _user_absent(snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[RequestRecord]) -> bool:
    return _user(snapshot, args["user"]) is None


def _user_in_group(snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[RequestRecord]) -> bool:
    user = _user(snapshot, args["user"])
    return user is not None and args["group"] in user.groups


def _group_has_policy(
    snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[RequestRecord]
) -> bool:
    return args["policy"] in _group_policies(snapshot, args["group"])


def _user_has_policy(
    snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[RequestRecord]
) -> bool:
    user = _user(snapshot, args["user"])
    return user is not None and args["policy"] in _effective_policies(snapshot, user)


def _user_lacks_policy(
    snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[RequestRecord]
) -> bool:
    user = _user(snapshot, args["user"])
    return user is None or args["policy"] not in _effective_policies(snapshot, user)


def _no_active_keys(
    snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[RequestRecord]
) -> bool:
    user = _user(snapshot, args["user"])
    if user is None:
        return True
    return user.credentials is not None and not user.credentials.active_keys


def _signed_by(_: Snapshot, args: Mapping[str, Any], requests: Sequence[RequestRecord]) -> bool:
    """The action (with the given parameters) was made with a key of ``args['user']``."""
    wanted = {str(k): str(v) for k, v in (args.get("params") or {}).items()}
    for record in requests:
        if record.action != args["action"]:
            continue
        if any(record.params.get(k) != v for k, v in wanted.items()):
            continue
        if record.key_user == args["user"]:
            return True
    return False


_ASSERTIONS: Mapping[
    str, Callable[[Snapshot, Mapping[str, Any], Sequence[RequestRecord]], bool]
] = {
    "user_exists": _user_exists,
    "user_absent": _user_absent,
    "user_in_group": _user_in_group,
    "group_has_policy": _group_has_policy,
    "user_has_policy": _user_has_policy,
    "user_lacks_policy": _user_lacks_policy,
    "no_active_keys": _no_active_keys,
    "signed_by": _signed_by,
}


def assertion_met(
    assertion: Assertion, snapshot: Snapshot, requests: Sequence[RequestRecord]
) -> bool:
    return _ASSERTIONS[assertion.kind](snapshot, assertion.args, requests)


def needs_request_log(lab: LabSpec) -> bool:
    return any(g.assertion is not None and g.assertion.kind == "signed_by" for g in lab.goals)


def grade(
    lab: LabSpec,
    snapshot: Snapshot,
    assessment: Assessment,
    requests: Sequence[RequestRecord] = (),
) -> tuple[GoalResult, ...]:
    """Each goal of ``lab`` with whether it is met, in the lab's order."""
    results = []
    for goal in lab.goals:
        if goal.check is not None:
            passed = check_goal_met(goal.check, assessment)
        else:
            assert goal.assertion is not None  # parse_lab guarantees exactly one
            passed = assertion_met(goal.assertion, snapshot, requests)
        results.append(GoalResult(goal, passed))
    return tuple(results)
