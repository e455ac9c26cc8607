"""Rules for managing people's access: through IAM groups, and centrally (federation)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from fnmatch import fnmatchcase

from reportgen.evaluate.findings import Status
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.evaluate.rules.helpers import (
    Ev,
    has_password,
    report_users,
    unknown,
    unknown_if_incomplete,
)
from reportgen.snapshot.model import Snapshot

MAX_LISTED = 5


@rule("user_no_direct_policies", evidence=("user", "arn", "policies", "count"))
def user_no_direct_policies(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """No managed or inline policy directly on a user: permissions come through groups."""
    for user in sorted(snapshot.users, key=lambda u: u.arn):
        if (gap := unknown_if_incomplete(snapshot, user.arn, user.name)) is not None:
            yield gap
            continue
        names = [p.name for p in user.attached_policies] + [p.name for p in user.inline_policies]
        evidence: Ev = {
            "user": user.name,
            "arn": user.arn,
            "policies": ", ".join(names) or None,
            "count": len(names),
        }
        yield Result(Status.FAIL if names else Status.PASS, user.arn, user.name, evidence)


@rule("user_in_group", evidence=("user", "arn", "group_count", "groups"))
def user_in_group(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """Every user belongs to at least one group."""
    for user in sorted(snapshot.users, key=lambda u: u.arn):
        # A group missing from the details still proves membership; only an absent user is unknown.
        gap = unknown_if_incomplete(snapshot, user.arn, user.name)
        if gap is not None and snapshot.principal_gaps[user.arn] == "user_not_in_details":
            yield gap
            continue
        evidence: Ev = {
            "user": user.name,
            "arn": user.arn,
            "group_count": len(user.groups),
            "groups": ", ".join(user.groups) or None,
        }
        yield Result(Status.PASS if user.groups else Status.FAIL, user.arn, user.name, evidence)


def _listed(items: list[str]) -> str | None:
    shown = ", ".join(items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return (f"{shown} (+{more})" if more > 0 else shown) or None


def central_sources(snapshot: Snapshot, workload_issuers: list[str]) -> list[str]:
    """The account's sources of people's identities: SAML providers (Identity Center's own
    ``AWSSSO_…`` provider included), OIDC providers other than workload issuers (CI, EKS),
    and the Identity Center instances listed in the collection region."""
    found = []
    for provider in snapshot.identity_providers:
        issuer = provider.arn.split("/", 1)[-1]
        if provider.kind == "oidc" and any(
            fnmatchcase(issuer.lower(), p.lower()) for p in workload_issuers
        ):
            continue
        found.append(f"{provider.kind.upper()}: {issuer}")
    for instance in snapshot.identity_center_instances:
        label = instance.name or instance.identity_store_id or instance.arn.rsplit("/", 1)[-1]
        found.append(f"IAM Identity Center: {label}")
    return found


@rule(
    "central_identity",
    params=("workload_oidc_issuers",),
    evidence=("count", "users", "providers", "region"),
)
def central_identity(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """People sign in through a central identity source, not as IAM users with passwords.

    FAIL when any IAM user has a console password (whether or not a provider exists: the
    message says which); otherwise PASS with an identity provider or Identity Center instance,
    NOT_APPLICABLE without one (nobody signs in to this account as an IAM user; people, if
    any, come through roles from another account). A user whose password the report cannot
    tell keeps a non-FAIL verdict UNKNOWN."""
    account = snapshot.account
    console: list[str] = []
    doubtful: list[str] = []
    for user in report_users(snapshot):
        password = has_password(user.row) if user.row is not None else None
        if password is None:
            doubtful.append(user.name)
        elif password:
            console.append(user.name)
    central = central_sources(snapshot, list(params["workload_oidc_issuers"]))
    evidence: Ev = {
        "count": len(console),
        "users": _listed(console),
        "providers": _listed(central),
        "region": snapshot.identity_center_region,
    }
    if console:
        reason = "central_source_exists" if central else None
        result_evidence = {**evidence, "reason": reason} if reason else evidence
        yield Result(Status.FAIL, account.id, account.display_name, result_evidence)
    elif doubtful:
        yield unknown(
            account.id,
            account.display_name,
            "console_password_unknown",
            evidence={**evidence, "users": _listed(doubtful)},
        )
    else:
        status = Status.PASS if central else Status.NOT_APPLICABLE
        yield Result(status, account.id, account.display_name, evidence)
