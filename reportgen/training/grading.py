"""Grade a lab: each goal against the lab account's snapshot, assessment and request log."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment, Finding, Status
from reportgen.evaluate.messages import reader_format
from reportgen.lang import LANGS, messages, text
from reportgen.snapshot.model import Snapshot, User
from reportgen.training.access import document_is_admin
from reportgen.training.invariants import KINDS, old_versions_safe
from reportgen.training.labspec import Assertion, CheckGoal, Goal, Invariant, LabSpec

Reason = Mapping[str, str]  # the same explanation in each language


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
    """A goal and whether it is met; ``reason`` says why not, in each language."""

    goal: Goal
    passed: bool
    reason: Reason = field(default_factory=dict)


@dataclass(frozen=True)
class InvariantResult:
    """An invariant and whether it still holds; ``reason`` names what broke."""

    invariant: Invariant
    held: bool
    reason: Reason = field(default_factory=dict)


def _say(key: str, **values: object) -> Reason:
    return {lang: text("training", lang, key, **values) for lang in LANGS}


def _matches(finding: Finding, name: str) -> bool:
    evidence = finding.evidence
    return (
        name in (finding.resource_name, finding.resource_id)
        or evidence.get("user") == name
        or evidence.get("policy") == name
        or finding.resource_id.endswith(f"/{name}")
    )


def _finding_reason(finding: Finding, catalogue: Catalogue | None) -> Reason:
    name = finding.resource_name or finding.resource_id
    if finding.status is Status.NOT_APPLICABLE:
        return _say("reason_not_applicable", name=name)
    out = {}
    for lang in LANGS:
        message = catalogue.message(finding, lang, reader_format) if catalogue is not None else ""
        out[lang] = text(
            "training", lang, "reason_finding", name=name, message=message or finding.status.value
        )
    return out


def _could_not_run(finding: Finding) -> bool:
    """The evaluator's one UNKNOWN for a check whose sources are not all ``ok``."""
    reason = str(finding.evidence.get("reason", ""))
    return (
        finding.status is Status.UNKNOWN
        and finding.resource_type == "account"
        and reason.startswith("source_")
    )


def check_goal_verdict(
    goal: CheckGoal, assessment: Assessment, catalogue: Catalogue | None = None
) -> tuple[bool, Reason]:
    """Every finding of the check for the named resources passes; else the first reason.

    NOT_APPLICABLE counts only where the goal says ``na_ok``.
    """
    good = {Status.PASS, Status.NOT_APPLICABLE} if goal.na_ok else {Status.PASS}
    findings = [f for f in assessment.findings if f.check_id == goal.check_id]
    # A check that could not run (a source it reads is missing) says so once, for the
    # account; that must not read as "the named resource is gone" under absent_ok.
    blocked = next((f for f in findings if _could_not_run(f)), None)
    if blocked is not None:
        return False, _finding_reason(blocked, catalogue)
    if not goal.resources:
        if not findings:
            return False, _say("reason_no_findings")
        bad = next((f for f in findings if f.status not in good), None)
        return (True, {}) if bad is None else (False, _finding_reason(bad, catalogue))
    for name in goal.resources:
        mine = [f for f in findings if _matches(f, name)]
        if not mine and not goal.absent_ok:
            # Other checks still see the principal: what this goal checks (a key) is gone,
            # not the principal itself.
            there = any(_matches(f, name) for f in assessment.findings)
            return False, _say("reason_nothing_left" if there else "reason_missing", name=name)
        bad = next((f for f in mine if f.status not in good), None)
        if bad is not None:
            return False, _finding_reason(bad, catalogue)
    return True, {}


def check_goal_met(goal: CheckGoal, assessment: Assessment) -> bool:
    """Every finding of the check for the named resources passes (N/A only with ``na_ok``)."""
    return check_goal_verdict(goal, assessment)[0]


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


def _escalated_by(
    snapshot: Snapshot, args: Mapping[str, Any], requests: Sequence[RequestRecord]
) -> bool:
    """The user's own key made a policy version that grants administrator rights the default."""
    for record in requests:
        if record.action != "CreatePolicyVersion" or record.key_user != args["user"]:
            continue
        if record.params.get("SetAsDefault", "").lower() != "true":
            continue
        try:
            document = json.loads(record.params.get("PolicyDocument", ""))
        except ValueError:
            continue
        if document_is_admin(document, snapshot.account.id):
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
    "escalated_by": _escalated_by,
}


def assertion_met(
    assertion: Assertion, snapshot: Snapshot, requests: Sequence[RequestRecord]
) -> bool:
    return assertion_verdict(assertion, snapshot, requests)[0]


def assertion_verdict(
    assertion: Assertion,
    snapshot: Snapshot,
    requests: Sequence[RequestRecord],
    versions: Mapping[str, list[tuple[str, bool, Any]]] | None = None,
) -> tuple[bool, dict[str, str]]:
    """Whether the assertion holds, and the values that explain it (its args, or more)."""
    values = {
        k: ", ".join(map(str, v)) if isinstance(v, list) else str(v)
        for k, v in assertion.args.items()
    }
    if assertion.kind == "old_versions_safe":
        held, detail = old_versions_safe(versions or {}, assertion.args, snapshot.account.id)
        return held, {**values, **detail}
    if assertion.kind in KINDS:
        held, detail = KINDS[assertion.kind](snapshot, assertion.args, requests)
        return held, {**values, **detail}
    return _ASSERTIONS[assertion.kind](snapshot, assertion.args, requests), values


def _assertion_reason(assertion: Assertion, values: Mapping[str, str]) -> Reason:
    key = f"why_{assertion.kind}"
    return {lang: messages("training", lang)[key].format_map(_Blank(values)) for lang in LANGS}


class _Blank(dict[str, str]):
    """format_map values where a missing placeholder reads as ``-``."""

    def __missing__(self, key: str) -> str:
        return "-"


def needs_request_log(lab: LabSpec) -> bool:
    assertions = [g.assertion for g in lab.goals] + [i.assertion for i in lab.invariants]
    return any(a is not None and a.kind in ("signed_by", "escalated_by") for a in assertions)


def grade(
    lab: LabSpec,
    snapshot: Snapshot,
    assessment: Assessment,
    requests: Sequence[RequestRecord] = (),
    catalogue: Catalogue | None = None,
    versions: Mapping[str, list[tuple[str, bool, Any]]] | None = None,
) -> tuple[GoalResult, ...]:
    """Each goal of ``lab`` with whether it is met and, if not, why, in the lab's order."""
    results = []
    for goal in lab.goals:
        if goal.check is not None:
            passed, reason = check_goal_verdict(goal.check, assessment, catalogue)
        else:
            assert goal.assertion is not None  # parse_lab guarantees exactly one
            passed, values = assertion_verdict(goal.assertion, snapshot, requests, versions)
            reason = {} if passed else _assertion_reason(goal.assertion, values)
        results.append(GoalResult(goal, passed, reason))
    return tuple(results)


def check_invariants(
    lab: LabSpec,
    snapshot: Snapshot,
    assessment: Assessment,
    requests: Sequence[RequestRecord] = (),
    catalogue: Catalogue | None = None,
    versions: Mapping[str, list[tuple[str, bool, Any]]] | None = None,
) -> tuple[InvariantResult, ...]:
    """Each invariant of ``lab``; a broken one carries the lab's ``why`` with its values."""
    results = []
    for inv in lab.invariants:
        if inv.check is not None:
            held, detail = check_goal_verdict(inv.check, assessment, catalogue)
            values: Mapping[str, str] = {}
        else:
            assert inv.assertion is not None
            held, values = assertion_verdict(inv.assertion, snapshot, requests, versions)
            detail = {}
        reason = (
            {}
            if held
            else {
                lang: inv.why[lang].format_map(_Blank(values))
                + (f" ({detail[lang]})" if detail else "")
                for lang in LANGS
            }
        )
        results.append(InvariantResult(inv, held, reason))
    return tuple(results)
