"""The trend as a table of plain strings (one row per assessment), beside the SVG chart."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.compare.trend import Trend
from reportgen.formats.diff.rows import day, score
from reportgen.formats.diff.texts import Texts


@dataclass(frozen=True)
class TrendTable:
    """Column headings and rows, every cell already a string in one language."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def trend_table(trend: Trend, lang: str) -> TrendTable:
    """Quarter, date, overall and section scores, failing, new and resolved per assessment;
    only the sections scored at least once get a column."""
    texts = Texts(lang)
    sections = trend.sections
    header = (
        texts("trend.col.quarter"),
        texts("trend.col.collected"),
        texts("trend.overall"),
        *(texts.section(s) for s in sections),
        texts("trend.col.failing"),
        texts("trend.col.new"),
        texts("trend.col.resolved"),
    )
    rows = []
    for point in trend.points:
        year, quarter = point.quarter(texts.langs[0])
        rows.append(
            (
                texts("trend.quarter", year=year, quarter=quarter),
                day(point.collected_at),
                score(point.overall, texts),
                *(score(point.sections.get(s), texts) for s in sections),
                str(point.failing),
                str(point.new) if point.new is not None else texts("scores.none"),
                str(point.resolved) if point.resolved is not None else texts("scores.none"),
            )
        )
    return TrendTable(header, tuple(rows))
