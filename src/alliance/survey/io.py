"""Reading survey data and weighting targets from files, and writing weighted data back.

For now CSV (empty cells and ``NA`` are missing) and Parquet; the ingestion work adds SPSS, Stata,
Excel and the collection tools' exports behind the same :func:`read_responses`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import polars as pl

from alliance.errors import DataFileError, Location
from alliance.files import atomic_path
from alliance.survey.weighting import Margins

__all__ = ["MISSING_TEXTS", "read_margins", "read_responses", "write_responses"]

#: Cell contents read as missing values in CSV files.
MISSING_TEXTS = ["", "NA"]

#: Rows read to guess the type of each CSV column.
SCHEMA_ROWS = 100_000


def read_responses(path: Path) -> pl.DataFrame:
    """Read a CSV or Parquet file of responses (one row per respondent)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise DataFileError("survey.file_format", Location(file=str(path)), suffix=suffix or "∅")
    if not path.is_file():
        raise DataFileError("survey.file_missing", Location(file=str(path)))
    try:
        if suffix == ".parquet":
            return pl.read_parquet(path)
        return pl.read_csv(
            path, null_values=MISSING_TEXTS, infer_schema_length=SCHEMA_ROWS, raise_if_empty=True
        )
    except (pl.exceptions.PolarsError, OSError) as error:
        problem = str(error).strip().splitlines()[0]
        raise DataFileError(
            "survey.file_unreadable", Location(file=str(path)), problem=problem
        ) from None


def read_margins(path: Path) -> tuple[Margins, float | None]:
    """Read weighting targets: ``{"VAR": {"LEVEL": target, …}, …, "population_total": N}``.

    Returns the margins and the population total (None when the file has none).
    """
    where = Location(file=str(path))
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise DataFileError("survey.file_missing", where) from None
    except json.JSONDecodeError as error:
        raise DataFileError(
            "survey.margins_invalid",
            Location(file=str(path), line=error.lineno, column=error.colno),
            problem=error.msg,
        ) from None
    if not isinstance(content, dict):
        raise DataFileError("survey.margins_invalid", where, problem="not a JSON object")
    total = content.pop("population_total", None)
    if total is not None and not _positive_number(total):
        raise DataFileError(
            "survey.margins_invalid",
            Location(file=str(path), field="population_total", value=total),
            problem="not a positive number",
        )
    for variable, targets in content.items():
        if not isinstance(targets, dict) or not targets:
            raise DataFileError(
                "survey.margins_invalid",
                Location(file=str(path), field=variable),
                problem="expected {category: target}",
            )
        for category, target in targets.items():
            if not _positive_number(target, zero=True):
                raise DataFileError(
                    "survey.margins_invalid",
                    Location(file=str(path), field=f"{variable}.{category}", value=target),
                    problem="not a number ≥ 0",
                )
    return content, None if total is None else float(total)


def write_responses(frame: pl.DataFrame, path: Path) -> None:
    """Write responses as CSV or Parquet (by extension), all at once or not at all."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise DataFileError("survey.file_format", Location(file=str(path)), suffix=suffix or "∅")
    with atomic_path(path) as temporary:
        if suffix == ".parquet":
            frame.write_parquet(temporary)
        else:
            frame.write_csv(temporary)


def _positive_number(value: Any, *, zero: bool = False) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return False
    return value >= 0 if zero else value > 0
