"""A study's estimates as files: CSV (international or French convention), XLSX and Parquet.

The columns are those of the core's ``estimates.csv`` (:data:`ESTIMATE_COLUMNS`), in that order,
then the labels in the page's language and whether the estimate is suppressed. Suppressed
estimates keep their row, with empty values.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import polars as pl
from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from alliance.i18n import Lang
from alliance.spreadsheet_cells import safe_cell
from alliance.study.results import ESTIMATE_COLUMNS
from alliance.web.results.models import Estimate

__all__ = ["COLUMNS", "CONTENT_TYPES", "FORMATS", "download_response", "estimates_frame"]

COLUMNS = [*ESTIMATE_COLUMNS, "label", "group_label", "suppressed"]
SCHEMA: dict[str, type[pl.DataType]] = {
    "population": pl.String, "wave": pl.String, "variable": pl.String, "statistic": pl.String,
    "by": pl.String, "group": pl.String, "estimate": pl.Float64, "se": pl.Float64,
    "ci_low": pl.Float64, "ci_high": pl.Float64, "n": pl.Int64, "fragile": pl.Boolean,
    "label": pl.String, "group_label": pl.String, "suppressed": pl.Boolean,
}  # fmt: skip
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
FORMATS = tuple(CONTENT_TYPES)
BOM = "\ufeff"


def estimates_frame(estimates: Iterable[Estimate], lang: Lang) -> pl.DataFrame:
    """Return the estimates as a frame of :data:`COLUMNS` (labels in ``lang``)."""
    records = [e.record(lang) for e in estimates]
    return pl.DataFrame(records, schema=SCHEMA, orient="row").select(COLUMNS)


def download_response(
    frame: pl.DataFrame, name: str, format: str, *, french: bool = False
) -> HttpResponse:
    """Return ``frame`` as an attachment ``name.format``.

    ``french`` CSV is what French spreadsheets open as they are: ``;`` separator, decimal comma,
    UTF-8 with a byte order mark.
    """
    if format == "csv":
        body = _csv(frame, french=french).encode("utf-8")
    elif format == "xlsx":
        body = _xlsx(frame)
    else:
        stream = io.BytesIO()
        frame.write_parquet(stream)
        body = stream.getvalue()
    response = HttpResponse(body, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{format}"'
    return response


def _csv(frame: pl.DataFrame, *, french: bool) -> str:
    """Write cells as ``estimates.csv`` does: full precision, ``true``/``false``, empty for none."""
    buffer = io.StringIO()
    if french:
        buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=";" if french else ",", lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.iter_rows():
        writer.writerow([_cell(value, french=french) for value in row])
    return buffer.getvalue()


def _cell(value: Any, *, french: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value).replace(".", ",") if french else repr(value)
    return str(safe_cell(str(value)))


def _xlsx(frame: pl.DataFrame) -> bytes:
    """One sheet, the header in bold, numbers as numbers, empty cells for none, no formula."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "estimates"
    sheet.append(frame.columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.iter_rows():
        sheet.append([safe_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
