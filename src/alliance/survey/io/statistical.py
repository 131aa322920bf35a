"""SPSS (``.sav``, ``.zsav``) and Stata (``.dta``) files, read with pyreadstat, labels kept.

User-missing values (SPSS's discrete values and ranges, Stata's extended missing values) are kept
in the data and listed in :attr:`Responses.missing_codes`, so an import keeps « ne sait pas » apart
from « no answer », and estimates drop both from their bases (:meth:`Responses.for_estimates`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pyreadstat

from alliance.errors import DataFileError, Location
from alliance.survey.io.responses import Responses

__all__ = ["read_statistical"]


def read_statistical(path: Path) -> Responses:
    """Read an SPSS or Stata file with its variable labels, value labels and missing codes."""
    reader = pyreadstat.read_dta if path.suffix.lower() == ".dta" else pyreadstat.read_sav
    try:
        frame, meta = reader(str(path), output_format="polars", user_missing=True)
    except Exception as error:  # pyreadstat raises its own and ctypes-level errors alike
        problem = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataFileError(
            "survey.file_unreadable", Location(file=path.name), problem=problem
        ) from None
    if not isinstance(frame, pl.DataFrame):
        frame = pl.DataFrame(frame)
    if frame.height == 0:
        raise DataFileError("survey.file_no_rows", Location(file=path.name))
    missing: dict[str, list[Any]] = {}
    for name, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        missing[name] = _codes_in_ranges(frame, name, ranges)
    for name, values in (getattr(meta, "missing_user_values", None) or {}).items():
        missing.setdefault(name, []).extend(values)
    return Responses(
        frame=frame,
        path=path,
        format="stata" if path.suffix.lower() == ".dta" else "spss",
        encoding=getattr(meta, "file_encoding", None),
        first_row=1,
        row_unit="row",
        variable_labels={k: v for k, v in meta.column_names_to_labels.items() if v},
        value_labels={k: dict(v) for k, v in meta.variable_value_labels.items()},
        missing_codes={k: v for k, v in missing.items() if v},
    )


def _codes_in_ranges(frame: pl.DataFrame, name: str, ranges: list[dict[str, Any]]) -> list[Any]:
    """Discrete missing codes, and the values of the data that fall in missing ranges."""
    codes: list[Any] = []
    for bounds in ranges:
        low, high = bounds["lo"], bounds["hi"]
        if low == high:
            codes.append(low)
        elif name in frame.columns and frame[name].dtype.is_numeric():
            inside = frame[name].filter((frame[name] >= low) & (frame[name] <= high))
            codes.extend(inside.unique().sort().to_list())
    return codes
