"""The ``csv`` format: one row per changed finding, UTF-8 with BOM so Japanese Excel opens it."""

from __future__ import annotations

import csv
import io

from reportgen.compare.diff import Comparison
from reportgen.formats.diff import rows
from reportgen.formats.diff.texts import Texts

BOM = "\ufeff"
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(text: str) -> str:
    """The cell as text, with a leading quote if a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def render(comparison: Comparison, texts: Texts) -> str:
    """Header in the chosen language, then the changes in listing order (checks left out of
    the comparison are in the other formats only)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            texts("col.change"),
            texts("col.severity"),
            texts("col.section"),
            texts("col.check_id"),
            texts("col.check"),
            texts("col.resource_type"),
            texts("col.resource"),
            texts("col.resource_id"),
            texts("col.old_status"),
            texts("col.new_status"),
            texts("col.open_since"),
        ]
    )
    for item in comparison.changes:
        finding = item.finding
        writer.writerow(
            safe(cell)
            for cell in (
                texts(f"change.{item.change.value}"),
                texts.severity(item.severity),
                texts.section(item.section),
                item.check_id,
                texts.title(item.check_id),
                finding.resource_type,
                finding.resource_name,
                finding.resource_id,
                texts.status(item.old_status),
                texts.status(item.new_status),
                rows.first_detected(item, texts),
            )
        )
    return BOM + buffer.getvalue()
