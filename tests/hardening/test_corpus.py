"""Bad input through the CLI: one line naming the file and the place, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportgen.cli import cli
from reportgen.errors import CatalogueError, CredentialReportError
from reportgen.snapshot import credreport
from reportgen.snapshot import document as snapshot
from tests.hardening.cli_run import (
    assert_one_line_error,
    evaluate_args,
    in_process,
    subprocess_run,
)

CORPUS = Path(__file__).parent / "corpus"
PRECIOUS = b"the snapshot from last quarter\n"

# file -> what the one-line error must say about the place (line, field or JSON path)
BAD_REPORTS = {
    "bad_missing_column.csv": "line 1: missing columns: cert_2_last_rotated",
    "bad_extra_column.csv": "line 1: unknown columns: extra",
    "bad_reordered_columns.csv": "line 1: columns are not in the order",
    "bad_garbage_date.csv": "line 3: password_last_used: not a date",
    "bad_date_without_zone.csv": "line 3: password_last_used: date without a time zone",
    "bad_empty.csv": "line 1: the credential report is empty",
    "bad_blank_lines.csv": "line 1: the credential report is empty",
    "bad_header_only.csv": "no rows, so the account is unknown",
    "bad_duplicated_user.csv": "line 4: user 'alice' appears twice",
    "bad_short_row.csv": "line 3: expected 22 columns, found 10",
    "bad_flag.csv": "line 3: mfa_active: expected true or false",
    "bad_non_utf8.csv": "not UTF-8 text (byte",
    "bad_row_without_arn.csv": "line 3: a row needs a user name and an ARN",
    "bad_account_in_arn.csv": "cannot read the account id from ARN",
    "bad_not_csv.csv": "line 1: not a credential report",
    "bad_nul_byte.csv": "line 3: control character",
    "bad_unclosed_quote.csv": "line 3: expected 22 columns",
    "bad_json_no_content.json": "neither a credential report CSV nor the JSON",
    "bad_json_not_base64.json": "Content is not base64",
    "bad_json_bad_time.json": "GeneratedTime is not a date",
    "bad_json_truncated.json": "neither a credential report CSV nor the JSON",
}
GOOD_REPORTS = sorted(p.name for p in (CORPUS / "reports").glob("ok_*"))

BAD_SNAPSHOTS = {
    "bad_truncated.json": "not valid JSON (line 40",
    "bad_not_json.json": "not valid JSON (line 1, column 1",
    "bad_empty.json": "not valid JSON (line 1",
    "bad_top_level_array.json": "a snapshot is a JSON object",
    "bad_non_utf8.json": "not UTF-8 text (byte",
    "bad_schema_version.json": "unsupported snapshot schema 'reportgen.snapshot/2'",
    "bad_no_schema.json": "unsupported snapshot schema None",
    "bad_missing_account.json": "'account' is a required property",
    "bad_missing_sources.json": "'sources' is a required property",
    "bad_missing_data.json": "'data' is a required property",
    "bad_account_id.json": "invalid at account/id",
    "bad_account_id_number.json": "invalid at account/id",
    "bad_collected_at_type.json": "invalid at collected_at",
    "bad_collected_at_text.json": "invalid at collected_at",
    "bad_source_status.json": "invalid at sources/password_policy/status",
    "bad_users_not_a_list.json": "invalid at data/authorization_details/UserDetailList:",
    "bad_user_without_arn.json": "invalid at data/authorization_details/UserDetailList/0",
    "bad_user_without_name.json": "UserDetailList/0: 'UserName' is a required property",
    "bad_create_date.json": "invalid at data/authorization_details/UserDetailList/0/CreateDate",
    "bad_policy_default_version_missing.json": "Policies/0: policy",
    "bad_policy_document_text.json": "invalid at data/authorization_details/UserDetailList/0",
    "bad_summary_not_integer.json": "invalid at data/account_summary/Users",
    "bad_report_garbage_date.json": "credential report line 3: password_last_used",
    "bad_report_empty.json": "credential report line 1",
    "bad_report_duplicated_user.json": "credential report line 4",
    "bad_tags_not_pairs.json": "invalid at data/authorization_details/UserDetailList/0/Tags/0",
    "bad_group_policy_list.json": "GroupDetailList/0/AttachedManagedPolicies/0: 'PolicyName'",
    "bad_trail_status_type.json": "invalid at data/cloudtrail/trails/0",
}
GOOD_SNAPSHOTS = sorted(p.name for p in (CORPUS / "snapshots").glob("ok_*"))


def test_the_tables_cover_the_whole_corpus() -> None:
    """Every corpus file has an expectation, so a new file cannot be silently skipped."""
    for folder, bad, good in (
        ("reports", BAD_REPORTS, GOOD_REPORTS),
        ("snapshots", BAD_SNAPSHOTS, GOOD_SNAPSHOTS),
    ):
        on_disk = {p.name for p in (CORPUS / folder).iterdir()}
        assert on_disk == set(bad) | set(good), folder


def precious(tmp_path: Path) -> Path:
    """An existing output file that a failing command must leave alone, even with --force."""
    out = tmp_path / "out.json"
    out.write_bytes(PRECIOUS)
    return out


def assert_untouched(tmp_path: Path, out: Path) -> None:
    assert out.read_bytes() == PRECIOUS
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temp file left behind


@pytest.mark.parametrize(("name", "place"), sorted(BAD_REPORTS.items()))
def test_bad_credential_report_is_one_line_and_writes_nothing(
    name: str, place: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """import of a malformed report: exit 2, one line with the file and place, output kept."""
    report = CORPUS / "reports" / name
    out = precious(tmp_path)
    args = ("import", "--credential-report", str(report), "-o", str(out), "--force")
    assert_one_line_error(in_process(capsys, *args), str(report), place)
    assert_untouched(tmp_path, out)


@pytest.mark.parametrize("name", GOOD_REPORTS)
def test_good_credential_report_variants_import(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """BOM, CRLF, no final newline, upper-case flags, CLI JSON and a report without the root
    row all import into a snapshot that loads."""
    out = tmp_path / "s.json"
    report = CORPUS / "reports" / name
    args = ["import", "--credential-report", str(report), "-o", str(out)]
    outcome = in_process(capsys, *args, "--collected-at", "2026-11-28")
    assert outcome.code == 0, outcome.stderr
    loaded = snapshot.load(out)
    assert loaded.credential_report is not None
    assert [u.name for u in loaded.users] == ["alice"]


@pytest.mark.parametrize(("name", "place"), sorted(BAD_SNAPSHOTS.items()))
def test_bad_snapshot_is_one_line_and_writes_nothing(
    name: str, place: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """redact (a command that loads a snapshot) refuses a bad snapshot in one line, exit 2."""
    path = CORPUS / "snapshots" / name
    out = precious(tmp_path)
    outcome = in_process(capsys, "redact", str(path), "-o", str(out), "--force")
    assert_one_line_error(outcome, str(path), place)
    assert_untouched(tmp_path, out)


@pytest.mark.parametrize(("name", "place"), sorted(BAD_SNAPSHOTS.items()))
def test_bad_snapshot_through_evaluate(
    name: str, place: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """reportgen evaluate refuses a bad snapshot in one line, exit 2, and writes nothing."""
    path = CORPUS / "snapshots" / name
    out = tmp_path / "findings.json"
    args = evaluate_args(path, out)
    if args is None:
        pytest.skip("reportgen/cli/evaluate_cmd.py does not exist yet")
    assert_one_line_error(in_process(capsys, *args), str(path), place)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", GOOD_SNAPSHOTS)
def test_good_snapshot_variants_load_and_redact(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unknown extra fields (forward compatible), absent sources, null password policy and
    URL-encoded policies load, and a command that reads them replaces the old output."""
    path = CORPUS / "snapshots" / name
    out = precious(tmp_path)
    outcome = in_process(capsys, "redact", str(path), "-o", str(out), "--force")
    assert outcome.code == 0, outcome.stderr
    assert snapshot.load(out).account.id != "123456789012"


def test_the_real_interpreter_prints_no_traceback(tmp_path: Path) -> None:
    """`python -m reportgen` itself (not just main()) turns bad input into one line, exit 2."""
    out = precious(tmp_path)
    report = CORPUS / "reports" / "bad_flag.csv"
    outcome = subprocess_run(
        "import", "--credential-report", str(report), "-o", str(out), "--force"
    )
    assert_one_line_error(outcome, str(report), "line 3")
    broken = CORPUS / "snapshots" / "bad_truncated.json"
    outcome = subprocess_run("redact", str(broken), "-o", str(out), "--force")
    assert_one_line_error(outcome, str(broken), "line 40")
    assert_untouched(tmp_path, out)


def _huge_user_report() -> str:
    text = (CORPUS / "reports" / "ok_plain.csv").read_text()
    return text.replace("alice,arn", "a" * 300_000 + ",arn", 1)


def test_a_huge_field_in_the_report_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 300 kB cell (over the csv module's limit) is a one-line error, not a csv traceback."""
    report = tmp_path / "huge.csv"
    report.write_text(_huge_user_report())
    out = tmp_path / "s.json"
    outcome = in_process(capsys, "import", "--credential-report", str(report), "-o", str(out))
    assert_one_line_error(outcome, str(report), "line 3: not readable as CSV")
    assert not out.exists()


def test_huge_strings_in_a_snapshot_load(tmp_path: Path) -> None:
    """Megabyte-long tag values and unknown fields are data, not errors."""
    document = json.loads((CORPUS / "snapshots" / "ok_minimal.json").read_text())
    user = document["data"]["authorization_details"]["UserDetailList"][0]
    user["Tags"] = [{"Key": "Note", "Value": "x" * 2_000_000}]
    document["x_future"] = "y" * 1_000_000
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(document))
    loaded = snapshot.load(path)
    assert len(loaded.users[0].tags["Note"]) == 2_000_000


def test_header_only_report_parses_as_no_users() -> None:
    """A report with only its header is valid for the parser: no users, no root."""
    parsed = credreport.parse((CORPUS / "reports" / "bad_header_only.csv").read_text())
    assert parsed.rows == () and parsed.root is None


def test_parser_errors_are_credential_report_errors() -> None:
    """The parser itself raises CredentialReportError with the line for a huge cell."""
    with pytest.raises(CredentialReportError, match="line 3"):
        credreport.parse(_huge_user_report())


# --- catalogue side: exceptions and profiles (another helper's modules) -------------------

BAD_EXCEPTIONS = {
    "bad_yaml.yaml": ":4: invalid YAML",
    "bad_not_a_list.yaml": ":1: an exceptions file is a YAML list",
    "bad_unknown_check.yaml": ":6: unknown check id 'no_such_check'",
    "bad_date.yaml": ":5: expires must be a date",
    "bad_impossible_date.yaml": ":5: expires must be a date",
    "bad_missing_approver.yaml": ":1: missing approver",
    "bad_unknown_key.yaml": ":6: unknown key 'expiry'",
    "bad_entry_not_mapping.yaml": ":1: each exception must be a mapping",
    "bad_non_utf8.yaml": ":2: not UTF-8 text (byte",
}
BAD_PROFILES = {
    "bad_yaml.yaml": ":3: invalid YAML",
    "bad_unknown_check.yaml": ":4: unknown check id 'acess_key_unused'",
    "bad_unknown_parameter.yaml": ":4: 'access_key_rotated' has no parameter 'max_age_days'",
    "bad_parameter_type.yaml": ":4: access_key_rotated.max_key_age_days must be",
    "bad_no_checks.yaml": ":2: 'checks' must list at least one check id",
    "bad_not_mapping.yaml": "a profile must be a mapping",
    "bad_unknown_key.yaml": ":3: unknown key 'overrides'",
}


@pytest.mark.parametrize(("name", "place"), sorted(BAD_EXCEPTIONS.items()))
def test_bad_exceptions_file_names_file_and_line(name: str, place: str) -> None:
    """A malformed exceptions file raises CatalogueError naming the file and the line."""
    from reportgen.evaluate import exceptions as exceptions_file
    from reportgen.evaluate.catalogue import load_catalogue

    path = CORPUS / "exceptions" / name
    with pytest.raises(CatalogueError) as caught:
        exceptions_file.load_exceptions(path, load_catalogue())
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path)) and place in message


@pytest.mark.parametrize(("name", "place"), sorted(BAD_PROFILES.items()))
def test_bad_profile_names_file_and_line(name: str, place: str) -> None:
    """A malformed profile raises CatalogueError naming the file and the line."""
    from reportgen.evaluate import profiles
    from reportgen.evaluate.catalogue import load_catalogue

    path = CORPUS / "profiles" / name
    with pytest.raises(CatalogueError) as caught:
        profiles.load_profile(path, load_catalogue())
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path)) and place in message


def test_good_catalogue_files_load() -> None:
    """The valid exceptions file, the empty one and the valid profile load."""
    from reportgen.evaluate import exceptions as exceptions_file
    from reportgen.evaluate import profiles
    from reportgen.evaluate.catalogue import load_catalogue

    catalogue = load_catalogue()
    entries = exceptions_file.load_exceptions(CORPUS / "exceptions" / "ok_valid.yaml", catalogue)
    assert [e.check_id for e in entries] == ["access_key_rotated"]
    assert exceptions_file.load_exceptions(CORPUS / "exceptions" / "ok_empty.yaml") == ()
    profile = profiles.load_profile(CORPUS / "profiles" / "ok_valid.yaml", catalogue)
    assert profile.params(catalogue["access_key_rotated"])["max_key_age_days"] == 60


@pytest.mark.parametrize(
    ("option", "folder", "table"),
    [("--exceptions", "exceptions", BAD_EXCEPTIONS), ("--profile", "profiles", BAD_PROFILES)],
)
def test_bad_catalogue_files_through_evaluate(
    option: str,
    folder: str,
    table: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """reportgen evaluate --exceptions/--profile with a bad file: one line, exit 2."""
    good = CORPUS / "snapshots" / "ok_minimal.json"
    args = evaluate_args(good, tmp_path / "findings.json")
    if args is None:
        pytest.skip("reportgen/cli/evaluate_cmd.py does not exist yet")
    options = {o for p in cli.commands["evaluate"].params for o in getattr(p, "opts", [])}
    if option not in options:
        pytest.skip(f"reportgen evaluate has no {option} option")
    for name, place in sorted(table.items()):
        path = CORPUS / folder / name
        assert_one_line_error(in_process(capsys, *args, option, str(path)), str(path), place)
    assert list(tmp_path.iterdir()) == []
