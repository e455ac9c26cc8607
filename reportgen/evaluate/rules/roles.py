"""Rules on IAM roles: who may assume them (trust policies), and roles nobody uses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reportgen.evaluate.findings import Status
from reportgen.evaluate.policy import PolicyDocumentError
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.evaluate.rules.helpers import Ev, age_days, future, iso_date, older_than, unknown
from reportgen.evaluate.trust import Trustee, trustees
from reportgen.snapshot.model import Role, Snapshot, Src

AUTH = Src.AUTHORIZATION_DETAILS
# Condition keys that make a cross-account trust acceptable: a third party's ExternalId, or MFA.
GUARDS = frozenset({"sts:externalid", "aws:multifactorauthpresent", "aws:multifactorauthage"})
# Condition keys that keep a "*" principal inside known boundaries.
SCOPING = frozenset(
    {"aws:principalorgid", "aws:principalaccount", "aws:principalarn", "aws:sourceaccount"}
    | {"aws:principalorgpaths", "aws:sourcearn", "aws:sourceorgid"}
)


def _roles(snapshot: Snapshot) -> list[Role]:
    return sorted(snapshot.roles, key=lambda r: r.arn)


def _read(role: Role, evidence: Ev) -> tuple[tuple[Trustee, ...] | None, Result | None]:
    try:
        return trustees(role.assume_role_policy), None
    except PolicyDocumentError:
        return None, unknown(role.arn, role.name, "policy_document_invalid", AUTH, "role", evidence)


@rule("role_trust_not_public", evidence=("role", "arn", "principals"))
def role_trust_not_public(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """No role's trust policy lets anyone (``*`` or AWS ``*``) assume it without a condition
    that scopes the caller (organisation, account, ARN)."""
    for role in _roles(snapshot):
        evidence: Ev = {"role": role.name, "arn": role.arn, "principals": None}
        if role.is_service_linked:
            yield Result(Status.NOT_APPLICABLE, role.arn, role.name, evidence)
            continue
        found, bad = _read(role, evidence)
        if found is None:
            yield bad  # type: ignore[misc]
            continue
        public = [t.value for t in found if t.value == "*" and not t.condition_keys & SCOPING]
        evidence["principals"] = ", ".join(sorted({f"{t.kind}:{t.value}" for t in found})) or None
        yield Result(Status.FAIL if public else Status.PASS, role.arn, role.name, evidence)


@rule(
    "role_cross_account_trust",
    params=("trusted_accounts",),
    evidence=("role", "arn", "accounts"),
)
def role_cross_account_trust(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """Every other AWS account a role trusts is in ``trusted_accounts`` or must present an
    ExternalId (third parties) or MFA."""
    own = snapshot.account.id
    trusted = {str(a) for a in params["trusted_accounts"]} | {own}
    for role in _roles(snapshot):
        evidence: Ev = {"role": role.name, "arn": role.arn, "accounts": None}
        if role.is_service_linked:
            yield Result(Status.NOT_APPLICABLE, role.arn, role.name, evidence)
            continue
        found, bad = _read(role, evidence)
        if found is None:
            yield bad  # type: ignore[misc]
            continue
        outside = sorted(
            {
                t.account
                for t in found
                if t.account and t.account not in trusted and not t.condition_keys & GUARDS
            }
        )
        evidence["accounts"] = ", ".join(outside) or None
        yield Result(Status.FAIL if outside else Status.PASS, role.arn, role.name, evidence)


@rule(
    "role_unused",
    params=("max_unused_days",),
    evidence=("role", "arn", "last_used", "age_days", "threshold"),
)
def role_unused(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """Every role was used within ``max_unused_days`` (never used: counted from its creation);
    service-linked roles are AWS's and not judged."""
    limit = int(params["max_unused_days"])
    for role in _roles(snapshot):
        since = role.last_used or role.create_date
        evidence: Ev = {
            "role": role.name,
            "arn": role.arn,
            "last_used": iso_date(role.last_used),
            "age_days": None,
            "threshold": limit,
        }
        if role.is_service_linked:
            yield Result(Status.NOT_APPLICABLE, role.arn, role.name, evidence)
            continue
        if since is None:
            yield unknown(role.arn, role.name, "role_dates_missing", AUTH, "role", evidence)
            continue
        if future(since, snapshot):
            yield unknown(role.arn, role.name, "date_in_future", AUTH, "role", evidence)
            continue
        evidence["age_days"] = age_days(since, as_of)
        failed = older_than(since, as_of, limit)
        yield Result(Status.FAIL if failed else Status.PASS, role.arn, role.name, evidence)


INSTANCE_EVIDENCE = ("instance", "name", "region", "state", "profile", "role", "count")


def _instance_unknown(resource: str, name: str, reason: str, kind: str, evidence: Ev) -> Result:
    return unknown(resource, name, reason, Src.EC2_INSTANCES, kind, evidence)


@rule("ec2_instance_roles", evidence=INSTANCE_EVIDENCE)
def ec2_instance_roles(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """A live EC2 instance gets its AWS access from an IAM role (through an instance profile)
    rather than from keys stored on it. CIS leaves the judgement to a person: an instance
    without a role, or whose profile holds none, needs review (UNKNOWN, never FAIL or PASS);
    PASS only when the profile's role is in the authorization details (a declared source: the
    check is UNKNOWN without them). An enabled region not read is UNKNOWN; no instance in any
    enabled region is not applicable."""
    account = snapshot.account
    coverage = snapshot.instance_regions
    blank: Ev = dict.fromkeys(INSTANCE_EVIDENCE)
    if coverage is None:  # the source is ok, yet nothing says which regions were read
        yield _instance_unknown(account.id, account.display_name, "no_regions", "account", blank)
        return
    role_of = {p: r.name for r in snapshot.roles for p in r.instance_profiles}
    for inst in sorted(snapshot.instances, key=lambda i: i.arn):
        profile = inst.profile_arn.rsplit("/", 1)[-1] if inst.profile_arn else None
        evidence: Ev = {
            **blank,
            "instance": inst.id,
            "name": inst.name,
            "region": inst.region,
            "state": inst.state,
            "profile": profile,
            "role": role_of.get(inst.profile_arn or ""),
        }
        label = inst.name or inst.id
        if inst.profile_arn is None:
            reason = "needs_review_no_instance_role"
            yield _instance_unknown(inst.arn, label, reason, "instance", evidence)
        elif evidence["role"] is None:
            reason = "needs_review_profile_without_role"
            yield _instance_unknown(inst.arn, label, reason, "instance", evidence)
        else:
            yield Result(Status.PASS, inst.arn, label, evidence, "instance")
    for region in coverage.missing:
        failure = coverage.failed.get(region)
        reason = "region_read_failed" if failure else "region_left_out"
        evidence = {**blank, "region": region}
        yield Result(
            Status.UNKNOWN,
            region,
            region,
            {
                **evidence,
                "source": Src.EC2_INSTANCES.value,
                "source_status": "ok",
                "source_message": failure,
                "reason": reason,
            },
            "region",
        )
    if coverage.enabled is None:
        why = coverage.enabled_error or "DescribeRegions listed no region"
        evidence = {**blank, "count": len(coverage.read)}
        yield Result(
            Status.UNKNOWN,
            account.id,
            account.display_name,
            {
                **evidence,
                "source": Src.EC2_INSTANCES.value,
                "source_status": "ok",
                "source_message": why,
                "reason": "enabled_regions_unknown",
            },
            "account",
        )
    elif not snapshot.instances and not coverage.missing:
        evidence = {**blank, "count": len(coverage.enabled)}
        yield Result(Status.NOT_APPLICABLE, account.id, account.display_name, evidence, "account")
