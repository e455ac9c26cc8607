"""The ``lessons`` and ``lab`` subcommands, through click."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import cli, lab_cmd, lessons_cmd  # noqa: F401  (registers the subcommands)
from tests.runcli import run


def test_lessons_list_shows_every_lesson_with_its_checks() -> None:
    """`lessons list` prints each lesson's id, duration, title and linked checks."""
    result = CliRunner().invoke(cli, ["lessons", "list", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "09-capstone" in result.output and "Duration: 90 min" in result.output
    assert "root_no_access_key" in result.output


def test_lessons_build_writes_html_and_refuses_to_overwrite(tmp_path: Path) -> None:
    """`lessons build` writes the handouts once; a second run needs --force."""
    args = [
        "lessons",
        "build",
        "--lang",
        "ja+en",
        "--format",
        "html",
        "--lesson",
        "01",
        "--edition",
        "2026-11-28",
        "-o",
        str(tmp_path),
        "--trainer",
    ]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert (tmp_path / "01-root-user.ja+en.html").is_file()
    assert (tmp_path / "facilitator-guide.ja+en.html").is_file()
    second = CliRunner().invoke(cli, args)
    assert second.exit_code != 0
    assert CliRunner().invoke(cli, [*args, "--force"]).exit_code == 0


@pytest.mark.parametrize("bad", [["--format", "docx"], ["--edition", "28/11/2026"]])
def test_lessons_build_rejects_bad_options(tmp_path: Path, bad: list[str]) -> None:
    """An unknown format or a malformed edition date is an input error."""
    result = CliRunner().invoke(cli, ["lessons", "build", *bad, "-o", str(tmp_path)])
    assert result.exit_code != 0


def test_lab_summary_on_an_empty_folder_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lab summary` on a folder without records prints a short notice."""
    monkeypatch.setenv("REPORTGEN_LAB_HOME", str(tmp_path))
    result = CliRunner().invoke(cli, ["lab", "summary", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 0 and "No records found." in result.output


def test_lab_check_without_a_running_lab_explains_how_to_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lab check` before `lab start` fails with the command to run."""
    monkeypatch.setenv("REPORTGEN_LAB_HOME", str(tmp_path))
    result = CliRunner().invoke(cli, ["lab", "check", "04"])
    assert result.exit_code != 0
    assert "reportgen lab start 04-mfa" in str(result.exception)


def test_lab_selftest_reports_each_item_and_a_taken_port() -> None:
    """`lab selftest` checks Python, the aws CLI and the port; a taken port fails with exit 1."""
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["lab", "selftest", "--port", str(port), "--lang", "en"])
    assert result.exit_code == 1
    assert "Python" in result.output and f"Port {port} is in use" in result.output


def test_lab_env_without_a_running_lab_explains_how_to_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lab env` needs a running lab and says which command starts it."""
    monkeypatch.setenv("REPORTGEN_LAB_HOME", str(tmp_path))
    result = CliRunner().invoke(cli, ["lab", "env", "04"])
    assert result.exit_code != 0 and "reportgen lab start 04-mfa" in str(result.exception)


@pytest.mark.parametrize(
    ("args", "intro"),
    [
        (("lab", "env", "04"), "別のターミナルで"),
        (("--lang", "en", "lab", "env", "04"), "In another terminal"),
        (("--lang", "en", "lab", "env", "04", "--lang", "ja"), "別のターミナルで"),
    ],
)
def test_lab_commands_follow_the_global_lang_else_the_labs(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    intro: str,
) -> None:
    """`reportgen --lang en lab env 04` on a lab started in Japanese speaks English (it stayed
    Japanese); without any --lang the lab's own language is used."""
    from reportgen.training.runner import LabState, write_state
    from reportgen.training.server import Credentials

    monkeypatch.setenv("REPORTGEN_LAB_HOME", str(tmp_path))
    key = Credentials("AKIAEXAMPLEEXAMPLE00", "secret")
    state = LabState(
        "04-mfa", "http://127.0.0.1:5580", "ap-northeast-1", "t", key, key, "ja", "now", 1
    )
    write_state(tmp_path, state)
    code, out, _ = run(capsys, *args)
    assert code == 0 and out.startswith(intro)


def test_lab_selftest_follows_the_global_lang(capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen --lang en lab selftest` is English (it was always Japanese)."""
    _, out, _ = run(capsys, "--lang", "en", "lab", "selftest", "--port", "0")
    assert "or later is needed" in out and "以上が必要" not in out, out


def _outcome(missing: tuple[str, ...], level: int) -> object:
    """Lab 06 with app-deploy done and both etl-job goals failing on ``level``."""
    from reportgen.training.grading import GoalResult
    from reportgen.training.labspec import load_lab
    from reportgen.training.lessons import find_lesson, load_lessons
    from reportgen.training.runner import CheckOutcome

    lab = load_lab(find_lesson("06", load_lessons()))
    why = {"ja": "etl-job が見つかりません。", "en": "etl-job was not found."}
    results = (GoalResult(lab.goals[0], True), *(GoalResult(g, False, why) for g in lab.goals[1:]))
    failing = [g.id for g in lab.goals[1:]]
    return CheckOutcome(
        lab.lesson_id,
        results,
        dict.fromkeys(failing, level),
        {},
        gone=dict.fromkeys(failing, missing) if missing else {},
    )


@pytest.mark.parametrize(
    ("missing", "level", "lang", "closing"),
    [
        (("etl-job",), 1, "ja", "残りの達成条件は、対象のリソースがもうないため"),
        (("etl-job",), 1, "en", "The goals left are about resources that no longer exist"),
        ((), 3, "ja", "表示したヒントが最後の段階です。"),
        ((), 3, "en", "These are the last hints: checking again shows nothing new."),
        ((), 1, "ja", "作業を進めてからもう一度 check すると、次のヒントが表示されます。"),
        ((), 1, "en", "Work on, then check again for a more specific hint."),
    ],
)
def test_lab_check_closes_with_what_checking_again_can_bring(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    missing: tuple[str, ...],
    level: int,
    lang: str,
    closing: str,
) -> None:
    """Goals stuck on a deleted user point to `lab reset` instead of promising another hint;
    the command rung says it is the last; otherwise another check shows a further hint."""
    from reportgen.training import runner
    from reportgen.training.server import Credentials

    monkeypatch.setenv("REPORTGEN_LAB_HOME", str(tmp_path))
    key = Credentials("AKIAEXAMPLEEXAMPLE00", "secret")
    state = runner.LabState(
        "06-key-rotation", "http://127.0.0.1:5580", "ap-northeast-1", "t", key, key, lang, "", 1
    )
    runner.write_state(tmp_path, state)
    monkeypatch.setattr(runner, "check_lab", lambda *_: _outcome(missing, level))
    code, out, _ = run(capsys, "lab", "check", "06", "--lang", lang)
    last = out.splitlines()[-1]
    assert code == 1 and last.startswith(closing), out
    if missing:
        assert "reportgen lab reset 06-key-rotation" in last
        assert "次のヒント" not in out and "more specific hint" not in out


def test_every_closing_of_lab_check_has_its_text() -> None:
    """Each thing another check can bring has a closing line in Japanese and English."""
    from reportgen.lang import LANGS, text
    from reportgen.training.hints import NextCheck

    assert set(lab_cmd._CLOSING) == {x.value for x in NextCheck}
    for key in lab_cmd._CLOSING.values():
        for lang in LANGS:
            assert text("training", lang, key, lesson="06-key-rotation")  # raises if missing
