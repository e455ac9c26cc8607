"""Lesson and lab errors are keyed: the Japanese CLI shows them in Japanese, English unchanged."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from reportgen.cli.i18n import error_text
from reportgen.errors import InputError
from reportgen.training.hints import HintPace
from reportgen.training.labspec import parse_lab
from reportgen.training.lessons import load_lesson
from tests.runcli import run

LESSON = """---
id: 01-demo
title: T
duration: 10
objectives: [o]
checks: [root_mfa_enabled]
questions: [{q: "Q?", a: "A."}]
timing: [{minutes: 10, activity: x}]
mistakes: [m]
---

## H
"""


@pytest.fixture
def lab_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty lab home: no lab has been started."""
    home = tmp_path / "labs"
    home.mkdir()
    monkeypatch.setenv("REPORTGEN_LAB_HOME", str(home))
    return home


def test_lab_check_before_start_is_one_japanese_line(
    lab_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`reportgen --lang ja lab check 04` before `lab start`: the command to run, in Japanese."""
    code, out, err = run(capsys, "--lang", "ja", "lab", "check", "04")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "reportgen：エラー：04-mfa の演習は起動していません。"
        "`reportgen lab start 04-mfa` で起動してください。"
    ]
    code, _, err = run(capsys, "--lang", "en", "lab", "check", "04")
    assert err.splitlines() == [
        "reportgen: error: no running lab for 04-mfa: start it with `reportgen lab start 04-mfa`"
    ]


def test_an_unknown_lesson_is_named_in_japanese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`lessons build --lesson 42` names the lesson and the known ones, in either language."""
    args = ["lessons", "build", "--lesson", "42", "-o", tmp_path / "out"]
    code, _, err = run(capsys, "--lang", "ja", *args)
    assert code == 2
    assert err.startswith(
        "reportgen：エラー：レッスン '42' はありません（あるレッスン：01-root-user"
    )
    code, _, err = run(capsys, "--lang", "en", *args)
    assert err.startswith("reportgen: error: no lesson '42' (known: 01-root-user, ")


@pytest.mark.parametrize(
    ("args", "ja", "en"),
    [
        (
            ["{missing}"],
            "reportgen：エラー：{missing}：修了記録のフォルダーがありません。",
            "reportgen: error: {missing}: no such records folder",
        ),
        (
            ["{home}", "--tz", "Mars/Base"],
            "reportgen：エラー：タイムゾーン 'Mars/Base' はありません（例：Asia/Tokyo、UTC）。",
            "reportgen: error: unknown time zone 'Mars/Base' (e.g. Asia/Tokyo, UTC)",
        ),
    ],
)
def test_lab_summary_input_errors_in_both_languages(
    lab_home: Path, capsys: pytest.CaptureFixture[str], args: list[str], ja: str, en: str
) -> None:
    """`lab summary` with a missing folder or an unknown time zone: one line per language."""
    places = {"missing": str(lab_home / "nowhere"), "home": str(lab_home)}
    argv = ["lab", "summary", *(a.format(**places) for a in args)]
    code, _, err = run(capsys, "--lang", "ja", *argv)
    assert (code, err.splitlines()) == (2, [ja.format(**places)])
    code, _, err = run(capsys, "--lang", "en", *argv)
    assert (code, err.splitlines()) == (2, [en.format(**places)])


def test_a_taken_port_is_explained_in_japanese(
    lab_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`lab start --port` on a taken port: the operating system's reason too is in Japanese."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = run(capsys, "--lang", "ja", "lab", "start", "01", "--port", str(port))
        assert code == 2
        assert err.splitlines()[-1] == (
            f"reportgen：エラー：127.0.0.1:{port} で待ち受けできません"
            "（アドレスは既に使用されています）。ほかの演習が起動していないか確認するか、"
            "--port で別のポートを指定してください。"
        )
        code, _, err = run(capsys, "--lang", "en", "lab", "start", "01", "--port", str(port))
        assert err.splitlines()[-1] == (
            f"reportgen: error: cannot listen on 127.0.0.1:{port} (Address already in use); "
            "is another lab running? choose another --port"
        )


@pytest.mark.parametrize(
    ("en_text", "ja", "en"),
    [
        (
            LESSON.replace("---\n", "", 1),
            "{where}：'---' の行で囲んだ YAML のフロントマターがありません。",
            "{where}: no YAML front matter between '---' lines",
        ),
        (
            LESSON.replace('a: "A."', 'x: "A."'),
            "{where}：設問 'Q?' に解答 'a' がありません。",
            "{where}: question 'Q?' has no answer 'a'",
        ),
        (
            LESSON.replace("duration: 10", "duration: 20"),
            "{folder}：id、duration、checks の値が言語によって異なります。",
            "{folder}: id, duration and checks differ between languages",
        ),
    ],
)
def test_malformed_lessons_read_in_japanese(tmp_path: Path, en_text: str, ja: str, en: str) -> None:
    """A broken lesson file is named with its fault in Japanese; the English is as before."""
    folder = tmp_path / "01-demo"
    folder.mkdir()
    (folder / "ja.md").write_text(LESSON, encoding="utf-8")
    (folder / "en.md").write_text(en_text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_lesson(folder)
    places = {"where": folder / "en.md", "folder": folder}
    assert error_text(raised.value, "ja") == ja.format(**places)
    assert str(raised.value) == en.format(**places)


GOAL: dict[str, Any] = {
    "id": "g",
    "title": {"ja": "目標", "en": "Goal"},
    "check": {"id": "root_mfa_enabled"},
    "hints": [{"ja": "一", "en": "one"}, {"ja": "二", "en": "two"}],
    "command": ["aws iam list-users"],
}


@pytest.mark.parametrize(
    ("goal", "ja", "en"),
    [
        (
            {**GOAL, "hints": GOAL["hints"][:1]},
            "lab.yaml: goal 1 (g)：ヒントを2つ以上"
            "（一般的なものから具体的なものの順に）書いてください。",
            "lab.yaml: goal 1 (g): give at least two hints (general, then specific)",
        ),
        (
            {**GOAL, "assert": {"kind": "user_exists"}},
            "lab.yaml: goal 1 (g)：'check' と 'assert' のどちらか一方だけを書いてください。",
            "lab.yaml: goal 1 (g): give exactly one of 'check' or 'assert'",
        ),
        (
            {**GOAL, "title": {"en": "Goal"}},
            "lab.yaml: goal 1 (g).title：'ja' と 'en' の両方のテキストが必要です。",
            "lab.yaml: goal 1 (g).title: needs both 'ja' and 'en' text",
        ),
    ],
)
def test_lab_file_errors_read_in_japanese(goal: dict[str, Any], ja: str, en: str) -> None:
    """A lab.yaml mistake names the goal and the fault in Japanese; the English is as before."""
    data = {"task": {"ja": "課題", "en": "Task"}, "goals": [goal]}
    with pytest.raises(InputError) as raised:
        parse_lab(data, "01-demo", "lab.yaml")
    assert error_text(raised.value, "ja") == ja
    assert str(raised.value) == en


def test_a_misspelt_hint_pace_reads_in_japanese() -> None:
    """A misspelt REPORTGEN_LAB_HINT_PACE (the facilitator's setting) is explained in Japanese."""
    with pytest.raises(InputError) as raised:
        HintPace.parse("command=off")
    assert error_text(raised.value, "ja") == (
        "REPORTGEN_LAB_HINT_PACE='command=off'："
        "commands=off または commands-after=N の形式で指定してください。"
    )
    assert str(raised.value) == (
        "REPORTGEN_LAB_HINT_PACE='command=off': use commands=off or commands-after=N"
    )
