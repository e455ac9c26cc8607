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
