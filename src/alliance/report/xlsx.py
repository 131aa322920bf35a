"""The report's tables as a workbook: one sheet per table, numbers as numbers, and a notes sheet.

Analysts reuse the figures in Excel, so shares stay numbers (formatted as percentages), flags are
0/1 and every sheet says where its numbers come from. Titles, labels and groups come from people
(study definitions, answers), so no text runs as a formula (:mod:`alliance.spreadsheet_cells`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from alliance.files import atomic_path
from alliance.report.document import Document
from alliance.spreadsheet_cells import safe_cell

__all__ = ["write_xlsx"]

FORMATS = {"percent": "0.0%", "points": "+0.0%;-0.0%;0.0%", "number": "0.00", "pvalue": "0.000"}


def write_xlsx(document: Document, path: Path) -> None:
    """Write every table of the document to its own sheet, then a notes sheet."""
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = document.labels.get("notes_sheet", "notes")[:31]
    _append(notes, [document.title])
    notes["A1"].font = Font(bold=True, size=13)
    _append(notes, [document.notice])
    _append(notes, [])
    _append(notes, [document.labels.get("table", "Table"), document.labels.get("title", ""), ""])
    for table in document.tables():
        sheet = book.create_sheet(table.id)
        _append(sheet, [f"{table.id} — {table.title}"])
        sheet["A1"].font = Font(bold=True)
        _append(sheet, [column.label for column in table.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            values = []
            for column in table.columns:
                value = row.get(column.key)
                if column.kind == "flag":
                    value = int(bool(value))
                values.append(value)
            _append(sheet, values)
            for column, cell in zip(table.columns, sheet[sheet.max_row], strict=True):
                if column.kind in FORMATS and cell.value is not None:
                    cell.number_format = FORMATS[column.kind]
        _append(sheet, [])
        if table.note:
            _append(sheet, [table.note])
        if table.synthetic:
            _append(sheet, [document.labels.get("synthetic_short", "")])
        entry = document.provenance.get("tables", {}).get(table.id, {})
        if entry:
            _append(sheet, [entry.get("description", "")])
        for index in range(1, len(table.columns) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 18 if index > 1 else 44
        _append(notes, [table.id, table.title, entry.get("description", "")])
    with atomic_path(path) as temporary:
        book.save(temporary)


def _append(sheet: Worksheet, values: list[Any]) -> None:
    """Append a row whose texts never run as formulas."""
    sheet.append([safe_cell(value) for value in values])
