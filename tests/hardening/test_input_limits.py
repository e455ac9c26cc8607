"""Hostile inputs that used to print tracebacks or run for minutes: one line, exit 2, fast.

Each refusal takes well under a second on an idle machine (measured by hand, noted in the
issue); the tests bound the CPU time of this process at a few seconds so that a loaded CI
machine cannot make them flaky while a minutes-long parse (the alias bomb took 37 s) fails.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from reportgen.errors import CatalogueError
from reportgen.snapshot import document as snapshot
from reportgen.yamldoc import read_yaml
from tests.hardening.cli_run import Outcome, assert_one_line_error, in_process

LIMIT_CPU_SECONDS = 3.0
CORPUS = Path(__file__).parent / "corpus"
MINIMAL = CORPUS / "snapshots" / "ok_minimal.json"
REPORT = CORPUS / "reports" / "ok_plain.csv"
BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else '1, 2, 3, 4, 5, 6, 7, 8, 9'}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


def timed(run: Callable[[], Outcome]) -> Outcome:
    """Run a command that loads no catalogue and bound the CPU time it took."""
    start = time.process_time()
    outcome = run()
    assert time.process_time() - start < LIMIT_CPU_SECONDS
    return outcome


def _document() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(MINIMAL.read_text())
    return loaded


def _snapshot_cases() -> dict[str, tuple[bytes, str]]:
    deep = b"[" * 100_000
    digits = json.dumps({**_document(), "x": 0}).replace('"x": 0', '"x": ' + "9" * 5_000)
    early = _document()
    early["collected_at"] = "0001-01-01T00:00:00+01:00"
    late = json.loads(MINIMAL.read_text())
    user = late["data"]["authorization_details"]["UserDetailList"][0]
    user["CreateDate"] = "9999-12-31T23:59:59-05:00"
    newline = _document()
    newline["account"] = {**newline["account"], "id": "123456789012\n"}  # type: ignore[dict-item]
    return {
        "deep nesting": (deep, "nested too deeply"),
        "5,000-digit integer": (digits.encode(), "not a snapshot"),
        "year 0 in UTC": (json.dumps(early).encode(), "outside the years 1-9999"),
        "year 10000 in UTC": (json.dumps(late).encode(), "outside the years 1-9999"),
        "account id with a newline": (json.dumps(newline).encode(), "account/id"),
    }


@pytest.mark.parametrize("case", sorted(_snapshot_cases()))
def test_hostile_snapshots_are_one_line(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Deep nesting, huge integers, dates beyond the calendar, a newline in the account id."""
    data, fragment = _snapshot_cases()[case]
    path = tmp_path / "s.json"
    path.write_bytes(data)
    out = tmp_path / "out.json"
    outcome = timed(lambda: in_process(capsys, "redact", str(path), "-o", str(out)))
    assert_one_line_error(outcome, str(path), fragment)
    assert_one_line_error(in_process(capsys, "evaluate", str(path)), str(path), fragment)


def test_a_snapshot_with_a_bom_loads(tmp_path: Path) -> None:
    """A UTF-8 BOM is accepted as in a CSV; the SHA-256 is still the file's bytes'."""
    data = b"\xef\xbb\xbf" + MINIMAL.read_bytes()
    path = tmp_path / "bom.json"
    path.write_bytes(data)
    import hashlib

    assert snapshot.load(path).sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("deep.json", '{"Content": ' + "[" * 100_000, "neither a credential report"),
        ("digits.json", '{"Content": ' + "9" * 5_000 + "}", "neither a credential report"),
        (
            "early.json",
            json.dumps(
                {
                    "Content": base64.b64encode(REPORT.read_bytes()).decode(),
                    "GeneratedTime": "0001-01-01T00:00:00+01:00",
                }
            ),
            "GeneratedTime is outside",
        ),
        (
            "late.csv",
            REPORT.read_text().replace("2024-01-01T00:00:00+00:00", "9999-12-31T23:59:59-05:00", 1),
            "outside the years 1-9999",
        ),
    ],
)
def test_hostile_import_files_are_one_line(
    name: str, content: str, fragment: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """import: deep JSON, huge integers and dates beyond the calendar are one line, exit 2."""
    path = tmp_path / name
    path.write_text(content)
    out = tmp_path / "s.json"
    outcome = timed(
        lambda: in_process(capsys, "import", "--credential-report", str(path), "-o", str(out))
    )
    assert_one_line_error(outcome, str(path), fragment)
    assert not out.exists()


def test_deep_authorization_details_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """import --authorization-details with 100,000 nested brackets: one line, exit 2."""
    deep = tmp_path / "details.json"
    deep.write_text("[" * 100_000)
    args = ["import", "--credential-report", str(REPORT), "--authorization-details", str(deep)]
    args += ["--collected-at", "2026-11-28"]
    outcome = timed(lambda: in_process(capsys, *args, "-o", str(tmp_path / "s.json")))
    assert_one_line_error(outcome, str(deep), "nested too deeply")


@pytest.mark.parametrize("option", ["--exceptions", "--profile"])
@pytest.mark.parametrize(
    ("text", "fragment"),
    [(BOMB, "aliases expand to more than"), ("- &a [*a]\n", "refers to the value")],
)
def test_yaml_alias_bombs_are_one_line_within_a_second(
    option: str, text: str, fragment: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A nine-line alias bomb and a recursive alias: one line naming file and line, < 1 s."""
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    outcome = in_process(capsys, "evaluate", str(MINIMAL), option, str(path))
    assert_one_line_error(outcome, f"{path}:", fragment)
    start = time.process_time()
    with pytest.raises(CatalogueError, match=fragment):
        read_yaml(path)
    assert time.process_time() - start < LIMIT_CPU_SECONDS


def test_more_users_than_an_account_holds_are_refused_early(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A credential report of 6,000 rows is refused before parsing, in under a second."""
    lines = REPORT.read_text().splitlines()
    header, row = lines[0], lines[-1]
    rows = [row.replace("alice", f"user{i}", 1) for i in range(6_000)]
    big = tmp_path / "big.csv"
    big.write_text("\n".join([header, *rows]) + "\n")
    out = tmp_path / "s.json"
    outcome = timed(
        lambda: in_process(capsys, "import", "--credential-report", str(big), "-o", str(out))
    )
    assert_one_line_error(outcome, str(big), "at most 5000 users")


def test_a_snapshot_with_too_many_users_is_refused_before_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """UserDetailList over 5,000 entries: one line naming the limit, nothing validated."""
    document = json.loads(MINIMAL.read_text())
    details = document["data"]["authorization_details"]
    details["UserDetailList"] = details["UserDetailList"] * 5_001
    path = tmp_path / "many.json"
    path.write_text(json.dumps(document))
    outcome = timed(lambda: in_process(capsys, "redact", str(path), "-o", str(tmp_path / "o")))
    assert_one_line_error(outcome, str(path), "UserDetailList has 5001 entries")


def test_limit_messages_read_in_japanese() -> None:
    """The size-limit refusals are keyed: the Japanese CLI shows them in Japanese."""
    from reportgen.cli.i18n import error_text
    from reportgen.errors import InputError
    from reportgen.snapshot.limits import MAX_USERS, check_details, check_report_rows

    rows = "user,arn\n" + "u,arn:aws:iam::123456789012:user/u\n" * (MAX_USERS + 5)
    with pytest.raises(InputError) as report:
        check_report_rows("report.csv", rows)
    assert error_text(report.value, "ja").startswith("report.csv：認証情報レポートが")
    assert "at most 5000 users" in str(report.value)  # the English text is unchanged
    with pytest.raises(InputError) as details:
        check_details("gaad.json", {"UserDetailList": [{}] * (MAX_USERS + 1)})
    assert "UserDetailList の項目が 5001 件あります" in error_text(details.value, "ja")


@pytest.mark.parametrize("end", ["\n", "", "\n\n", "\r\n"])
def test_the_row_limit_is_exact(end: str) -> None:
    """5,000 users and <root_account> pass; one user more is refused, whatever the line ends
    (a final newline let 5,001 users through)."""
    from reportgen.errors import InputError
    from reportgen.snapshot.limits import MAX_USERS, check_report_rows

    def report(users: int) -> str:
        rows = ["<root_account>,arn:aws:iam::123456789012:root"]
        rows += [f"u{i},arn:aws:iam::123456789012:user/u{i}" for i in range(users)]
        return ("\r\n" if "\r" in end else "\n").join(["user,arn", *rows]) + end

    check_report_rows("report.csv", report(MAX_USERS))
    with pytest.raises(InputError, match="has 5002 rows; an IAM account has at most 5000 users"):
        check_report_rows("report.csv", report(MAX_USERS + 1))


JAPANESE = {
    "5,000-digit integer": "スナップショットではありません（4,300 桁を超える数値があります）。",
    "year 0 in UTC": "日付 '0001-01-01T00:00:00+01:00' は、UTC で 1〜9999 年の範囲外です",
    "year 10000 in UTC": "日付 '9999-12-31T23:59:59-05:00' は、UTC で 1〜9999 年の範囲外です",
}


@pytest.mark.parametrize("case", sorted(JAPANESE))
def test_hostile_snapshots_read_in_japanese(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The huge-integer and calendar refusals are keyed: no Python text in either language
    (before: 'Exceeds the limit (4300 digits) … use sys.set_int_max_str_digits()' in both)."""
    path = tmp_path / "s.json"
    path.write_bytes(_snapshot_cases()[case][0])
    outcome = in_process(capsys, "--lang", "ja", "evaluate", str(path))
    assert outcome.code == 2 and JAPANESE[case] in outcome.stderr, outcome.stderr
    english = in_process(capsys, "evaluate", str(path)).stderr
    assert "sys.set_int_max_str_digits" not in english and "Exceeds" not in english


@pytest.mark.parametrize("option", ["--authorization-details", "--password-policy"])
def test_a_huge_integer_in_an_export_is_named(
    option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """import: a 5,000-digit integer in a JSON export is 'a number of more than 4,300 digits'."""
    path = tmp_path / "export.json"
    path.write_text('{"a": ' + "9" * 5_000 + "}")
    out = tmp_path / "s.json"
    args = ["import", "--credential-report", str(REPORT), option, str(path), "-o", str(out)]
    outcome = in_process(capsys, *args, "--collected-at", "2026-12-01")
    assert_one_line_error(outcome, f"{path}: not an AWS export (a number of more than 4,300")
    assert not out.exists()


def test_import_never_writes_a_snapshot_that_load_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A GAAD export whose user was created in year 10000 (UTC) is refused, naming the input
    files (before: the snapshot was written, and every later command refused it)."""
    details = _document()["data"]["authorization_details"]  # type: ignore[index]
    details["UserDetailList"][0]["CreateDate"] = "9999-12-31T23:59:59-05:00"  # type: ignore[index]
    path = tmp_path / "gaad.json"
    path.write_text(json.dumps(details))
    out = tmp_path / "s.json"
    args = ["import", "--credential-report", str(REPORT), "--authorization-details", str(path)]
    outcome = timed(
        lambda: in_process(capsys, *args, "-o", str(out), "--collected-at", "2026-12-01")
    )
    assert_one_line_error(outcome, str(path), "UserDetailList/0", "outside the years 1-9999")
    assert not out.exists()
