"""The terminal table lists what needs attention, most severe first, without cut words."""

from __future__ import annotations

import re

import pytest

from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.findings import Status
from reportgen.evaluate.messages import reader_format
from reportgen.evaluate.run import evaluate
from reportgen.formats import FORMATS
from reportgen.formats.common import message
from reportgen.formats.table import summary
from tests.evaluate.test_evaluate import bad_snapshot


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_rows_by_severity_without_pass_or_not_applicable(catalogue: Catalogue, lang: str) -> None:
    """Rows come in severity order; PASS and NOT_APPLICABLE findings have no row."""
    assessment = evaluate(bad_snapshot(), catalogue=catalogue)
    text = FORMATS["table"](assessment, catalogue, lang)
    shown = [f for f in assessment.findings if f.status not in (Status.PASS, Status.NOT_APPLICABLE)]
    checks_in_order = [
        check for line in text.splitlines() for check in re.findall(r"│ ([a-z0-9_]+) +│", line)
    ]
    assert len(checks_in_order) == len(shown)
    rank = {f.check_id: f.severity.rank for f in assessment.findings}
    ranks = [rank[c] for c in checks_in_order]
    assert ranks == sorted(ranks)
    hidden = {f.check_id for f in assessment.findings} - {f.check_id for f in shown}
    assert not hidden & set(checks_in_order)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_words_numbers_and_ids_are_never_cut(catalogue: Catalogue, lang: str) -> None:
    """Every Latin word, number or id of every message (dates in words, as the table writes
    them) appears whole in the table."""
    assessment = evaluate(bad_snapshot(), catalogue=catalogue)
    text = FORMATS["table"](assessment, catalogue, lang)
    tokens = {
        token
        for f in assessment.findings
        if f.status not in (Status.PASS, Status.NOT_APPLICABLE)
        for token in re.findall(
            r"[A-Za-z0-9_.\-]{2,60}", message(catalogue, f, lang, sep=" ", fmt=reader_format)
        )
    }
    assert tokens
    assert [t for t in tokens if t not in text] == []


@pytest.mark.parametrize(
    ("lang", "score", "unknown"), [("ja", "スコア", "判定不能"), ("en", "Score", "Unknown")]
)
def test_the_section_table_has_a_section_score_and_every_status(
    catalogue: Catalogue, lang: str, score: str, unknown: str
) -> None:
    """Per-section column says score (not overall score); UNKNOWN has a column even at 0."""
    assessment = evaluate(bad_snapshot(), catalogue=catalogue)
    header = next(line for line in summary(assessment, catalogue, lang).splitlines() if "┃" in line)
    cells = [cell.strip() for cell in header.split("┃")[1:-1]]
    assert cells[1] == score and unknown in cells
