"""How the survey engine reads columns: missing values and categorical codes.

Survey data arrive as Polars frames (pandas frames are converted once). Missing answers are nulls,
NaNs or empty texts; categorical columns become integer codes by hashing, so that grouping a
million rows by region costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import polars as pl
from numpy.typing import NDArray

from alliance.errors import DesignError, Location

__all__ = [
    "Coding",
    "FloatArray",
    "IntArray",
    "as_polars",
    "code_text",
    "coding",
    "codings",
    "column_sums",
    "crossing",
    "missing_expression",
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
    missing = pl.select(missing_expression(pl.lit(values), values.dtype)).to_series()
    return missing.to_numpy().astype(bool)


def missing_expression(values: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """:func:`missing_mask` as a Polars expression, so many columns are read in one ``select``.

    Examples
    --------
    >>> frame = pl.DataFrame({"q": [1.0, None, float("nan")]})
    >>> frame.select(missing_expression(pl.col("q"), pl.Float64)).to_series().to_list()
    [False, True, True]
    """
    missing = values.is_null()
    if dtype.is_float():
        missing = missing | values.is_nan()
    elif dtype == pl.String:
        missing = missing | (values == "")
    return missing.fill_null(True)


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
    >>> coding(pl.Series([30, 10, None, 30])).codes.tolist()
    [1, 0, -1, 1]
    """
    return codings(values.to_frame("values"), ["values"])[0]


def codings(frame: pl.DataFrame, names: Sequence[str]) -> list[Coding]:
    """:func:`coding` of several columns: integers counted, the others hashed together.

    Polars spreads the columns' hashing over its threads (raking codes all its margins).
    """
    found: dict[str, Coding] = {}
    hashed = []
    for name in names:
        values = series(frame, name)
        counted = _integer_coding(values) if values.dtype.is_integer() else None
        if counted is None:
            hashed.append(name)
        else:
            found[name] = counted
    if hashed:
        distinct = frame.select(pl.col(name).unique().implode() for name in hashed).row(0)
        levels = {}
        for name, values in zip(hashed, distinct, strict=True):
            series_of = pl.Series(name, values, dtype=frame.schema[name])
            levels[name] = series_of.filter(~pl.Series(missing_mask(series_of))).sort()
        codes = frame.select(_codes(name, frame.schema[name], levels[name]) for name in hashed)
        for name in hashed:
            found[name] = Coding(
                [plain(level) for level in levels[name].to_list()],
                codes[name].to_numpy().astype(np.intp),
            )
    return [found[name] for name in names]


def _codes(name: str, dtype: pl.DataType, levels: pl.Series) -> pl.Expr:
    """Each row's index among ``levels``, the column's sorted values (-1: missing).

    Texts are cast to an enumeration of the levels, whose codes are these indices: one hash
    per row (a missing text, null or "", is no level and becomes null, then -1).
    """
    column = pl.col(name)
    if dtype == pl.String:
        code = column.cast(pl.Enum(levels.to_list()), strict=False).to_physical()
        return code.cast(pl.Int64).fill_null(-1).alias(name)
    index = pl.Series(range(len(levels)), dtype=pl.Int64)
    code = column.replace_strict(levels, index, default=-1, return_dtype=pl.Int64)
    return pl.when(missing_expression(column, dtype)).then(-1).otherwise(code).alias(name)


def _integer_coding(values: pl.Series) -> Coding | None:
    """Code integers by counting the values present (strata, PSU ids), without hashing.

    None when their range is much wider than the column, or when no value is present.
    """
    low, high = values.min(), values.max()
    if low is None or high is None:
        return None
    low, high = int(cast("int", low)), int(cast("int", high))
    if high - low >= max(len(values), 1 << 16) or max(abs(low), abs(high)) >= 1 << 62:
        return None
    offsets = values.fill_null(low).to_numpy().astype(np.int64) - low
    missing = values.is_null().to_numpy() if values.null_count() else None
    seen = np.zeros(high - low + 1, dtype=bool)
    seen[offsets if missing is None else offsets[~missing]] = True
    codes = (np.cumsum(seen, dtype=np.intp) - 1)[offsets]
    if missing is not None:
        codes[missing] = -1
    return Coding((np.flatnonzero(seen) + low).tolist(), codes)


#: Up to this many possible combinations, :func:`crossing` counts them instead of sorting rows.
DENSE_COMBINATIONS = 1 << 22


def crossing(codings: Sequence[Coding]) -> Coding:
    """Cross several codings: one level per combination present, as R's ``interaction()``.

    Levels are tuples, the first column varying fastest, which is the order of R's
    ``svyby(~a + b)``. A row missing any of the values is missing (-1), as R drops NA groups.
    Combinations are keys in mixed radix, counted when few are possible (no sort of the rows) and
    sorted otherwise; keys are renumbered, in order, before they could overflow 64 bits.

    Examples
    --------
    >>> sex = coding(pl.Series(["F", "M", "F", None]))
    >>> region = coding(pl.Series(["N", "N", "S", "S"]))
    >>> crossed = crossing([sex, region])
    >>> crossed.levels, crossed.codes.tolist()
    ([('F', 'N'), ('M', 'N'), ('F', 'S')], [0, 1, 2, -1])
    """
    valid = np.logical_and.reduce([column.codes >= 0 for column in codings])
    key = np.zeros(len(valid), dtype=np.int64)
    radix = 1
    for column in codings:
        size = max(len(column.levels), 1)
        if radix * size >= 1 << 62:
            _, renumbered = np.unique(np.where(valid, key, 0), return_inverse=True)
            key, radix = renumbered.astype(np.int64), int(renumbered.max()) + 1
        key = key + np.where(valid, column.codes, 0).astype(np.int64) * radix
        radix *= size
    rows = np.flatnonzero(valid)
    if radix <= DENSE_COMBINATIONS:
        example = np.full(radix, -1, dtype=np.intp)
        example[key[rows]] = rows  # any row of each combination tells its values
        present = np.flatnonzero(example >= 0)
        lookup = np.full(radix, -1, dtype=np.intp)
        lookup[present] = np.arange(len(present))
        codes = np.where(valid, lookup[key], -1).astype(np.intp)
        examples = example[present]
    else:
        _, first, inverse = np.unique(key[rows], return_index=True, return_inverse=True)
        codes = np.full(len(key), -1, dtype=np.intp)
        codes[rows] = inverse
        examples = rows[first]
    levels = [
        tuple(column.levels[column.codes[row]] for column in codings) for row in examples.tolist()
    ]
    return Coding(levels, codes)


def plain(value: Any) -> Any:
    """Return a NumPy scalar as the Python value it holds (for messages)."""
    return value.item() if isinstance(value, np.generic) else value


def code_text(value: Any) -> str:
    """Write a code as text, 1, 1.0 and "1" alike, so codes match whatever their storage.

    Examples
    --------
    >>> [code_text(v) for v in (1, 1.0, np.float64(2.0), "F", 2.5)]
    ['1', '1', '2', 'F', '2.5']
    """
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def column_sums(x: FloatArray, codes: IntArray, size: int) -> FloatArray:
    """Add up the rows of ``x`` (n × k) per code (size × k), in one ``bincount``.

    Each sum adds the rows in their order, as one ``bincount`` per column would: the same
    result to the last bit, without a call per column (a few hundred, for many domains).

    Examples
    --------
    >>> column_sums(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.array([1, 0, 1]), 2)
    array([[3., 4.],
           [6., 8.]])
    """
    columns = x.shape[1]
    key = (codes[:, None] * columns + np.arange(columns)).ravel()
    sums = np.bincount(key, weights=np.ascontiguousarray(x).ravel(), minlength=size * columns)
    return np.asarray(sums, dtype=np.float64).reshape(size, columns)
