"""Rules for least privilege: admin and wildcard policies, CloudShell, support role, analyzers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from reportgen.evaluate.findings import Status
from reportgen.evaluate.permissions import full_admin_scope
from reportgen.evaluate.policy import (
    PolicyDocumentError,
    Principal,
    attached_by_name,
    attached_policy_arns,
    attached_to,
    inline_id,
    inline_policies,
    service_wildcards,
)
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.evaluate.rules.helpers import Ev, unknown
from reportgen.snapshot.model import JSON, Snapshot, Src

AUTH = Src.AUTHORIZATION_DETAILS
POLICY_EVIDENCE = ("policy", "arn", "attached_to", "count", "actions")


def _names(who: tuple[Principal, ...]) -> str | None:
    return ", ".join(f"{p.kind}/{p.name}" for p in who) or None


def _judge(
    resource_id: str,
    name: str,
    document: JSON,
    who: tuple[Principal, ...],
    bad: Callable[[JSON], tuple[str, ...]],
    arn: str,
) -> Result:
    evidence: Ev = {"policy": name, "arn": arn, "attached_to": _names(who), "count": len(who)}
    try:
        found = bad(document)
    except PolicyDocumentError:
        return unknown(resource_id, name, "policy_document_invalid", AUTH, evidence=evidence)
    status = Status.FAIL if found else Status.PASS
    return Result(status, resource_id, name, {**evidence, "actions": ", ".join(found) or None})


def _inline(snapshot: Snapshot, bad: Callable[[JSON], tuple[str, ...]]) -> Iterator[Result]:
    for who, policy in inline_policies(snapshot):
        yield _judge(inline_id(who, policy), policy.name, policy.document, (who,), bad, who.arn)


def _admin(document: JSON) -> tuple[str, ...]:
    scope = full_admin_scope(document)
    return (scope,) if scope else ()


@rule("no_full_admin_policy", evidence=POLICY_EVIDENCE)
def no_full_admin_policy(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """No policy in use (attached managed, default version; or inline) allows ``*`` or all of
    ``iam:*`` on every resource, read with IAM semantics (NotAction, NotResource, wildcards)."""
    for arn in attached_policy_arns(snapshot):
        policy = snapshot.policy(arn)
        who = attached_to(snapshot, arn)
        if policy is None:
            name = arn.rsplit("/", 1)[-1]
            evidence: Ev = {
                "policy": name,
                "arn": arn,
                "attached_to": _names(who),
                "count": len(who),
            }
            yield unknown(arn, name, "policy_document_missing", AUTH, evidence=evidence)
            continue
        yield _judge(arn, policy.name, policy.document, who, _admin, arn)
    yield from _inline(snapshot, _admin)


@rule("no_service_wildcard_policy", evidence=POLICY_EVIDENCE)
def no_service_wildcard_policy(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """Customer managed and inline policies allow no ``service:*`` and no ``NotAction``
    (AWS managed policies are AWS's to design; attaching them is judged elsewhere)."""
    for policy in sorted(snapshot.policies, key=lambda p: p.arn):
        if not policy.is_aws_managed:
            who = attached_to(snapshot, policy.arn)
            yield _judge(
                policy.arn, policy.name, policy.document, who, service_wildcards, policy.arn
            )
    yield from _inline(snapshot, service_wildcards)


@rule(
    "no_privileged_policy_on_user",
    params=("policy_names",),
    evidence=("user", "arn", "policies", "count", "missing"),
)
def no_privileged_policy_on_user(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """No powerful policy is given directly to a user (grant such power through roles): a
    managed policy named in ``policy_names``, or any managed or inline policy that on its own
    allows every action, or all of IAM, on every resource (``MyAdmin``, an inline ``*:*``),
    whatever its name. A user with a managed policy the snapshot lacks or a document that
    cannot be read, and nothing else powerful, is UNKNOWN."""
    wanted = {name.lower() for name in params["policy_names"]}
    for user in sorted(snapshot.users, key=lambda u: u.arn):
        hits: list[str] = []
        gaps: list[str] = []
        for attached in user.attached_policies:
            policy = snapshot.policy(attached.arn)
            if attached.name.lower() in wanted:
                hits.append(attached.name)
            elif policy is None:
                gaps.append(attached.name)
            else:
                _powerful(attached.name, policy.document, hits, gaps)
        for inline in user.inline_policies:
            _powerful(f"{inline.name} (inline)", inline.document, hits, gaps)
        evidence: Ev = {
            "user": user.name,
            "arn": user.arn,
            "policies": ", ".join(hits) or None,
            "count": len(hits),
            "missing": ", ".join(gaps) or None,
        }
        if hits:
            yield Result(Status.FAIL, user.arn, user.name, evidence)
        elif gaps:
            reason = "principal_policies_missing"
            yield unknown(user.arn, user.name, reason, AUTH, evidence=evidence)
        else:
            yield Result(Status.PASS, user.arn, user.name, evidence)


def _powerful(label: str, document: JSON, hits: list[str], gaps: list[str]) -> None:
    """File ``label`` under ``hits`` when its document alone is administrator-equivalent
    (``*`` or ``iam:*`` on every resource), under ``gaps`` when it cannot be read."""
    try:
        scope = full_admin_scope(document)
    except PolicyDocumentError:
        gaps.append(label)
        return
    if scope:
        hits.append(f"{label}: {scope}")


@rule("cloudshell_full_access_not_attached", evidence=("policy", "arn", "attached_to", "count"))
def cloudshell_full_access_not_attached(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """AWSCloudShellFullAccess is attached to no user, group or role."""
    name = "AWSCloudShellFullAccess"
    arn = f"arn:{snapshot.account.partition}:iam::aws:policy/{name}"
    who = attached_by_name(snapshot, name)
    evidence: Ev = {"policy": name, "arn": arn, "attached_to": _names(who), "count": len(who)}
    yield Result(Status.FAIL if who else Status.PASS, arn, name, evidence)


@rule("support_role_exists", evidence=("policy", "roles", "count"))
def support_role_exists(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """At least one role has AWSSupportAccess, so incidents can be raised with AWS Support."""
    name = "AWSSupportAccess"
    roles = [p for p in attached_by_name(snapshot, name) if p.kind == "role"]
    evidence: Ev = {
        "policy": name,
        "roles": ", ".join(r.name for r in roles) or None,
        "count": len(roles),
    }
    account = snapshot.account
    yield Result(Status.PASS if roles else Status.FAIL, account.id, account.display_name, evidence)


@rule("access_analyzer_enabled", evidence=("region", "analyzers", "count"))
def access_analyzer_enabled(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """Every enabled region has an ACTIVE external-access analyzer (account or organization)."""
    if not snapshot.analyzer_regions:
        account = snapshot.account
        yield unknown(
            account.id,
            account.display_name,
            "no_regions",
            Src.ACCESS_ANALYZER,
            "account",
            {"region": None},
        )
        return
    for region in sorted(snapshot.analyzer_regions):
        active = sorted(
            a.name
            for a in snapshot.analyzers
            if a.region == region and a.status == "ACTIVE" and a.type in ("ACCOUNT", "ORGANIZATION")
        )
        evidence: Ev = {
            "region": region,
            "analyzers": ", ".join(active) or None,
            "count": len(active),
        }
        yield Result(Status.PASS if active else Status.FAIL, region, region, evidence)
