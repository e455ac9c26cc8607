"""The credential report parser: columns, sentinels, dates, root row and malformed input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reportgen.errors import CredentialReportError
from reportgen.snapshot import credreport
from reportgen.snapshot.model import Sentinel

HEADER = ",".join(credreport.COLUMNS)
ROOT_OLD = (
    "<root_account>,arn:aws:iam::123456789012:root,2019-01-01T00:00:00+00:00,not_supported,"
    "2026-11-01T10:00:00+00:00,not_supported,not_supported,false,true,2020-02-02T00:00:00+00:00,"
    "2026-10-30T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"
)
ROOT_NEW = (
    "<root_account>,arn:aws:iam::123456789012:root,2019-01-01T00:00:00Z,true,"
    "no_information,2024-05-05T00:00:00Z,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,"
    "N/A,N/A,false,N/A,false,N/A"
)
ALICE = (
    "alice,arn:aws:iam::123456789012:user/alice,2024-01-01T00:00:00+00:00,TRUE,no_information,"
    "2024-01-01T00:00:00+00:00,N/A,False,true,2024-01-02T00:00:00+00:00,N/A,N/A,N/A,false,N/A,"
    "N/A,N/A,N/A,false,N/A,false,N/A"
)


def report(*rows: str, header: str = HEADER, newline: str = "\n") -> str:
    return newline.join([header, *rows])


def test_root_row_becomes_root_and_users_stay_rows() -> None:
    """The <root_account> row is the report's root, not one of its users."""
    parsed = credreport.parse(report(ROOT_OLD, ALICE))
    assert parsed.root is not None and parsed.root.is_root
    assert [r.user for r in parsed.rows] == ["alice"]


@pytest.mark.parametrize("root_row", [ROOT_OLD, ROOT_NEW], ids=["old-format", "new-format"])
def test_root_password_enabled_in_both_report_formats(root_row: str) -> None:
    """Root password_enabled is not_supported in old reports and a boolean in new ones."""
    root = credreport.parse(report(root_row)).root
    assert root is not None
    assert root.password_enabled in (Sentinel.NOT_SUPPORTED, True)


def test_sentinels_are_explicit_and_never_dates() -> None:
    """N/A, no_information and not_supported parse to Sentinel members."""
    alice = credreport.parse(report(ALICE)).rows[0]
    assert alice.password_last_used is Sentinel.NO_INFORMATION
    assert alice.password_next_rotation is Sentinel.NOT_APPLICABLE
    assert alice.access_keys[0].last_used_date is Sentinel.NOT_APPLICABLE
    assert alice.access_keys[1].last_rotated is Sentinel.NOT_APPLICABLE


def test_booleans_are_case_insensitive() -> None:
    """TRUE/False/true all parse as booleans."""
    alice = credreport.parse(report(ALICE)).rows[0]
    assert alice.password_enabled is True and alice.mfa_active is False
    assert alice.access_keys[0].active is True


@pytest.mark.parametrize("text", ["2025-01-28T17:25:12Z", "2025-01-28T17:25:12+00:00"])
def test_both_timestamp_styles_parse_to_utc(text: str) -> None:
    """Z and +00:00 timestamps give the same aware UTC datetime."""
    assert credreport.parse_stamp(text) == datetime(2025, 1, 28, 17, 25, 12, tzinfo=UTC)


def test_bom_and_crlf_are_accepted() -> None:
    """A report saved by Excel (BOM, CRLF) parses like the original."""
    parsed = credreport.parse("\ufeff" + report(ROOT_OLD, ALICE, newline="\r\n") + "\r\n")
    assert parsed.root is not None and len(parsed.rows) == 1


def test_a_user_named_user_is_not_taken_for_a_header() -> None:
    """Header detection uses the whole header row, not the first cell."""
    row = ALICE.replace(
        "alice,arn:aws:iam::123456789012:user/alice", "user,arn:aws:iam::1:user/user"
    )
    assert credreport.parse(report(row)).rows[0].user == "user"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("", 1, "empty"),
        (report(ALICE, header=HEADER.replace(",cert_2_last_rotated", "")), 1, "missing column"),
        (report(ALICE, header=HEADER + ",extra"), 1, "unknown column"),
        (report(ALICE + ",x"), 2, "columns"),
        (
            report(ROOT_OLD, ALICE.replace("2024-01-02T00:00:00+00:00", "yesterday")),
            3,
            "not a date",
        ),
        (report(ALICE.replace(",False,", ",maybe,")), 2, "true or false"),
        (report(ALICE, ALICE), 3, "twice"),
        (
            report(ALICE.replace("2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00", 1)),
            2,
            "time zone",
        ),
    ],
    ids=["empty", "missing", "unknown", "count", "bad-date", "bad-bool", "duplicate", "naive"],
)
def test_malformed_reports_name_the_line(text: str, line: int, fragment: str) -> None:
    """Each malformation is a CredentialReportError that gives the line number."""
    with pytest.raises(CredentialReportError) as caught:
        credreport.parse(text)
    assert caught.value.line == line
    assert fragment in str(caught.value)


def test_reordered_columns_are_rejected() -> None:
    """Columns in another order than AWS writes them are an error, not a silent misread."""
    cols = list(credreport.COLUMNS)
    cols[2], cols[3] = cols[3], cols[2]
    with pytest.raises(CredentialReportError, match="order"):
        credreport.parse(report(ALICE, header=",".join(cols)))
