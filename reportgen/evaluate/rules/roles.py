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
