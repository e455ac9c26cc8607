"""Parse the IAM credential report CSV into typed rows (controls.md §1).

Sentinels (``N/A``, ``no_information``, ``not_supported``) become :class:`Sentinel`
members here and nowhere else; dates accept both ``+00:00`` and ``Z``.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from reportgen.errors import CredentialReportError
from reportgen.snapshot.model import (
    AccessKeyCredential,
    CertificateCredential,
    CredentialReport,
    CredentialRow,
    Flag,
    Sentinel,
    Stamp,
    Text,
)

COLUMNS = (
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
)
ROOT_USER = "<root_account>"
_SENTINELS = {s.value.lower(): s for s in Sentinel}


def parse(raw: str, generated_time: datetime | None = None) -> CredentialReport:
    """Parse the report's text (a leading BOM and CRLF line ends are accepted)."""
    text = raw.removeprefix("\ufeff")
    if not text.strip():
        raise CredentialReportError.keyed_at(1, "credreport_empty")
    rows = _read_rows(text)
    _check_header(rows[0])
    parsed: list[CredentialRow] = []
    seen: set[str] = set()
    root: CredentialRow | None = None
    for index, cells in enumerate(rows[1:], start=2):
        if not cells:
            continue  # a trailing blank line
        if len(cells) != len(COLUMNS):
            raise CredentialReportError.keyed_at(
                index, "credreport_columns", expected=len(COLUMNS), found=len(cells)
            )
        row = _row(dict(zip(COLUMNS, cells, strict=True)), index)
        if row.arn in seen:
            raise CredentialReportError.keyed_at(index, "credreport_user_twice", user=row.user)
        seen.add(row.arn)
        if row.is_root:
            root = row
        else:
            parsed.append(row)
    return CredentialReport(generated_time=generated_time, rows=tuple(parsed), root=root, raw=raw)


def _read_rows(text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as exc:  # e.g. a field over the csv module's size limit
        raise CredentialReportError.keyed_at(
            reader.line_num, "credreport_not_csv", reason=exc
        ) from None


def _check_header(header: list[str]) -> None:
    names = [h.strip() for h in header]
    if not set(names) & {"user", "arn"}:
        raise CredentialReportError.keyed_at(1, "credreport_not_report")
    missing = [c for c in COLUMNS if c not in names]
    unknown = [h for h in names if h not in COLUMNS]
    if missing:
        raise CredentialReportError.keyed_at(
            1, "credreport_missing_columns", columns=", ".join(missing)
        )
    if unknown:
        raise CredentialReportError.keyed_at(
            1, "credreport_unknown_columns", columns=", ".join(unknown)
        )
    if tuple(names) != COLUMNS:
        raise CredentialReportError.keyed_at(1, "credreport_column_order")


def _row(cells: dict[str, str], line: int) -> CredentialRow:
    def stamp(column: str) -> Stamp:
        return parse_stamp(cells[column], column, line)

    def text(column: str) -> Text:
        value = cells[column].strip()
        return _SENTINELS.get(value.lower(), value)

    def flag(column: str) -> bool:
        value = parse_flag(cells[column], column, line)
        if isinstance(value, Sentinel):
            raise CredentialReportError.keyed_at(
                line, "credreport_not_flag", column=column, value=value.value
            )
        return value

    if not cells["user"].strip() or not cells["arn"].startswith("arn:"):
        raise CredentialReportError.keyed_at(line, "credreport_no_user")
    if any(ord(c) < 32 or ord(c) == 127 for c in cells["user"] + cells["arn"]):
        raise CredentialReportError.keyed_at(line, "credreport_control_character")
    keys = tuple(
        AccessKeyCredential(
            slot=n,
            active=flag(f"access_key_{n}_active"),
            last_rotated=stamp(f"access_key_{n}_last_rotated"),
            last_used_date=stamp(f"access_key_{n}_last_used_date"),
            last_used_region=text(f"access_key_{n}_last_used_region"),
            last_used_service=text(f"access_key_{n}_last_used_service"),
        )
        for n in (1, 2)
    )
    certs = tuple(
        CertificateCredential(
            slot=n, active=flag(f"cert_{n}_active"), last_rotated=stamp(f"cert_{n}_last_rotated")
        )
        for n in (1, 2)
    )
    return CredentialRow(
        line=line,
        user=cells["user"],
        arn=cells["arn"],
        user_creation_time=stamp("user_creation_time"),
        password_enabled=parse_flag(cells["password_enabled"], "password_enabled", line),
        password_last_used=stamp("password_last_used"),
        password_last_changed=stamp("password_last_changed"),
        password_next_rotation=stamp("password_next_rotation"),
        mfa_active=flag("mfa_active"),
        access_keys=(keys[0], keys[1]),
        certificates=(certs[0], certs[1]),
    )


def parse_stamp(value: str, column: str = "date", line: int | None = None) -> Stamp:
    """A report timestamp: an aware UTC datetime, or a sentinel."""
    value = value.strip()
    sentinel = _SENTINELS.get(value.lower())
    if sentinel is not None:
        return sentinel
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CredentialReportError.keyed_at(
            line, "credreport_not_date", column=column, value=value[:40]
        ) from None
    if parsed.tzinfo is None:
        raise CredentialReportError.keyed_at(line, "credreport_no_zone", column=column, value=value)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-05:00 is after year 9999 in UTC
        raise CredentialReportError.keyed_at(
            line, "credreport_date_range", column=column, value=value[:40]
        ) from None


def parse_flag(value: str, column: str = "flag", line: int | None = None) -> Flag:
    """A report boolean, case-insensitive; ``not_supported`` stays a sentinel."""
    lowered = value.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in _SENTINELS:
        return _SENTINELS[lowered]
    raise CredentialReportError.keyed_at(
        line, "credreport_not_flag", column=column, value=repr(value[:40])
    )
