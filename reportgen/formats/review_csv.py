"""The access review listing as CSV for Excel: UTF-8 with a BOM and CRLF, header block first."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from reportgen.formats.csv import BOM, _cell
from reportgen.formats.review_xlsx import Cell, ReviewSheet


def _text(value: Cell) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return _cell(value)


def render(sheet: ReviewSheet) -> str:
    """The same listing as the workbook: title, header block, a blank line, then the table."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([sheet.title])
    for label, value in sheet.header:
        writer.writerow([label, _text(value)])
    writer.writerow([])
    writer.writerow([c.header for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_text(v) for v in row])
    return BOM + out.getvalue()
