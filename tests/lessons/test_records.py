"""Trainee records: signed, one file per trainee name, summarised for the trainer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.training.records import (
    Integrity,
    clean_name,
    load_records,
    record_path,
    write_record,
)
from reportgen.training.summary import build_summary, summary_csv, summary_html

KEY = b"k" * 32


def _record(trainee: str, passed: int, complete: bool, at: str, **extra: Any) -> dict[str, Any]:
    return {
        "schema": "reportgen.lab-record/2",
        "trainee": trainee,
        "lesson": "04-mfa",
        "started_at": "2026-11-28T00:30:00+00:00",
        "checked_at": at,
        "passed": passed,
        "total": 3,
        "complete": complete,
        "goals": {},
        "hints_used": 1,
        **extra,
    }


def test_record_keeps_the_best_score_and_first_completion(tmp_path: Path) -> None:
    """A later, worse check does not erase that the trainee once completed the lab."""
    write_record(tmp_path, _record("山田 太郎", 3, True, "2026-11-28T01:00:00+00:00"), KEY)
    path = write_record(tmp_path, _record("山田 太郎", 1, False, "2026-11-28T02:00:00+00:00"), KEY)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["best"] == 3 and saved["completed_at"] == "2026-11-28T01:00:00+00:00"
    assert saved["attempts"] == 2


def test_two_trainees_never_share_a_file(tmp_path: Path) -> None:
    """山田 and 佐藤 (and names that differ only in unsafe characters) get their own files."""
    names = ["山田", "佐藤", "a/b", "a_b", "../../evil", "evil", "Ａ", "A"]
    paths = {record_path(tmp_path, name, "06-key-rotation") for name in names}
    assert len(paths) == len(names)
    assert all(p.parent == tmp_path for p in paths)


@settings(max_examples=60)
@given(st.text(min_size=1, max_size=60))
def test_any_name_gives_a_safe_file_name(name: str) -> None:
    """Any Unicode name maps to one plain file name inside the folder."""
    path = record_path(Path("/records"), name, "01-root-user")
    assert path.parent == Path("/records")
    assert "/" not in path.name and "\x00" not in path.name and len(path.name.encode()) < 255


def test_control_characters_never_reach_the_terminal() -> None:
    """Escape sequences, bidi overrides and newlines are removed from printed names."""
    assert clean_name("eve\x1b[2J\u202e\nmallory\x07") == "eve [2J mallory"


def test_a_hand_edited_record_is_detected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Changing a signed record by hand makes the summary mark it as edited."""
    monkeypatch.delenv("REPORTGEN_LAB_SESSION_KEY", raising=False)
    path = write_record(tmp_path, _record("佐藤", 1, False, "2026-11-28T01:00:00+00:00"))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["best"], data["complete"] = 3, True
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (loaded,) = load_records([tmp_path])
    assert loaded.integrity is Integrity.TAMPERED
    other = tmp_path / "other"
    write_record(other, _record("鈴木", 3, True, "2026-11-28T01:00:00+00:00"))
    assert [r.integrity for r in load_records([other])] == [Integrity.OK]


def test_summary_csv_and_html_in_the_trainers_zone(tmp_path: Path) -> None:
    """The CSV starts with a BOM; times are in the trainer's zone; the HTML holds the grid."""
    write_record(
        tmp_path,
        _record(
            "山田",
            2,
            False,
            "2026-11-28T01:00:00+00:00",
            last_failure={"ja": "bob がサインインできません。", "en": "bob cannot sign in."},
        ),
        KEY,
    )
    (tmp_path / "session.key").write_bytes(KEY)
    summary = build_summary(load_records([tmp_path]), "Asia/Tokyo", "ja")
    csv = summary_csv(summary, "ja")
    assert csv.startswith(b"\xef\xbb\xbf")
    text = csv.decode("utf-8-sig")
    assert "2026-11-28 10:00" in text and "bob がサインインできません。" in text
    assert "正常" in text
    html = summary_html(summary, "ja")
    assert "<th>04-mfa</th>" in html and "2/3" in html


def test_summary_neutralises_formulas(tmp_path: Path) -> None:
    """A trainee name that looks like a spreadsheet formula is written as text."""
    write_record(tmp_path, _record("=HYPERLINK(1)", 1, False, "2026-11-28T01:00:00+00:00"), KEY)
    summary = build_summary(load_records([tmp_path]), "UTC", "en")
    assert "'=HYPERLINK(1)" in summary_csv(summary, "en").decode("utf-8-sig")


def test_summary_ignores_other_json_files(tmp_path: Path) -> None:
    """Only completion records are tabulated; other JSON in the folder is skipped."""
    (tmp_path / "notes.json").write_text("{}")
    assert load_records([tmp_path]) == ()


MALFORMED = {
    "no lesson": {"lesson": None},
    "lesson not an id": {"lesson": "../../etc"},
    "empty trainee": {"trainee": " "},
    "count as text": {"passed": "x"},
    "count as object": {"attempts": {}},
    "count as flag": {"hints_used": True},
    "complete as text": {"complete": "yes"},
    "time without a date": {"checked_at": "soon"},
    "time beyond the calendar": {"checked_at": "9999-12-31T23:59:59-05:00"},
    "failure as text": {"last_failure": "\x1b[2J"},
}


@pytest.mark.parametrize("change", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_record_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict[str, Any]
) -> None:
    """A record without its lesson, or with a wrong type or time, is named, exit 2 (a record
    without ``lesson`` was a KeyError, a dict count a TypeError)."""
    from tests.runcli import run

    merged = {**_record("taro", 1, False, "2026-11-28T01:00:00Z"), **change}
    record = {k: v for k, v in merged.items() if v is not None}
    (tmp_path / "r.json").write_text(json.dumps(record), "utf-8")
    for lang, text in (
        ("en", "not a lab completion record"),
        ("ja", "演習の修了記録ではありません"),
    ):
        code, out, err = run(capsys, "--lang", lang, "lab", "summary", tmp_path)
        assert code == 2 and out == "" and err.count("\n") == 1, err
        assert f"{tmp_path / 'r.json'}" in err and text in err


def test_a_deeply_nested_record_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """100,000 nested brackets: the record is refused in one line (was a RecursionError)."""
    from tests.runcli import run

    (tmp_path / "r.json").write_text("[" * 100_000, "utf-8")
    code, _, err = run(capsys, "lab", "summary", tmp_path)
    assert code == 2 and "not a lab completion record" in err and "Traceback" not in err


def test_control_characters_of_a_failure_reason_are_removed(tmp_path: Path) -> None:
    """The last reason not met is printed without escapes (a record can be edited by hand)."""
    failure = {"en": "\x1b]0;owned\x07keys\u202e left", "ja": "キー"}
    record = _record("taro", 1, False, "2026-11-28T01:00:00Z", last_failure=failure)
    write_record(tmp_path, record, KEY)
    summary = build_summary(load_records([tmp_path]), "UTC", "en")
    assert summary.results[0].last_failure == "]0;owned keys left"
