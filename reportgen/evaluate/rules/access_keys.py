"""Rules for access keys: setup keys, one active key per user, rotation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reportgen.evaluate.findings import EvidenceValue, Status
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.evaluate.rules.helpers import (
    Ev,
    ReportUser,
    age_days,
    future,
    has_password,
    iso_date,
    key_resource,
    missing_row,
    older_than,
    report_users,
    unknown,
)
from reportgen.snapshot.model import AccessKeyCredential, Snapshot

KEY_EVIDENCE = ("user", "arn", "key_id", "last_rotated", "last_used")


def key_evidence(user: ReportUser, key: AccessKeyCredential) -> Ev:
    """The evidence every access-key finding carries."""
    return {
        "user": user.name,
        "arn": user.arn,
        "key_id": f"access_key_{key.slot}",
        "last_rotated": iso_date(key.last_rotated),
        "last_used": iso_date(key.last_used_date),
    }


def key_result(
    user: ReportUser, key: AccessKeyCredential, status: Status, **extra: EvidenceValue
) -> Result:
    """A result about one access-key slot of ``user``."""
    name = f"{user.name} (access_key_{key.slot})"
    evidence = {**key_evidence(user, key), **extra}
    return Result(status, key_resource(user.arn, key.slot), name, evidence)


def key_unknown(user: ReportUser, key: AccessKeyCredential, reason: str) -> Result:
    """UNKNOWN about one access-key slot of ``user``."""
    name = f"{user.name} (access_key_{key.slot})"
    return unknown(key_resource(user.arn, key.slot), name, reason, evidence=key_evidence(user, key))


@rule("no_unused_setup_key", evidence=KEY_EVIDENCE)
def no_unused_setup_key(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """A console user's active key that was never used (last used ``N/A``) is a setup leftover."""
    for user in report_users(snapshot):
        if user.row is None:
            yield missing_row(user, "user")
            continue
        password = has_password(user.row)
        for key in user.row.active_keys:
            if password is None:
                yield key_unknown(user, key, "value_not_available")
            elif not password:
                yield key_result(user, key, Status.NOT_APPLICABLE)
            else:
                used = isinstance(key.last_used_date, datetime)
                yield key_result(user, key, Status.PASS if used else Status.FAIL)


@rule("single_active_access_key", evidence=("user", "arn", "count", "key_id"))
def single_active_access_key(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """At most one active access key per user."""
    for user in report_users(snapshot):
        if user.row is None:
            yield missing_row(user)
            continue
        active = [f"access_key_{k.slot}" for k in user.row.active_keys]
        evidence: Ev = {
            "user": user.name,
            "arn": user.arn,
            "count": len(active),
            "key_id": ", ".join(active) or None,
        }
        status = Status.FAIL if len(active) > 1 else Status.PASS
        yield Result(status, user.arn, user.name, evidence)


@rule(
    "access_key_rotated",
    params=("max_key_age_days",),
    evidence=(*KEY_EVIDENCE, "age_days", "threshold", "measured_from"),
)
def access_key_rotated(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """Each active key was created or rotated at most ``max_key_age_days`` before as_of
    (FAIL when more than N full days have passed, compared to the second)."""
    limit: int = params["max_key_age_days"]
    for user in report_users(snapshot):
        if user.row is None:
            yield missing_row(user, "user")
            continue
        for key in user.row.active_keys:
            if not isinstance(key.last_rotated, datetime):
                yield key_unknown(user, key, "value_not_available")
                continue
            if future(key.last_rotated, snapshot):
                yield key_unknown(user, key, "date_in_future")
                continue
            age = age_days(key.last_rotated, as_of)
            status = Status.FAIL if older_than(key.last_rotated, as_of, limit) else Status.PASS
            yield key_result(
                user,
                key,
                status,
                age_days=age,
                threshold=limit,
                measured_from=as_of.isoformat(),
            )
