"""Small helpers shared by the rules: ages, dates as evidence, users from the credential report,
principals whose data is incomplete."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from reportgen.evaluate.findings import Evidence, EvidenceValue, Status
from reportgen.evaluate.rules.base import Result
from reportgen.snapshot.model import CredentialRow, Sentinel, Snapshot, Src, Stamp

DAY = timedelta(days=1)
SKEW = timedelta(minutes=15)
"""Clock-skew tolerance: a date later than the data's own time by more is not believed."""


def age_days(then: datetime, as_of: datetime) -> int:
    """Whole days from ``then`` to ``as_of`` for display (a date within the skew tolerance
    after ``as_of`` reads as 0). Judge with :func:`older_than`, not with this floor."""
    return max(0, (as_of - then) // DAY)


def older_than(then: datetime, now: datetime, days: int) -> bool:
    """True when more than ``days`` full days lie between ``then`` and ``now``: full
    timestamps are compared, so 90 days and 23 hours is older than 90 days."""
    return now - then > timedelta(days=days)


def future(then: datetime, snapshot: Snapshot) -> bool:
    """True when ``then`` lies after the moment the data describes (the credential report's
    generation, else the collection) by more than :data:`SKEW`: such a date is not evidence."""
    return then > snapshot.report_time + SKEW


def principal_gap(snapshot: Snapshot, arn: str) -> str | None:
    """The reason code why the data of principal ``arn`` is incomplete (e.g. a user in the
    credential report but not in the authorization details), or ``None`` when complete."""
    return snapshot.principal_gaps.get(arn)


def unknown_if_incomplete(
    snapshot: Snapshot,
    arn: str,
    name: str,
    resource_type: str | None = None,
    evidence: Evidence | None = None,
) -> Result | None:
    """UNKNOWN for a principal whose data is incomplete, ``None`` when it is complete.

    Rules that judge a user, group or role from the authorization details call this first::

        if (gap := unknown_if_incomplete(snapshot, user.arn, user.name)) is not None:
            yield gap
            continue
    """
    reason = principal_gap(snapshot, arn)
    if reason is None:
        return None
    return unknown(arn, name, reason, Src.AUTHORIZATION_DETAILS, resource_type, evidence)


def iso_date(stamp: Stamp | datetime | None) -> str | None:
    """A date for evidence (ISO 8601, UTC day); sentinels and ``None`` give ``None``."""
    return stamp.date().isoformat() if isinstance(stamp, datetime) else None


def latest(*stamps: Stamp | None) -> datetime | None:
    """The most recent real date among ``stamps`` (sentinels ignored)."""
    dates = [s for s in stamps if isinstance(s, datetime)]
    return max(dates) if dates else None


def account_id(snapshot: Snapshot) -> str:
    """The resource id of account-wide findings."""
    return snapshot.account.id


Ev = dict[str, EvidenceValue]


def unknown(
    resource_id: str,
    resource_name: str,
    reason: str,
    source: str = Src.CREDENTIAL_REPORT,
    resource_type: str | None = None,
    evidence: Evidence | None = None,
) -> Result:
    """An UNKNOWN result: the source was read but lacks what the check needs (``reason`` is a
    code from the ``reasons`` UI catalogue)."""
    return Result(
        Status.UNKNOWN,
        resource_id,
        resource_name,
        {
            **(evidence or {}),
            "source": str(source),
            "source_status": "ok",
            "source_message": None,
            "reason": reason,
        },
        resource_type,
    )


@dataclass(frozen=True)
class ReportUser:
    """An IAM user as far as the credential report can tell (``row`` None: not in the report)."""

    name: str
    arn: str
    row: CredentialRow | None


def report_users(snapshot: Snapshot) -> Iterator[ReportUser]:
    """Every IAM user to judge from the credential report, in ARN order.

    The report's own rows always count. When the authorization details were read too, users
    that the report does not list (created after it was generated) are added with ``row=None``
    so that the rule can report them UNKNOWN instead of silently skipping them.
    """
    report = snapshot.credential_report
    found: dict[str, ReportUser] = {}
    for row in report.rows if report else ():
        if not row.is_root:
            found[row.arn] = ReportUser(row.user, row.arn, row)
    if snapshot.source(Src.AUTHORIZATION_DETAILS).ok:
        for user in snapshot.users:
            if user.arn not in found:
                found[user.arn] = ReportUser(user.name, user.arn, user.credentials)
    return iter(sorted(found.values(), key=lambda u: u.arn))


def missing_row(user: ReportUser, resource_type: str | None = None) -> Result:
    """UNKNOWN for a user the credential report does not list."""
    evidence: Ev = {"user": user.name, "arn": user.arn}
    return unknown(
        user.arn, user.name, "user_not_in_report", resource_type=resource_type, evidence=evidence
    )


def has_password(row: CredentialRow) -> bool | None:
    """Whether the user has a console password; ``None`` when the report cannot say."""
    return row.password_enabled if isinstance(row.password_enabled, bool) else None


def key_resource(user_arn: str, slot: int) -> str:
    """The resource id of an access-key slot (the report names slots, not key ids)."""
    return f"{user_arn}#access_key_{slot}"


def sentinel_text(stamp: Stamp) -> str | None:
    """The raw sentinel (``N/A``, ``no_information``) for evidence, or ``None`` for a date."""
    return stamp.value if isinstance(stamp, Sentinel) else None
