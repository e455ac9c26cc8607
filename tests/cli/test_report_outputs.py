"""``report -o``: outputs are checked before any work, languages share a folder, and long steps
say what they are doing on stderr."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.render import report as report_module
from tests.hardening.cli_run import assert_one_line_error, in_process

SNAPSHOT = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"


def _no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> str:
        raise AssertionError("rendering started before the outputs were checked")

    monkeypatch.setattr(report_module, "render_html", refuse)


def test_an_existing_report_is_refused_before_any_rendering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """report.ja.html already there: exit 2 naming it, and nothing rendered or replaced."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.ja.html").write_text("keep")
    _no_rendering(monkeypatch)
    outcome = in_process(capsys, "report", str(SNAPSHOT), "--format", "html", "-o", str(out))
    assert_one_line_error(outcome, str(out / "report.ja.html"), "--force")
    assert (out / "report.ja.html").read_text() == "keep"


@pytest.mark.parametrize(
    ("names", "english"),
    [
        (("report.en.html",), "report.en.html already exists (use --force to replace it)"),
        (("report.en.html", "report.en.pdf"), "report.en.pdf already exist (use --force"),
    ],
)
def test_the_refusal_reads_as_english_for_one_file_and_several(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    names: tuple[str, ...],
    english: str,
) -> None:
    """One existing file "already exists", several "already exist" (not "1 file already
    exist"); the same in Japanese."""
    out = tmp_path / "out"
    out.mkdir()
    for name in names:
        (out / name).write_text("keep")
    _no_rendering(monkeypatch)
    args = ("report", str(SNAPSHOT), "--lang", "en", "--format", "html,pdf", "-o", str(out))
    outcome = in_process(capsys, "--lang", "en", *args)
    assert_one_line_error(outcome, english)
    japanese = in_process(capsys, "--lang", "ja", *args)
    assert japanese.code == 2 and japanese.stderr.startswith("reportgen：エラー：")
    assert japanese.stderr.endswith(
        "は既に存在します（置き換えるには --force を指定してください）。\n"
    )


def test_machine_outputs_of_another_assessment_are_refused_before_rendering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A findings.json of something else would be replaced: --force is needed, before rendering."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "findings.json").write_text('{"languages": ["ja"], "findings": []}')
    _no_rendering(monkeypatch)
    outcome = in_process(capsys, "report", str(SNAPSHOT), "--format", "html", "-o", str(out))
    assert_one_line_error(outcome, str(out / "findings.json"), "--force")


def test_two_languages_share_a_folder_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ja then en into one folder: both reports written; the machine outputs of the same
    assessment are kept as written (a note on stderr), so no --force is needed."""
    out = tmp_path / "out"
    first = in_process(capsys, "report", str(SNAPSHOT), "--format", "html", "-o", str(out))
    assert first.code == 0, first.stderr
    machine = {n: (out / n).read_bytes() for n in ("findings.json", "findings.csv", "junit.xml")}
    second = in_process(
        capsys, "report", str(SNAPSHOT), "--format", "html", "--lang", "en", "-o", str(out)
    )
    assert second.code == 0, second.stderr
    assert (out / "report.ja.html").is_file() and (out / "report.en.html").is_file()
    assert {n: (out / n).read_bytes() for n in machine} == machine
    assert "findings.json, findings.csv, junit.xml" in second.stderr
    assert str(out / "report.en.html") in second.stdout
    assert str(out / "findings.json") not in second.stdout
    # The same language again: its report would be replaced, so --force is needed.
    again = in_process(
        capsys, "report", str(SNAPSHOT), "--format", "html", "--lang", "en", "-o", str(out)
    )
    assert_one_line_error(again, str(out / "report.en.html"), "--force")


def test_rendering_prints_a_progress_line_per_file_in_the_cli_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each report file is announced on stderr before it is rendered, in Japanese with --lang ja."""
    out = tmp_path / "out"
    outcome = in_process(
        capsys, "--lang", "ja", "report", str(SNAPSHOT), "--format", "html", "-o", str(out)
    )
    assert outcome.code == 0, outcome.stderr
    assert "report.ja.html を作成しています…" in outcome.stderr
    assert "report.ja.html" not in outcome.stdout.replace(str(out / "report.ja.html"), "")
