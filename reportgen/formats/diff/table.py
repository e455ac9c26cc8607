"""The ``table`` format: aligned plain-text columns for a terminal (Japanese counts double)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from reportgen.compare.diff import Comparison
from reportgen.compare.followup import follow_up
from reportgen.formats.diff import followup, rows
from reportgen.formats.diff.texts import Texts

GAP = "  "


def width(text: str) -> int:
    """Columns the text takes in a terminal: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def columns(header: Sequence[str], body: Sequence[Sequence[str]]) -> list[str]:
    """``header`` and ``body`` aligned in columns, with a rule under the header."""
    widths = [max(width(row[i]) for row in (header, *body)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell + " " * (size - width(cell)) for cell, size in zip(cells, widths, strict=True)
        )
        return GAP.join(padded).rstrip()

    rule = GAP.join("-" * size for size in widths)
    return [line(header), rule, *(line(row) for row in body)]


def render(comparison: Comparison, texts: Texts) -> str:
    """The comparison as plain text: heading, score table, changes, checks left out."""
    out = [texts("heading"), *rows.heading_lines(comparison, texts), ""]
    out += [
        texts("scores.heading"),
        *columns(rows.score_header(texts), rows.score_rows(comparison, texts)),
        "",
    ]
    if comparison.changes:
        body = [rows.change_row(item, texts) for item in comparison.changes]
        out += [*columns(rows.change_header(texts), body), ""]
    else:
        out += [texts("no_changes"), ""]
    if comparison.checks:
        header = [texts("col.check"), texts("col.note")]
        out += [texts("checks.heading"), *columns(header, rows.note_rows(comparison, texts)), ""]
    found = follow_up(comparison)
    if found is not None:
        out += [texts("followup.heading"), followup.summary(found, texts)]
        body = followup.rows(found, texts)
        out += [*(columns(followup.header(texts), body) if body else []), ""]
    return "\n".join(out)
