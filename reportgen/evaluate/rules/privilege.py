"""Rules on effective permissions: administrator-equivalent principals, privilege escalation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reportgen.evaluate.effective import (
    AdminVerdict,
    Analysis,
    PrincipalPolicies,
    admin_equivalence,
    analysis_for,
)
from reportgen.evaluate.escalation import assess_escalation
from reportgen.evaluate.findings import Status
from reportgen.evaluate.permissions import Grant
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.evaluate.rules.helpers import Ev, principal_gap, unknown, unknown_if_incomplete
from reportgen.snapshot.model import Snapshot, Src

AUTH = Src.AUTHORIZATION_DETAILS
PRINCIPAL_EVIDENCE = ("kind", "principal", "arn")
MAX_LISTED = 5


def _listed(items: tuple[str, ...]) -> str | None:
    shown = ", ".join(items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return (f"{shown} (+{more})" if more > 0 else shown) or None


def _base(who: PrincipalPolicies) -> Ev:
    return {"kind": who.kind, "principal": who.name, "arn": who.arn}


def _incomplete(who: PrincipalPolicies, analysis: Analysis, evidence: Ev) -> Result | None:
    """UNKNOWN when the snapshot lacks a policy, group or boundary of the principal."""
    gap = unknown_if_incomplete(analysis.snapshot, who.arn, who.name, who.kind, evidence)
    if gap is not None:
        return gap
    if who.missing:
        reason = "principal_policies_missing"
        return unknown(
            who.arn, who.name, reason, AUTH, who.kind, {**evidence, "missing": _listed(who.missing)}
        )
    bad = analysis.unreadable(who)
    if bad:
        return unknown(
            who.arn,
            who.name,
            "policy_document_invalid",
            AUTH,
            who.kind,
            {**evidence, "missing": _listed(bad)},
        )
    return None


@rule(
    "admin_equivalent_principal",
    evidence=(*PRINCIPAL_EVIDENCE, "scope", "statements", "scp", "reason", "missing"),
)
def admin_equivalent_principal(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """No user, group or role is effectively allowed ``*`` on ``*`` or all of ``iam:*``,
    across all its policies (groups included), after Deny and its permissions boundary. Under
    SCPs, the scope is what they leave the account (``scp_ceiling``, the SCPs named); a PASS
    that only the SCPs earn says so (``scp_capped``). See ``effective.admin_equivalence``."""
    analysis = analysis_for(snapshot)
    for who in analysis.principals:
        evidence: Ev = {
            **_base(who),
            "scope": None,
            "statements": None,
            "scp": None,
            "reason": None,
            "missing": None,
        }
        if who.service_linked:
            yield Result(Status.NOT_APPLICABLE, who.arn, who.name, evidence, who.kind)
            continue
        blocked = _incomplete(who, analysis, evidence)
        eff = analysis.effective(who)
        if blocked or eff is None:
            yield blocked or unknown(
                who.arn, who.name, "policy_document_invalid", AUTH, who.kind, evidence
            )
            continue
        verdict = admin_equivalence(analysis, who, eff)
        evidence |= {
            "scope": verdict.scope,
            "statements": _listed(verdict.statements),
            "scp": _listed(verdict.scp),
        }
        if verdict.grant is Grant.ALLOWED:
            reason = "scp_ceiling" if verdict.within_scp else None
            yield Result(Status.FAIL, who.arn, who.name, evidence | {"reason": reason}, who.kind)
        elif verdict.grant is Grant.CONDITIONAL:
            yield unknown(who.arn, who.name, "needs_review_conditional", AUTH, who.kind, evidence)
        else:
            reason = "scp_capped" if verdict.scp else None
            yield Result(Status.PASS, who.arn, who.name, evidence | {"reason": reason}, who.kind)
    yield from _only_in_report(analysis, ("scope", "statements", "scp", "reason", "missing"))


def admin_verdict(who: PrincipalPolicies, analysis: Analysis) -> AdminVerdict | None:
    """Whether and how ``who`` is administrator-equivalent (never, for a service-linked
    role); ``None`` when a policy, group or boundary of it is missing or unreadable."""
    if who.service_linked:
        return AdminVerdict(Grant.NONE, None, ())
    if principal_gap(analysis.snapshot, who.arn) or who.missing or analysis.unreadable(who):
        return None
    eff = analysis.effective(who)
    return None if eff is None else admin_equivalence(analysis, who, eff)


def _only_in_report(analysis: Analysis, fields: tuple[str, ...]) -> Iterator[Result]:
    """UNKNOWN for principals the snapshot knows of (credential report) but cannot judge."""
    known = {who.arn for who in analysis.principals}
    for arn in sorted(set(analysis.snapshot.principal_gaps) - known):
        name = arn.rsplit("/", 1)[-1]
        evidence: Ev = {"kind": "user", "principal": name, "arn": arn, **dict.fromkeys(fields)}
        gap = unknown_if_incomplete(analysis.snapshot, arn, name, "user", evidence)
        if gap is not None:
            yield gap


@rule(
    "privilege_escalation",
    evidence=(*PRINCIPAL_EVIDENCE, "methods", "review", "missing"),
)
def privilege_escalation(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """No user or role can raise its own permissions by a known method, judged on all its
    policies together (PassRole resource scoping and ``iam:PassedToService`` honoured)."""
    analysis = analysis_for(snapshot)
    verdicts = assess_escalation(analysis)
    for who in analysis.principals:
        if who.kind == "group":
            continue
        evidence: Ev = {**_base(who), "methods": None, "review": None, "missing": None}
        if who.service_linked:
            yield Result(Status.NOT_APPLICABLE, who.arn, who.name, evidence, who.kind)
            continue
        blocked = _incomplete(who, analysis, evidence)
        verdict = verdicts.get(who.arn)
        if blocked or verdict is None:
            yield blocked or unknown(
                who.arn, who.name, "policy_document_invalid", AUTH, who.kind, evidence
            )
            continue
        evidence |= {"methods": _listed(verdict.methods), "review": _listed(verdict.review)}
        if verdict.admin:
            yield Result(Status.NOT_APPLICABLE, who.arn, who.name, evidence, who.kind)
        elif verdict.methods:
            yield Result(Status.FAIL, who.arn, who.name, evidence, who.kind)
        elif verdict.review:
            yield unknown(who.arn, who.name, "needs_review_escalation", AUTH, who.kind, evidence)
        else:
            yield Result(Status.PASS, who.arn, who.name, evidence, who.kind)
    yield from _only_in_report(analysis, ("methods", "review", "missing"))
