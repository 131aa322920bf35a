"""How the survey engine reads columns: missing values and categorical codes.

Survey data arrive as Polars frames (pandas frames are converted once). Missing answers are nulls,
NaNs or empty texts; categorical columns become integer codes by hashing, so that grouping a
million rows by region costs milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from alliance.errors import DesignError, Location

__all__ = [
    "Coding",
    "FloatArray",
    "IntArray",
    "as_polars",
    "coding",
    "missing_mask",
    "plain",
    "series",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


def as_polars(frame: Any) -> pl.DataFrame:
    """Return ``frame`` as a Polars frame (pandas frames are converted once, at design time).

    Polars converts pandas text columns through pyarrow; without it, they are converted here,
    pandas' NaN in a text column becoming a missing value.
    """
    if isinstance(frame, pl.DataFrame):
        return frame
    try:
        converted: pl.DataFrame = pl.from_pandas(frame)
    except ImportError:
        columns = {}
        for name in frame.columns:
            values = frame[name].to_numpy()
            if values.dtype.kind == "O":
                values = [None if _is_nan(value) else value for value in values]
            columns[str(name)] = pl.Series(str(name), values)
        converted = pl.DataFrame(columns)
    return converted


def _is_nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def series(frame: pl.DataFrame, name: str) -> pl.Series:
    """Return a column, or an error that lists the columns there are."""
    if name not in frame.columns:
        raise DesignError(
            "survey.column_missing",
            Location(field=name),
            column=name,
            available=", ".join(frame.columns),
        )
    return frame[name]


def missing_mask(values: pl.Series) -> NDArray[np.bool_]:
    """Return which values are missing: null, NaN or an empty text.

    Examples
    --------
    >>> missing_mask(pl.Series([1.0, None, float("nan")])).tolist()
    [False, True, True]
    >>> missing_mask(pl.Series(["a", "", None])).tolist()
    [False, True, True]
    """
    missing = values.is_null()
    if values.dtype.is_float():
        missing = missing | values.is_nan()
    elif values.dtype == pl.String:
        missing = missing | (values == "")
    return missing.fill_null(True).to_numpy().astype(bool)


@dataclass(frozen=True)
class Coding:
    """A categorical column as codes: ``levels[codes[i]]`` is row i's value, -1 when missing."""

    levels: list[Any]
    codes: IntArray


def coding(values: pl.Series) -> Coding:
    """Encode a column with hashing rather than sorting, so 1M text values stay cheap.

    Examples
    --------
    >>> c = coding(pl.Series(["b", None, "a", "b"]))
    >>> c.levels, c.codes.tolist()
    (['a', 'b'], [1, -1, 0, 1])
    """
    missing = missing_mask(values)
    present = values.filter(~pl.Series(missing))
    levels = present.unique().sort()
    index = pl.Series(range(len(levels)), dtype=pl.Int64)
    codes = values.replace_strict(levels, index, default=-1, return_dtype=pl.Int64)
    codes_array = codes.fill_null(-1).to_numpy().astype(np.intp)
    codes_array[missing] = -1
    return Coding([plain(level) for level in levels.to_list()], codes_array)


def plain(value: Any) -> Any:
    """Return a NumPy scalar as the Python value it holds (for messages)."""
    return value.item() if isinstance(value, np.generic) else value
