"""The command line speaks Japanese or English: help, messages and errors from ``cli.po``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.cli import cli
from reportgen.cli.extract import main as extract_main
from reportgen.cli.i18n import help_texts, ui_lang
from reportgen.lang import messages, placeholders
from tests.runcli import run

ROOT = Path(__file__).resolve().parents[2]
JAPANESE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff]")


@pytest.fixture
def locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """No locale variable of the developer's shell leaks into a test."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("argv", "env", "lang"),
    [
        ([], {}, "en"),
        ([], {"LANG": "ja_JP.UTF-8"}, "ja"),
        ([], {"LANG": "C.UTF-8"}, "en"),
        ([], {"LC_ALL": "ja_JP.UTF-8", "LANG": "C"}, "ja"),
        ([], {"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en"),
        ([], {"LC_MESSAGES": "ja_JP.UTF-8"}, "ja"),
        (["--lang", "ja", "evaluate", "x.json"], {}, "ja"),
        (["--lang=en", "--help"], {"LANG": "ja_JP.UTF-8"}, "en"),
        (["evaluate", "x.json", "--lang", "ja"], {}, "en"),
    ],
)
def test_language_from_global_option_then_locale(
    argv: list[str], env: dict[str, str], lang: str
) -> None:
    """The global --lang wins, then LC_ALL, LC_MESSAGES, LANG; a subcommand's --lang does not."""
    assert ui_lang(argv, env) == lang


def test_missing_snapshot_is_one_japanese_line_under_a_japanese_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, locale: None
) -> None:
    """LANG=ja_JP.UTF-8 reportgen evaluate missing.json: one Japanese line, exit 2."""
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    code, out, err = run(capsys, "evaluate", "missing.json")
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "reportgen：エラー：missing.json：スナップショットを読み取れません"
        "（ファイルまたはフォルダーがありません）。"
    ]


def test_missing_snapshot_is_one_english_line_otherwise(
    capsys: pytest.CaptureFixture[str], locale: None
) -> None:
    """Without a Japanese locale the same error is one English line, exit 2."""
    code, _, err = run(capsys, "evaluate", "missing.json")
    assert code == 2
    assert err.splitlines() == [
        "reportgen: error: missing.json: cannot read snapshot (No such file or directory)"
    ]


def test_usage_errors_follow_the_language(capsys: pytest.CaptureFixture[str], locale: None) -> None:
    """Click's own messages (unknown option, missing argument) are translated too."""
    code, _, err = run(capsys, "--lang", "ja", "evaluate", "--bogus")
    assert (code, err) == (
        2,
        "reportgen：エラー：'--bogus' というオプションはありません。"
        "（--help を参照してください）\n",
    )
    code, _, err = run(capsys, "--lang", "ja", "evaluate")
    assert code == 2 and "引数がありません" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "expected", "absent"),
    [
        (
            ("--lang", "ja", "--help"),
            ["使い方：", "オプション：", "コマンド：", "報告書"],
            "Usage:",
        ),
        (("--lang", "en", "--help"), ["Usage:", "Options:", "Commands:"], "使い方"),
        (("--lang", "ja", "evaluate", "--help"), ["評価基準日", "既定：table"], "Usage:"),
        (("--lang", "en", "evaluate", "--help"), ["Assess as of", "default: table"], "既定"),
    ],
)
def test_help_in_each_language(
    capsys: pytest.CaptureFixture[str],
    locale: None,
    args: tuple[str, ...],
    expected: list[str],
    absent: str,
) -> None:
    """--help is wholly Japanese with --lang ja and wholly English with --lang en."""
    code, out, _ = run(capsys, *args)
    assert code == 0
    for text in expected:
        assert text in out
    assert absent not in out


def test_every_help_text_has_a_japanese_translation() -> None:
    """Each command's and option's help has a Japanese entry in cli.po (run the extractor)."""
    ja = messages("cli", "ja")
    missing = [text for text in help_texts(cli) if not JAPANESE.search(ja.get(text, ""))]
    assert missing == []


def test_the_catalogues_are_up_to_date_with_the_commands() -> None:
    """`python -m reportgen.cli.extract --check` finds nothing to add or drop."""
    assert extract_main(["--check"]) == 0


def test_docs_errors_ja_lists_every_translated_error() -> None:
    """Each Japanese error message the CLI prints appears in docs/errors.ja.md (values as …)."""
    doc = (ROOT / "docs" / "errors.ja.md").read_text(encoding="utf-8")
    ja = messages("cli", "ja")
    assert ja["error.line"].replace("{message}", "…") in doc
    for key, template in ja.items():
        if not key.startswith("error.") or key in ("error.line", "error.usage"):
            continue
        shown = template
        for name in placeholders(template):
            shown = re.sub(r"\{" + name + r"(![rs])?\}", "…", shown)
        assert shown in doc, key


def test_japanese_help_from_a_real_process() -> None:
    """A real `LANG=ja_JP.UTF-8 reportgen --help` prints Japanese (the locale, not an option)."""
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "--help"],
        capture_output=True,
        text=True,
        env={"LANG": "ja_JP.UTF-8", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert result.stdout.startswith("使い方：")


def test_readme_ja_commands_block_is_the_japanese_help() -> None:
    """README.ja.md's command list is exactly `reportgen --lang ja --help` (COLUMNS=100)."""
    readme = (ROOT / "README.ja.md").read_text(encoding="utf-8")
    block = re.search(r"## コマンド一覧\n\n.*?```text\n(.*?)```", readme, re.S)
    assert block is not None
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "--lang", "ja", "--help"],
        capture_output=True,
        text=True,
        env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert block.group(1) == result.stdout


def test_a_wrapped_error_is_shown_in_the_users_language() -> None:
    """An error carried inside another (``PDF: … : reason``) is shown in the same language."""
    from reportgen.cli.i18n import error_text, say
    from reportgen.errors import InputError
    from reportgen.render.reproduce import VerifyError

    inner = InputError.keyed("as_of", value="soon")
    outer = VerifyError.keyed("reproduce_cannot_evaluate", pdf="r.pdf", error=inner)
    assert str(outer) == f"r.pdf: the attached evidence cannot be re-evaluated: {inner}"
    assert error_text(outer, "ja") == "r.pdf：添付された証拠を再評価できません。" + say(
        "ja", "error.as_of", value="soon"
    )


SNAPSHOT = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"


@pytest.mark.parametrize(
    ("args", "heading"),
    [
        (("--lang", "en", "evaluate"), "Status"),
        (("--lang=en", "evaluate"), "Status"),
        (("--lang", "en", "evaluate", "--lang", "ja"), "判定"),
        (("--lang", "ja", "evaluate", "--lang", "en"), "Status"),
        (("evaluate",), "判定"),
    ],
)
def test_the_global_lang_is_the_output_language_unless_the_command_says_otherwise(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], heading: str
) -> None:
    """`reportgen --lang en evaluate` printed a Japanese table (the subcommand's --lang
    defaulted to ja); the global --lang now chooses it, the subcommand's own still wins, and
    with neither reports and tables stay Japanese."""
    code, out, _ = run(capsys, *args, SNAPSHOT, "--as-of", "2026-12-04")
    assert code in (0, 1)
    header = next(line for line in out.splitlines() if "┃" in line)
    assert heading in header
