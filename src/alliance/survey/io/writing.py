"""Writing responses: Parquet (internal, with metadata), SPSS ``.sav`` with labels, XLSX, CSV.

The format follows the extension. Every writer goes through a temporary file and a rename, so a
failure leaves nothing half-written. openpyxl and pyreadstat are imported by the writers that need
them, so commands writing Parquet or CSV do not wait for them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from alliance.errors import DataFileError, Location
from alliance.files import atomic_path
from alliance.survey.io.parquet import write_parquet_file
from alliance.survey.io.responses import Responses

__all__ = ["WRITABLE", "write_responses", "write_responses_file"]

WRITABLE = (".parquet", ".sav", ".xlsx", ".csv")


def write_responses(
    responses: Responses | pl.DataFrame,
    path: Path,
    *,
    questionnaire: dict[str, Any] | None = None,
) -> None:
    """Write responses to ``path`` in the format its extension names, all at once or not at all."""
    _check_format(path)
    with atomic_path(path) as temporary:
        write_responses_file(responses, temporary, path, questionnaire=questionnaire)


def write_responses_file(
    responses: Responses | pl.DataFrame,
    target: Path,
    path: Path,
    *,
    questionnaire: dict[str, Any] | None = None,
) -> None:
    """Write responses to ``target`` itself in ``path``'s format (``target``: a temporary file).

    For callers that write several files as one unit (:func:`alliance.files.atomic_paths`).
    """
    if isinstance(responses, pl.DataFrame):
        responses = Responses(frame=responses, path=path, format="frame")
    suffix = _check_format(path)
    if suffix == ".parquet":
        write_parquet_file(responses, target, questionnaire=questionnaire)
    elif suffix == ".csv":
        responses.frame.write_csv(target)
    elif suffix == ".xlsx":
        _write_xlsx(responses.frame, target)
    else:
        _write_sav(responses, target)


def _check_format(path: Path) -> str:
    """Return the output's format (its extension); refuse one that cannot be written."""
    suffix = path.suffix.lower()
    if suffix not in WRITABLE:
        raise DataFileError(
            "survey.output_format",
            Location(file=str(path)),
            suffix=suffix or "∅",
            formats=", ".join(WRITABLE),
        )
    return suffix


def _write_xlsx(frame: pl.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("responses")
    sheet.append(frame.columns)
    for row in frame.iter_rows():
        sheet.append(list(row))
    book.save(path)


def _write_sav(responses: Responses, path: Path) -> None:
    """SPSS with variable labels, value labels and missing codes, for pollsters and SPSS users."""
    import pyreadstat

    frame = responses.frame
    numeric = {name for name, dtype in frame.schema.items() if dtype.is_numeric()}
    value_labels = {
        name: {float(code): label for code, label in labels.items() if _is_number(code)}
        for name, labels in responses.value_labels.items()
        if name in numeric
    }
    missing: dict[str, list[Any]] = {
        name: [float(code) for code in codes if _is_number(code)][:3]
        for name, codes in responses.missing_codes.items()
        if name in numeric
    }
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={name: responses.variable_labels.get(name) for name in frame.columns},
        variable_value_labels={k: v for k, v in value_labels.items() if v},
        missing_ranges={k: v for k, v in missing.items() if v},
    )


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True
