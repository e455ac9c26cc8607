"""A YAML file refused by the reader reads in the user's language, with the file and line.

Every YAML input goes through ``reportgen.yamldoc`` (exceptions, profiles, responses,
sign-off, catalogue, lab files, lesson front matter), so one keyed refusal serves them all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.cli.i18n import error_text
from reportgen.errors import InputError, ReportgenError
from reportgen.training.labspec import load_lab
from reportgen.training.lessons import Lesson, split_front_matter
from reportgen.yamldoc import read_yaml
from tests.hardening.cli_run import in_process
from tests.hardening.test_input_limits import BOMB

CORPUS = Path(__file__).parent / "corpus"
MINIMAL = CORPUS / "snapshots" / "ok_minimal.json"

# name -> (file bytes, the Japanese after "FILE:LINE：", the English after "FILE:LINE: ")
REFUSALS: dict[str, tuple[bytes, str, str]] = {
    "bomb": (
        BOMB.encode(),
        ":6：YAML のエイリアスを展開すると値が 100,000個を超えるため、読み込みません。"
        "アンカーとエイリアスの使い方を見直してください。",
        ":6: invalid YAML (aliases expand to more than 100,000 values)",
    ),
    "cycle": (
        b"- check: x\n- &a [*a]\n",
        ":2：YAML のエイリアスが、それ自身を含む値を参照しているため（循環参照）、読み込めません。",
        ":2: invalid YAML (an alias refers to the value that contains it)",
    ),
    "syntax": (
        b"- check: x\n  reason: [\n",
        ":3：YAML の書式が正しくありません（did not find expected node content）。",
        ":3: invalid YAML (did not find expected node content)",
    ),
    "control": (
        b"- check: x\n  reason: 'a\x00b'\n",
        ":2：YAML の書式が正しくありません（control characters are not allowed）。",
        ":2: invalid YAML (control characters are not allowed)",
    ),
    "latin1": (
        b"- check: x\n  reason: caf\xe9\n",
        ":2：UTF-8 のテキストではありません（先頭から 24 バイトの位置）。",
        ":2: not UTF-8 text (byte 24)",
    ),
}


def _error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


@pytest.mark.parametrize("option", ["--exceptions", "--profile"])
@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_a_refused_yaml_file_reads_in_both_languages(
    option: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """evaluate --exceptions/--profile BAD: one line, exit 2, file and line, ja and en."""
    data, japanese, english = REFUSALS[name]
    path = tmp_path / "rules.yaml"
    path.write_bytes(data)
    out = tmp_path / "findings.json"
    args = ("evaluate", str(MINIMAL), option, str(path), "--format", "json", "-o", str(out))
    outcome = in_process(capsys, "--lang", "ja", *args)
    assert (outcome.code, outcome.stdout) == (2, "")
    assert _error_lines(outcome.stderr) == [f"reportgen：エラー：{path}{japanese}"]
    outcome = in_process(capsys, "--lang", "en", *args)
    assert (outcome.code, outcome.stdout) == (2, "")
    assert _error_lines(outcome.stderr) == [f"reportgen: error: {path}{english}"]
    assert not out.exists()


@pytest.mark.parametrize("option", ["--exceptions", "--profile"])
def test_a_missing_yaml_file_reads_in_both_languages(
    option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that is not there: the operating system's reason in the user's language."""
    path = tmp_path / "absent.yaml"
    args = ("evaluate", str(MINIMAL), option, str(path))
    outcome = in_process(capsys, "--lang", "ja", *args)
    reason = "ファイルまたはフォルダーがありません"
    expected = f"reportgen：エラー：{path}：ファイルを読み取れません（{reason}）。"
    assert (outcome.code, _error_lines(outcome.stderr)) == (2, [expected])
    outcome = in_process(capsys, "--lang", "en", *args)
    expected = f"reportgen: error: {path}: cannot read (No such file or directory)"
    assert (outcome.code, _error_lines(outcome.stderr)) == (2, [expected])


@pytest.mark.parametrize(
    ("option", "folder"), [("--exceptions", "exceptions"), ("--profile", "profiles")]
)
def test_the_corpus_yaml_errors_read_in_japanese(
    option: str, folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hardening corpus's bad YAML and non-UTF-8 files: no English sentence under ja."""
    for path in sorted((CORPUS / folder).glob("bad_*.yaml")):
        outcome = in_process(capsys, "--lang", "ja", "evaluate", str(MINIMAL), option, str(path))
        line = _error_lines(outcome.stderr)
        assert outcome.code == 2 and len(line) == 1, outcome
        assert line[0].startswith(f"reportgen：エラー：{path}"), line
        for english in ("invalid YAML", "cannot read", "not UTF-8", "must be", "unknown"):
            assert english not in line[0].removeprefix(f"reportgen：エラー：{path}"), line


def test_sign_off_and_responses_files_are_keyed_too(tmp_path: Path) -> None:
    """The sign-off block (InputError) and any other reader get the same keyed refusal."""
    path = tmp_path / "signoff.yaml"
    path.write_bytes(REFUSALS["cycle"][0])
    with pytest.raises(InputError) as caught:
        read_yaml(path, InputError)
    assert caught.value.key == "yaml_alias_cycle"
    assert error_text(caught.value, "ja") == f"{path}{REFUSALS['cycle'][1]}"


def test_a_lab_file_is_read_with_the_same_limits(tmp_path: Path) -> None:
    """lab.yaml with an alias bomb is refused in a second, in Japanese too, not expanded."""
    (tmp_path / "lab.yaml").write_text(BOMB, encoding="utf-8")
    lesson = Lesson("01-demo", 1, "demo", tmp_path, 30, (), {})
    with pytest.raises(ReportgenError) as caught:
        load_lab(lesson)
    lab = tmp_path / "lab.yaml"
    assert error_text(caught.value, "ja").startswith(f"{lab}:6：YAML のエイリアスを展開すると")


def test_front_matter_errors_name_the_line_of_the_file(tmp_path: Path) -> None:
    """A bad front matter names the line in the lesson file (after the opening '---')."""
    where = tmp_path / "ja.md"
    with pytest.raises(InputError) as caught:
        split_front_matter("---\ntitle: x\nobjectives: [\n---\nbody\n", where)
    assert caught.value.key == "yaml_invalid"
    assert error_text(caught.value, "ja").startswith(f"{where}:4：YAML の書式が正しくありません")
