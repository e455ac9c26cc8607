"""Rules for unused credentials, dormant users and expired server certificates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from reportgen.evaluate.findings import Status
from reportgen.evaluate.rules.access_keys import key_result, key_unknown
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.evaluate.rules.helpers import (
    Ev,
    age_days,
    future,
    has_password,
    iso_date,
    latest,
    missing_row,
    report_users,
    unknown,
)
from reportgen.snapshot.model import Sentinel, Snapshot, Src

USER_EVIDENCE = ("user", "arn", "last_used", "since", "age_days", "threshold", "measured_from")


def unused_for(since: datetime, as_of: datetime, days: int) -> bool:
    """True when at least ``days`` full days lie between ``since`` and ``as_of`` (to the second)."""
    return as_of - since >= timedelta(days=days)


@rule("console_password_unused", params=("max_unused_days",), evidence=USER_EVIDENCE)
def console_password_unused(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """A console password unused for ``max_unused_days`` or more (FAIL at age >= N).

    Never used (``no_information``): the age runs from ``password_last_changed`` (CIS fallback).
    """
    limit: int = params["max_unused_days"]
    for user in report_users(snapshot):
        if user.row is None:
            yield missing_row(user)
            continue
        row = user.row
        password = has_password(row)
        base: Ev = {
            "user": user.name,
            "arn": user.arn,
            "threshold": limit,
            "last_used": iso_date(row.password_last_used),
        }
        if password is False:
            yield Result(
                Status.NOT_APPLICABLE,
                user.arn,
                user.name,
                {**base, "since": None, "age_days": None},
            )
            continue
        since = row.password_last_used
        if since is Sentinel.NO_INFORMATION:
            since = row.password_last_changed
        if password is None or not isinstance(since, datetime):
            yield unknown(user.arn, user.name, "value_not_available", evidence=base)
            continue
        if future(since, snapshot):
            yield unknown(user.arn, user.name, "date_in_future", evidence=base)
            continue
        status = Status.FAIL if unused_for(since, as_of, limit) else Status.PASS
        evidence = {**base, "since": iso_date(since), "age_days": age_days(since, as_of)}
        yield Result(status, user.arn, user.name, {**evidence, "measured_from": as_of.isoformat()})


@rule(
    "access_key_unused",
    params=("max_unused_days",),
    evidence=(
        "user",
        "arn",
        "key_id",
        "last_rotated",
        "last_used",
        "since",
        "age_days",
        "threshold",
        "measured_from",
    ),
)
def access_key_unused(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """An active key unused for ``max_unused_days`` or more; never used (``N/A``): age from
    ``last_rotated`` (CIS; Prowler differs, controls.md §7.7)."""
    limit: int = params["max_unused_days"]
    for user in report_users(snapshot):
        if user.row is None:
            yield missing_row(user, "user")
            continue
        for key in user.row.active_keys:
            since = key.last_used_date
            if since is Sentinel.NOT_APPLICABLE:
                since = key.last_rotated
            if not isinstance(since, datetime):
                yield key_unknown(user, key, "value_not_available")
                continue
            if future(since, snapshot):
                yield key_unknown(user, key, "date_in_future")
                continue
            yield key_result(
                user,
                key,
                Status.FAIL if unused_for(since, as_of, limit) else Status.PASS,
                since=iso_date(since),
                age_days=age_days(since, as_of),
                threshold=limit,
                measured_from=as_of.isoformat(),
            )


@rule("dormant_user", params=("dormant_days",), evidence=USER_EVIDENCE)
def dormant_user(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """A user with no sign-in and no key use for ``dormant_days`` or more (counted from
    creation when never used) is a candidate for deletion."""
    limit: int = params["dormant_days"]
    for user in report_users(snapshot):
        if user.row is None:
            yield missing_row(user)
            continue
        row = user.row
        stamps = (row.password_last_used, *(k.last_used_date for k in row.access_keys))
        last = latest(*stamps)
        since = last or row.user_creation_time
        stamps = (*stamps, row.user_creation_time)
        base: Ev = {
            "user": user.name,
            "arn": user.arn,
            "threshold": limit,
            "last_used": iso_date(last),
        }
        if not isinstance(since, datetime):
            yield unknown(user.arn, user.name, "value_not_available", evidence=base)
            continue
        if any(isinstance(d, datetime) and future(d, snapshot) for d in stamps):
            yield unknown(user.arn, user.name, "date_in_future", evidence=base)
            continue
        status = Status.FAIL if unused_for(since, as_of, limit) else Status.PASS
        evidence = {**base, "since": iso_date(since), "age_days": age_days(since, as_of)}
        yield Result(status, user.arn, user.name, {**evidence, "measured_from": as_of.isoformat()})


@rule("expired_server_certificate", evidence=("certificate", "arn", "expiration"))
def expired_server_certificate(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """A server certificate whose expiration is before as_of should be deleted."""
    for cert in sorted(snapshot.server_certificates, key=lambda c: c.arn):
        evidence: Ev = {
            "certificate": cert.name,
            "arn": cert.arn,
            "expiration": iso_date(cert.expiration),
        }
        if cert.expiration is None:
            yield unknown(
                cert.arn,
                cert.name,
                "value_not_available",
                Src.SERVER_CERTIFICATES,
                evidence=evidence,
            )
            continue
        status = Status.FAIL if cert.expiration < as_of else Status.PASS
        yield Result(status, cert.arn, cert.name, evidence)
