"""Small helpers shared by the rules: ages, dates as evidence, users from the credential report."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from reportgen.evaluate.findings import Evidence, EvidenceValue, Status
from reportgen.evaluate.rules.base import Result
from reportgen.snapshot.model import CredentialRow, Sentinel, Snapshot, Src, Stamp

DAY = timedelta(days=1)


def age_days(then: datetime, as_of: datetime) -> int:
    """Whole days from ``then`` to ``as_of`` (never negative: clock skew reads as 0)."""
    return max(0, (as_of - then) // DAY)


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
