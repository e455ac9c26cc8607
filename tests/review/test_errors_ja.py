"""The access review, responses and sign-off refusals read in Japanese (`reportgen --lang ja`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.review.test_review_cli import DECISIONS, _export, _fill
from tests.runcli import run


@pytest.mark.parametrize(
    ("change", "japanese", "english"),
    [
        (
            {"reviewer": None},
            "：10行目（sato）：確認者の記入がありません。",
            ": row 10 (sato): no reviewer",
        ),
        (
            {"decisions": {**DECISIONS, "suzuki": "たぶん"}},
            "（suzuki）：決定の記入がありません（「継続」「変更」「削除」から選択してください）。",
            "(suzuki): no decision (choose 継続/Keep, 変更/Change or 削除/Remove)",
        ),
        (
            {"drop": "batch"},
            "：1件のプリンシパルに行がありません：batch",
            ": principals without a row: 1 (batch)",
        ),
    ],
)
def test_an_incomplete_workbook_is_refused_in_japanese(
    quarters: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: dict[str, object],
    japanese: str,
    english: str,
) -> None:
    """`--lang ja review import` of a workbook with a gap: one Japanese line, English as before."""
    workbook = _export(capsys, quarters[0], tmp_path / "out")
    filled = _fill(workbook, tmp_path / "filled.xlsx", **change)  # type: ignore[arg-type]
    args = ["review", "import", filled, "--snapshot", quarters[0], "-o", tmp_path / "r.json"]
    code, _, err = run(capsys, "--lang", "ja", *args)
    assert code == 2 and len(err.splitlines()) == 1
    assert err.startswith(f"reportgen：エラー：{filled}：") and err.rstrip().endswith(japanese)
    code, _, err = run(capsys, "--lang", "en", *args)
    assert code == 2 and err.startswith(f"reportgen: error: {filled}: ")
    assert err.rstrip().endswith(english)


def test_a_workbook_of_another_snapshot_is_refused_in_japanese(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Q4 workbook imported against Q3: the Japanese line names both snapshots."""
    filled = _fill(_export(capsys, quarters[1], tmp_path / "out"), tmp_path / "filled.xlsx")
    args = ["review", "import", filled, "--snapshot", quarters[0], "-o", tmp_path / "r.json"]
    code, _, err = run(capsys, "--lang", "ja", *args)
    assert code == 2
    assert "のワークブックです。指定したスナップショット（" in err
    assert "のものではありません。" in err


def test_a_foreign_workbook_is_refused_in_japanese(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An ordinary spreadsheet: not an access review workbook, in Japanese."""
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    Workbook().save(path)
    args = ["review", "import", path, "--snapshot", quarters[0], "-o", tmp_path / "r.json"]
    code, _, err = run(capsys, "--lang", "ja", *args)
    assert (code, err.splitlines()) == (
        2,
        [
            f"reportgen：エラー：{path}：アクセス権の棚卸しのワークブックではありません"
            "（`reportgen review export` でエクスポートしたものを使ってください）。"
        ],
    )


@pytest.mark.parametrize(
    ("content", "japanese", "english"),
    [
        (
            "- check: console_user_mfa\n  resource: x\n",
            "responses.yaml:1：対応状況に response, state の指定がありません。",
            "responses.yaml:1: missing response, state",
        ),
        (
            "- {check: console_user_mfa, resource: x, response: y, state: later}\n",
            "responses.yaml:1：state には open, in_progress, done のいずれかを指定してください。",
            "responses.yaml:1: state must be one of open, in_progress, done",
        ),
        (
            "check: console_user_mfa\n",
            "responses.yaml:1：対応状況ファイルは、対応状況を並べた YAML のリストにしてください。",
            "responses.yaml:1: a responses file is a YAML list of entries",
        ),
    ],
)
def test_a_bad_responses_file_is_refused_in_japanese(
    quarters: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    japanese: str,
    english: str,
) -> None:
    """`--lang ja diff --responses BAD`: file, line and mistake in Japanese; English unchanged."""
    responses = tmp_path / "responses.yaml"
    responses.write_text(content, encoding="utf-8")
    args = ["diff", quarters[0], quarters[1], "--responses", responses]
    code, _, err = run(capsys, "--lang", "ja", *args)
    assert code == 2 and len(err.splitlines()) == 1 and err.rstrip().endswith(japanese)
    code, _, err = run(capsys, "--lang", "en", *args)
    assert code == 2 and err.rstrip().endswith(english)


@pytest.mark.parametrize(
    ("content", "japanese", "english"),
    [
        (
            "prepared: {name: 鈴木}\nchecked: {name: x}\n",
            "signoff.yaml:2：キー 'checked' は使用できません"
            "（使用できるキー：prepared, reviewed, approved）。",
            "signoff.yaml:2: unknown key 'checked' (use prepared, reviewed, approved)",
        ),
        (
            "prepared: {name: 鈴木, date: soon}\n",
            "signoff.yaml:1：date は日付（YYYY-MM-DD）で指定してください。",
            "signoff.yaml:1: date must be YYYY-MM-DD",
        ),
        (
            "approved: {date: 2027-01-05}\n",
            "signoff.yaml:1：approved には name（氏名）を指定してください（date は任意です）。",
            "signoff.yaml:1: approved needs a name (and optionally a date)",
        ),
    ],
)
def test_a_bad_signoff_file_is_refused_in_japanese(
    quarters: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    japanese: str,
    english: str,
) -> None:
    """`--lang ja report --signoff BAD`: one Japanese line, nothing written; English unchanged."""
    signoff = tmp_path / "signoff.yaml"
    signoff.write_text(content, encoding="utf-8")
    out = tmp_path / "report"
    args = ["report", quarters[0], "--signoff", signoff, "--format", "html", "-o", out]
    code, _, err = run(capsys, "--lang", "ja", *args)
    assert code == 2 and len(err.splitlines()) == 1 and err.rstrip().endswith(japanese)
    code, _, err = run(capsys, "--lang", "en", *args)
    assert code == 2 and err.rstrip().endswith(english)
    assert not out.exists() or not any(out.iterdir())


def test_an_output_that_is_an_input_is_refused_in_japanese(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`review import -o` naming the workbook itself: the project's own refusal, in Japanese."""
    filled = _fill(_export(capsys, quarters[0], tmp_path / "out"), tmp_path / "filled.xlsx")
    args = ["review", "import", filled, "--snapshot", quarters[0], "-o", filled, "--force"]
    code, _, err = run(capsys, "--lang", "ja", *args)
    assert (code, err.splitlines()) == (
        2,
        [
            f"reportgen：エラー：{filled} はこのコマンドの入力でもあります。"
            "別の出力先を指定してください。"
        ],
    )
