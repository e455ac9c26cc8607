"""The access review workbook (XLSX): write a listing to fill, read the filled one back.

Layout only: every label arrives translated in a :class:`ReviewSheet`. A hidden sheet
``reportgen`` carries the machine keys (snapshot SHA-256, column keys) that import trusts.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from reportgen.errors import InputError

META_SHEET = "reportgen"
WORKBOOK_SCHEMA = "reportgen.review-workbook/1"
Cell = str | int | date | datetime | None


@dataclass(frozen=True)
class Column:
    """One column: its machine key, its translated header, its width, whether it is filled in."""

    key: str
    header: str
    width: int
    to_fill: bool = False


@dataclass(frozen=True)
class ReviewSheet:
    """Everything the workbook shows, already in the reader's language."""

    sheet_title: str
    title: str
    header: tuple[tuple[str, str], ...]  # (label, value) pairs above the table
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    choices: tuple[str, ...]  # the decision drop-down
    decision_key: str
    date_key: str
    meta: Mapping[str, str]
    choice_error: tuple[str, str] = ("", "")
    """Title and text of Excel's message when a decision outside the drop-down is typed."""


@dataclass(frozen=True)
class FilledRow:
    """One data row read back: its sheet row number and its cells by column key."""

    number: int
    cells: Mapping[str, Cell]


@dataclass(frozen=True)
class FilledWorkbook:
    meta: Mapping[str, str]
    rows: tuple[FilledRow, ...]


HEAD_FILL = PatternFill("solid", fgColor="1F3A5F")
FILL_FILL = PatternFill("solid", fgColor="FFF4CC")


def render(sheet: ReviewSheet) -> bytes:
    """The workbook's bytes: header block, frozen table header, drop-down, A4 landscape."""
    book = Workbook()
    ws = book.active
    assert ws is not None  # a new workbook always has one sheet
    ws.title = sheet.sheet_title
    ws.cell(row=1, column=1, value=sheet.title).font = Font(bold=True, size=14)
    for offset, (label, text) in enumerate(sheet.header, start=2):
        ws.cell(row=offset, column=1, value=label).font = Font(bold=True)
        _as_text(ws.cell(row=offset, column=2, value=text), text)
        ws.merge_cells(start_row=offset, start_column=2, end_row=offset, end_column=6)
    head_row = len(sheet.header) + 3
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=head_row, column=index, value=column.header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(index)].width = column.width
    for number, values in enumerate(sheet.rows, start=head_row + 1):
        for index, (column, value) in enumerate(zip(sheet.columns, values, strict=True), 1):
            cell = ws.cell(row=number, column=index, value=value)
            _as_text(cell, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.to_fill:
                cell.fill = FILL_FILL
            if isinstance(value, date | datetime):
                cell.number_format = "yyyy-mm-dd"
    last = head_row + max(len(sheet.rows), 1)
    keys = [c.key for c in sheet.columns]
    decision = get_column_letter(keys.index(sheet.decision_key) + 1)
    # Excel refuses a typed value outside the list (a blank stays allowed until import).
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(sheet.choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=sheet.choice_error[0] or None,
        error=sheet.choice_error[1] or None,
    )
    choices.add(f"{decision}{head_row + 1}:{decision}{last}")
    ws.add_data_validation(choices)
    when = get_column_letter(keys.index(sheet.date_key) + 1)
    for row in range(head_row + 1, last + 1):
        ws[f"{when}{row}"].number_format = "yyyy-mm-dd"
    ws.freeze_panes = f"C{head_row + 1}"  # the header and the type/name columns stay
    ws.auto_filter.ref = f"A{head_row}:{get_column_letter(len(keys))}{last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{head_row}:{head_row}"
    meta = book.create_sheet(META_SHEET)
    entries = {
        "schema": WORKBOOK_SCHEMA,
        **sheet.meta,
        "columns": ",".join(keys),
        "header_row": str(head_row),
    }
    for row, (key, value) in enumerate(entries.items(), start=1):
        meta.cell(row=row, column=1, value=key)
        meta.cell(row=row, column=2, value=value)
    meta.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _as_text(cell: Any, value: Cell) -> None:
    # openpyxl stores a string starting with "=" as a formula; names may start with "=".
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def read(data: bytes, name: str) -> FilledWorkbook:
    """The meta entries and the data rows of a filled workbook (no validation of content)."""
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError.keyed("review_not_xlsx", name=name, reason=str(exc)) from None
    if META_SHEET not in book.sheetnames or len(book.sheetnames) < 2:
        raise InputError.keyed("review_not_workbook", name=name)
    meta = {
        str(k): "" if v is None else str(v)
        for k, v in book[META_SHEET].iter_rows(min_col=1, max_col=2, values_only=True)
        if k is not None
    }
    if meta.get("schema") != WORKBOOK_SCHEMA:
        raise InputError.keyed("review_workbook_schema", name=name, schema=WORKBOOK_SCHEMA)
    try:
        head_row = int(meta["header_row"])
        keys = meta["columns"].split(",")
    except (KeyError, ValueError):
        raise InputError.keyed("review_workbook_damaged", name=name, sheet=META_SHEET) from None
    ws = book[book.sheetnames[0]]
    rows = []
    for number, values in enumerate(
        ws.iter_rows(min_row=head_row + 1, max_col=len(keys), values_only=True), head_row + 1
    ):
        cells: dict[str, Cell] = {}
        for key, value in zip(keys, values, strict=False):
            cells[key] = value if isinstance(value, str | int | date | datetime) else None
        if any(v not in (None, "") for v in cells.values()):
            rows.append(FilledRow(number, cells))
    return FilledWorkbook(meta, tuple(rows))
