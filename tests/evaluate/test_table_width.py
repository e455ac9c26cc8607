"""The terminal table follows the terminal's width: no line wider than the width it is given,
from 80 to 160 columns in each language, the same rows in the same order, no word cut, and
dates in words as the report writes them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.findings import Assessment, Status
from reportgen.evaluate.messages import reader_format
from reportgen.evaluate.run import evaluate
from reportgen.formats import csv, table
from reportgen.formats import json as findings_json
from reportgen.formats.common import message
from reportgen.formats.wrap import NO_START
from reportgen.training.grading import check_goal_verdict
from reportgen.training.labspec import CheckGoal
from tests.evaluate.test_evaluate import bad_snapshot
from tests.runcli import run

WIDTHS = [80, 100, 120, 160]
LANGS = ["ja", "en", "ja+en"]
SNAPSHOT = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def assessment(catalogue: Catalogue) -> Assessment:
    return evaluate(bad_snapshot(), catalogue=catalogue)


def shown(assessment: Assessment) -> list[str]:
    """Check ids of the findings the table lists (PASS and NOT_APPLICABLE have no row)."""
    hidden = (Status.PASS, Status.NOT_APPLICABLE)
    return [f.check_id for f in assessment.findings if f.status not in hidden]


def rows_in_order(text: str, catalogue: Catalogue) -> list[str]:
    """The check id each row starts with, top to bottom, whatever the layout."""
    found = []
    for line in text.splitlines():
        ids = [w for w in re.findall(r"[a-z0-9_]+", line) if w in catalogue.checks]
        found += ids[:1]
    return found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_is_wider_than_the_terminal(
    assessment: Assessment, catalogue: Catalogue, lang: str, width: int
) -> None:
    """At 80 columns the 160-column table wrapped every row; now each line fits."""
    for text in (
        table.fitted(assessment, catalogue, lang, width),
        table.summary(assessment, catalogue, lang, width),
    ):
        assert [line for line in text.splitlines() if cell_len(line) > width] == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_rows_keep_their_order_and_words_stay_whole(
    assessment: Assessment, catalogue: Catalogue, lang: str, width: int
) -> None:
    """Every layout lists the same findings most severe first, cuts no word, number, id or
    date, and starts no line of a cell with closing punctuation (。、）」)."""
    text = table.fitted(assessment, catalogue, lang, width)
    order = rows_in_order(text, catalogue)
    assert sorted(order) == sorted(shown(assessment))
    rank = {f.check_id: f.severity.rank for f in assessment.findings}
    assert [rank[c] for c in order] == sorted(rank[c] for c in order)
    tokens = {
        token
        for f in assessment.findings
        if f.status not in (Status.PASS, Status.NOT_APPLICABLE)
        for token in re.findall(
            r"[A-Za-z0-9_.\-]{2,60}|\d{4}年\d{1,2}月\d{1,2}日|\d{1,2} [A-Z][a-z]+ \d{4}",
            message(catalogue, f, lang, sep=" ", fmt=reader_format),
        )
    }
    assert [t for t in tokens if t not in text] == []
    cells = [cell.strip() for line in text.splitlines() for cell in re.split("[│┃|]", line)]
    assert [cell for cell in cells if cell[:1] and cell[0] in NO_START] == []


@pytest.mark.parametrize(
    ("lang", "dates"),
    [
        ("ja", ["2026年3月28日", "2026年3月21日", "2026年3月30日"]),
        ("en", ["28 March 2026", "21 March 2026", "30 March 2026"]),
    ],
)
def test_terminal_dates_read_as_in_the_report(
    assessment: Assessment, catalogue: Catalogue, lang: str, dates: list[str]
) -> None:
    """「2026-03-28（1日前）に使用されました」 read 「2026年3月28日（1日前）」 as the report does;
    findings.json and the CSV keep ISO dates for machines."""
    text = table.render(assessment, catalogue, lang)
    assert [d for d in dates if d not in text] == []
    assert ISO.findall(text) == []
    machine = findings_json.render(assessment, catalogue, lang)
    messages = [f["message"][lang] for f in json.loads(machine)["findings"]]
    assert any("2026-03-28" in m for m in messages)
    assert "2026-03-21" in csv.render(assessment, catalogue, lang)


def test_lab_reasons_write_dates_in_words(assessment: Assessment, catalogue: Catalogue) -> None:
    """A lab goal's reason quotes the finding's message with the date in words."""
    goal = CheckGoal("root_not_used_recently", (), absent_ok=False)
    met, reason = check_goal_verdict(goal, assessment, catalogue)
    assert not met
    assert "2026年3月28日" in reason["ja"] and "28 March 2026" in reason["en"]
    assert not ISO.search(reason["ja"] + reason["en"])


@pytest.mark.parametrize(("columns", "widest"), [("80", 80), ("100", 100), (None, 160)])
def test_the_command_line_follows_columns(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    columns: str | None,
    widest: int,
) -> None:
    """`COLUMNS=80 reportgen evaluate` fits 80 columns; piped without COLUMNS it keeps the
    160-column table."""
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    code, out, _ = run(capsys, "evaluate", SNAPSHOT, "--as-of", "2026-12-04")
    assert code == 0
    assert max(cell_len(line) for line in out.splitlines()) == widest
