"""Excel workbooks (``.xlsx``): a named sheet or the first, its header row found under any titles.

People put a title, a date or a blank line above their table; the header is the first row where
most cells are filled with text. Each column's values go to Polars as they are; a column mixing
numbers and texts is kept as text, so nothing is silently turned into a missing value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import load_workbook

from alliance.errors import DataFileError, Location
from alliance.survey.io.responses import Responses

__all__ = ["read_spreadsheet"]

#: Rows searched for the header.
HEADER_SEARCH = 20


def read_spreadsheet(path: Path, sheet: str | None = None) -> Responses:
    """Read a sheet of an XLSX workbook (``sheet`` by name, else the first one)."""
    where = Location(file=path.name)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # zipfile, XML and openpyxl errors for a file that is not a workbook
        problem = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataFileError("survey.file_unreadable", where, problem=problem) from None
    if sheet is not None and sheet not in book.sheetnames:
        raise DataFileError(
            "survey.sheet_missing", where, sheet=sheet, available=", ".join(book.sheetnames)
        )
    chosen = book[sheet] if sheet is not None else book.worksheets[0]
    rows = [list(row) for row in chosen.iter_rows(values_only=True)]
    book.close()
    header_index = _header_row(rows)
    if header_index is None:
        raise DataFileError("survey.file_empty", where)
    header = [str(cell).strip() if cell is not None else "" for cell in rows[header_index]]
    width = max((i + 1 for i, name in enumerate(header) if name), default=0)
    header = header[:width]
    body = [row[:width] + [None] * (width - len(row)) for row in rows[header_index + 1 :]]
    body = [row for row in body if any(cell not in (None, "") for cell in row)]
    if not body:
        raise DataFileError("survey.file_no_rows", Location(file=path.name, row=header_index + 2))
    for position, name in enumerate(header):
        if not name:
            raise DataFileError(
                "survey.header_blank", Location(file=path.name, row=header_index + 1),
                position=position + 1,
            )  # fmt: skip
    columns = {name: _column([row[i] for row in body]) for i, name in enumerate(header)}
    return Responses(
        frame=pl.DataFrame(columns),
        path=path,
        format="xlsx",
        sheet=chosen.title,
        first_row=header_index + 2,
        row_unit="row",
    )


def _header_row(rows: list[list[Any]]) -> int | None:
    """Index of the first row whose filled cells are mostly texts and cover most of the width."""
    width = max((len(row) for row in rows[:HEADER_SEARCH]), default=0)
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        filled = [cell for cell in row if cell not in (None, "")]
        texts = [cell for cell in filled if isinstance(cell, str)]
        if filled and len(texts) == len(filled) and len(filled) * 2 >= width:
            return index
    return None


def _column(values: list[Any]) -> pl.Series:
    """Return a column as Polars infers it, or as text when its cells mix kinds."""
    cleaned = [None if value == "" else value for value in values]
    kinds = {type(value) for value in cleaned if value is not None}
    if kinds <= {int, float} or len(kinds) <= 1:
        return pl.Series(cleaned, strict=False)
    return pl.Series([None if v is None else str(v) for v in cleaned], dtype=pl.String)
