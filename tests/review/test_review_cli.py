"""``reportgen review export`` and ``import``: the round trip through a filled workbook."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen.evaluate.review import Decision, load_review
from tests.runcli import run

ENGLISH = {
    "名前": "Name",
    "決定": "Decision",
    "理由": "Reason",
    "確認者": "Reviewer",
    "確認日": "Review date",
}
DECISIONS = {"tanaka": "継続", "suzuki": "変更", "sato": "削除", "batch": "継続"}


def _export(capsys: pytest.CaptureFixture[str], snap: Path, out: Path, *more: str) -> Path:
    code, _, err = run(capsys, "review", "export", snap, "-o", out, *more)
    assert code == 0, err
    return out / "access-review.xlsx"


def _fill(
    workbook: Path,
    target: Path,
    decisions: dict[str, str | None] | None = None,
    reviewer: str | None = "山田 花子",
    drop: str | None = None,
    on: object = date(2026, 10, 15),
) -> Path:
    """Fill the workbook as a reviewer would, with openpyxl, and save it to ``target``."""
    book = load_workbook(workbook)
    ws = book.worksheets[0]
    head = next(r for r in range(1, 20) if ws.cell(r, 1).value in ("種類", "Type"))
    labels = [str(ws.cell(head, c).value) for c in range(1, ws.max_column + 1)]
    col = {label.split("（")[0].split(" (")[0]: i for i, label in enumerate(labels, 1)}
    col = {**col, **{k: col[v] for k, v in ENGLISH.items() if v in col}}
    chosen = dict(DECISIONS) if decisions is None else decisions
    for row in range(ws.max_row, head, -1):
        name = ws.cell(row, col["名前"]).value
        if name == drop:
            ws.delete_rows(row)
            continue
        ws.cell(row, col["決定"]).value = chosen.get(str(name))
        ws.cell(row, col["理由"]).value = "業務上必要"
        ws.cell(row, col["確認者"]).value = reviewer
        ws.cell(row, col["確認日"]).value = on
    book.save(target)
    return target


def test_export_writes_a_workbook_and_a_bom_csv(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The export lists every user and role, with drop-down, frozen header and A4 landscape."""
    workbook = _export(capsys, quarters[0], tmp_path)
    csv = (tmp_path / "access-review.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf")
    assert "アクセス権の棚卸し" in csv.decode("utf-8-sig")
    book = load_workbook(workbook)
    ws = book.worksheets[0]
    assert book["reportgen"].sheet_state == "hidden"
    values = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    sha = json.loads(quarters[0].read_bytes())  # the document; its hash is the file's
    assert sha["account"]["id"] in " ".join(values)
    assert {"tanaka", "suzuki", "sato", "batch"} <= set(values)
    validations = ws.data_validations.dataValidation
    assert validations and validations[0].formula1 == '"継続,変更,削除"'
    # Excel stops a typed decision outside the list, and says why in the workbook's language.
    assert validations[0].showErrorMessage and validations[0].errorStyle == "stop"
    assert "「継続」「変更」「削除」" in str(validations[0].error)
    assert ws.freeze_panes is not None
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"  # A4
    admin = {
        r[1].value: r[7].value for r in ws.iter_rows() if r[2].value and "arn:" in str(r[2].value)
    }
    assert admin["sato"] == "管理者相当（*）" and admin["tanaka"] == "なし"


def test_round_trip_writes_the_decisions(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Export, fill with openpyxl, import: every decision, reviewer and date comes back."""
    filled = _fill(_export(capsys, quarters[0], tmp_path / "out"), tmp_path / "filled.xlsx")
    target = tmp_path / "review.json"
    code, out, err = run(
        capsys, "review", "import", filled, "--snapshot", quarters[0], "-o", target
    )
    assert code == 0, err
    assert out.strip() == str(target)
    review = load_review(target)
    got = {d.name: d.decision for d in review.decisions}
    assert got == {
        "tanaka": Decision.KEEP,
        "suzuki": Decision.CHANGE,
        "sato": Decision.REMOVE,
        "batch": Decision.KEEP,
    }
    assert review.reviewers == ("山田 花子",)
    assert review.completed_on == date(2026, 10, 15)


def test_english_workbook_round_trips(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An English workbook offers and takes Keep / Change / Remove."""
    workbook = _export(capsys, quarters[0], tmp_path / "out", "--lang", "en")
    english = {"tanaka": "Keep", "suzuki": "Change", "sato": "Remove", "batch": "Keep"}
    validation = load_workbook(workbook).worksheets[0].data_validations.dataValidation[0]
    assert validation.formula1 == '"Keep,Change,Remove"'
    assert "Keep, Change or Remove" in str(validation.error)
    filled = _fill(workbook, tmp_path / "filled.xlsx", dict(english))
    code, _, err = run(
        capsys, "review", "import", filled, "--snapshot", quarters[0], "-o", tmp_path / "r.json"
    )
    assert code == 0, err


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"decisions": {**DECISIONS, "suzuki": None}}, "suzuki): no decision"),
        ({"decisions": {**DECISIONS, "suzuki": "たぶん"}}, "suzuki): no decision"),
        ({"reviewer": None}, "no reviewer"),
        ({"drop": "batch"}, "principals without a row: 1 (batch)"),
        ({"on": None}, "no review date (YYYY-MM-DD)"),
        ({"on": "来週"}, "review date 来週 is not a date (YYYY-MM-DD)"),
        ({"on": "2026-02-30"}, "review date 2026-02-30 is not a date"),
        ({"on": date(2026, 9, 1)}, "review date 2026-09-01 is before the listing was collected"),
    ],
)
def test_incomplete_workbook_is_refused(
    quarters: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: dict[str, object],
    expected: str,
) -> None:
    """A principal without decision, reviewer, review date or row, or a review date that is
    no date or precedes the listing: one line, exit 2, nothing written."""
    workbook = _export(capsys, quarters[0], tmp_path / "out")
    filled = _fill(workbook, tmp_path / "filled.xlsx", **change)  # type: ignore[arg-type]
    target = tmp_path / "review.json"
    code, _, err = run(capsys, "review", "import", filled, "--snapshot", quarters[0], "-o", target)
    assert code == 2
    assert expected in err and len(err.strip().splitlines()) == 1
    assert not target.exists()


def test_workbook_of_another_snapshot_is_refused(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A workbook exported from the Q4 snapshot cannot be imported against Q3."""
    filled = _fill(_export(capsys, quarters[1], tmp_path / "out"), tmp_path / "filled.xlsx")
    target = tmp_path / "review.json"
    code, _, err = run(capsys, "review", "import", filled, "--snapshot", quarters[0], "-o", target)
    assert code == 2 and "not of the snapshot given" in err
    assert not target.exists()


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_a_file_that_is_no_workbook_is_refused(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    """Garbage, an empty file or a damaged zip is one line and exit 2."""
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(content)
    target = tmp_path / "review.json"
    code, _, err = run(capsys, "review", "import", bad, "--snapshot", quarters[0], "-o", target)
    assert code == 2 and err.startswith("reportgen: error:") and len(err.splitlines()) == 1
    assert not target.exists()


def test_a_foreign_workbook_is_refused(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An ordinary spreadsheet without the hidden reportgen sheet is not a review."""
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "名前"  # type: ignore[index]
    path = tmp_path / "other.xlsx"
    book.save(path)
    code, _, err = run(
        capsys, "review", "import", path, "--snapshot", quarters[0], "-o", tmp_path / "r.json"
    )
    assert code == 2 and "not an access review workbook" in err


def test_existing_outputs_need_force(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Neither export nor import replaces a file without --force, nor ever an input."""
    _export(capsys, quarters[0], tmp_path)
    code, _, err = run(capsys, "review", "export", quarters[0], "-o", tmp_path)
    assert code == 2 and "--force" in err
    filled = _fill(tmp_path / "access-review.xlsx", tmp_path / "filled.xlsx")
    code, _, err = run(capsys, "review", "import", filled, "--snapshot", quarters[0], "-o", filled)
    assert code == 2
    target = tmp_path / "review.json"
    target.write_text("keep")
    code, _, err = run(capsys, "review", "import", filled, "--snapshot", quarters[0], "-o", target)
    assert code == 2 and target.read_text() == "keep"


def test_next_quarter_follows_up_the_removal(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Q3's review removed sato; Q4 still has sato: the follow-up check fails for sato."""
    filled = _fill(_export(capsys, quarters[0], tmp_path / "out"), tmp_path / "filled.xlsx")
    review = tmp_path / "review.json"
    run(capsys, "review", "import", filled, "--snapshot", quarters[0], "-o", review)
    code, out, err = run(
        capsys, "evaluate", quarters[1], "--review", review, "--format", "json", "--lang", "en"
    )
    assert code == 0, err
    found = [
        (f["status"], f["resource"]["name"])
        for f in json.loads(out)["findings"]
        if f["check_id"] == "review_decisions_carried_out"
    ]
    assert found == [("FAIL", "sato")]


@pytest.mark.parametrize("on", ["2026/10/15", "2026-10-15", date(2026, 9, 29)])
def test_review_dates_as_excel_keeps_them(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], on: object
) -> None:
    """A date typed as text (2026/10/15 as Japanese Excel shows it) is read; a date one day
    before the collection (the reader's zone west of UTC) is not refused."""
    workbook = _export(capsys, quarters[0], tmp_path / "out")
    filled = _fill(workbook, tmp_path / "filled.xlsx", on=on)
    target = tmp_path / "review.json"
    code, _, err = run(capsys, "review", "import", filled, "--snapshot", quarters[0], "-o", target)
    assert code == 0, err
    expected = on if isinstance(on, date) else date(2026, 10, 15)
    assert {d.reviewed_on for d in load_review(target).decisions} == {expected}
