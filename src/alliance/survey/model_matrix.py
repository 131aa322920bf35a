"""Model matrices kept compact: the columns that only depend on a row's cell, then numeric columns.

Survey models (R's ``calibrate`` and ``svyglm``) mostly have an intercept, category indicators
and a few numeric columns. The categorical part of a row depends only on its combination of
categories, its *cell*; a numeric column with few distinct values (a count of employees, a
number of children) joins the cells too. A :class:`ModelMatrix` holds those columns once per
cell (``cell_rows``), which cell each row is in (``cells``), and the remaining numeric columns
whole (``numeric``, n × q). Products with the model then cost one ``bincount`` over the cells
plus one per remaining numeric column, whatever the number of categories; and when every column
is per cell (:meth:`ModelMatrix.collapsed`), a fit can run on the cells' totals alone, exactly
(sums regrouped) as on the rows.

Internally the per-cell columns come first; ``position`` puts them back in the model's order, so
every method takes and returns coefficients in the order the caller built the model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from alliance.survey.columns import FloatArray, IntArray

__all__ = ["Factor", "ModelMatrix", "build"]

#: A numeric column with at most this many distinct values joins the cells.
FOLD_LEVELS = 512
#: Rows read to guess whether a numeric column has few values before counting them all.
PROBE_ROWS = 4096
#: Cells are worth it while each holds this many rows on average, at least (else rows are kept).
ROWS_PER_CELL = 8
#: Up to this many possible combinations, cells are counted rather than sorted.
DENSE_COMBINATIONS = 1 << 22
#: Largest groups × cells table filled densely (beyond it, a sparse product is used).
DENSE_TABLE = 1 << 22


@dataclass(frozen=True)
class Factor:
    """A categorical term: row codes (-1 allowed: no indicator set) and the codes given a column."""

    codes: IntArray
    size: int
    indicators: Sequence[int]


def _bincount(codes: IntArray, weights: FloatArray, size: int) -> FloatArray:
    return np.asarray(np.bincount(codes, weights=weights, minlength=size), dtype=np.float64)


def _products(left: FloatArray, right: FloatArray) -> FloatArray:
    """``left' right`` for a few thousand rows, by einsum rather than BLAS.

    A threaded BLAS product of that size costs more than it saves: up to 100 ms instead of 1
    when the other core is busy.
    """
    return np.asarray(np.einsum("ci,cj->ij", left, right), dtype=np.float64)


@dataclass(frozen=True, eq=False)
class ModelMatrix:
    """A model matrix: ``cell_rows[cells]`` and ``numeric`` side by side, columns in ``position``.

    Column ``j`` of the model is internal column ``position[j]`` of ``[cell_rows[cells],
    numeric]``. Products are those of the dense n × p matrix (:meth:`dense`), summed by cell.
    """

    cells: IntArray
    cell_rows: FloatArray
    numeric: FloatArray
    position: IntArray

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return len(self.cell_rows)

    @property
    def width(self) -> int:
        """Number of columns of the model."""
        return len(self.position)

    def dense(self) -> FloatArray:
        """Return the n × p model matrix."""
        internal = np.column_stack([self.cell_rows[self.cells], self.numeric])
        return np.ascontiguousarray(internal[:, self.position])

    def _internal(self, coefficients: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Split model-ordered coefficients (p × k or p) into per-cell and numeric parts."""
        inside = np.empty_like(coefficients)
        inside[self.position] = coefficients
        split = self.cell_rows.shape[1]
        return inside[:split], inside[split:]

    def _model_order(self, internal: FloatArray) -> FloatArray:
        """Put internal columns (last axis) back in the model's order."""
        ordered: FloatArray = internal[..., self.position]
        return ordered

    def cell_values(self, coefficients: FloatArray) -> FloatArray:
        """``X η`` of each cell, without the numeric columns (cells)."""
        by_cell, _ = self._internal(coefficients)
        values: FloatArray = self.cell_rows @ by_cell
        return values

    def times(self, coefficients: FloatArray) -> FloatArray:
        """``X η`` (n)."""
        by_cell, numeric = self._internal(coefficients)
        result: FloatArray = (self.cell_rows @ by_cell)[self.cells]
        if numeric.size:
            result = result + self.numeric @ numeric
        return result

    def transposed_times(self, v: FloatArray) -> FloatArray:
        """``X' v`` (p) for a vector of n."""
        by_cell = _bincount(self.cells, v, self.n_cells)
        return self._model_order(np.concatenate([by_cell @ self.cell_rows, v @ self.numeric]))

    def gram(self, v: FloatArray) -> FloatArray:
        """``X' diag(v) X`` (p × p)."""
        by_cell = _bincount(self.cells, v, self.n_cells)
        categorical = _products(self.cell_rows * by_cell[:, None], self.cell_rows)
        if not self.numeric.shape[1]:
            return categorical[np.ix_(self.position, self.position)]
        weighted = self.numeric * v[:, None]
        per_cell = np.column_stack(
            [_bincount(self.cells, column, self.n_cells) for column in weighted.T]
        )
        crossed = _products(self.cell_rows, per_cell)
        numeric = self.numeric.T @ weighted
        internal = np.block([[categorical, crossed], [crossed.T, numeric]])
        return internal[np.ix_(self.position, self.position)]

    def group_sums(self, v: FloatArray, groups: IntArray, n_groups: int) -> FloatArray:
        """``Σ v X`` over the rows of each group (groups × p): PSUs' totals of influence values.

        A groups × cells table is filled by one ``bincount`` when it is small, else by a sparse
        product (SciPy is imported only then).
        """
        if n_groups * self.n_cells <= max(DENSE_TABLE, len(self.cells)):
            table = _bincount(self._slots(groups), v, n_groups * self.n_cells)
            categorical = table.reshape(n_groups, self.n_cells) @ self.cell_rows
        else:
            from scipy import sparse

            by_cell = sparse.csr_array((v, (groups, self.cells)), shape=(n_groups, self.n_cells))
            categorical = np.asarray(by_cell @ self.cell_rows, dtype=np.float64)
        numeric = [_bincount(groups, v * column, n_groups) for column in self.numeric.T]
        return self._model_order(np.column_stack([categorical, *numeric]))

    def _slots(self, groups: IntArray) -> IntArray:
        """``group × cells + cell`` per row, kept for the last grouping (two fits share it)."""
        kept = self._kept_slots
        if kept and kept[0] is groups:
            return kept[1]
        slots: IntArray = groups * self.n_cells + self.cells
        kept[:] = [groups, slots]
        return slots

    @cached_property
    def _kept_slots(self) -> list[IntArray]:
        return []

    @cached_property
    def collapsed(self) -> ModelMatrix | None:
        """The model of the cells themselves (one row each), or None with numeric columns.

        A fit whose rows only enter through sums by cell (weights, ``w y``) can run on it. A
        model with a cell per row has none: it is its own.
        """
        if self.numeric.shape[1] or self.n_cells == len(self.cells):
            return None
        return ModelMatrix(
            cells=np.arange(self.n_cells, dtype=np.intp),
            cell_rows=self.cell_rows,
            numeric=self.numeric[: self.n_cells],
            position=self.position,
        )

    def cell_sums(self, v: FloatArray) -> FloatArray:
        """``Σ v`` over the rows of each cell."""
        return _bincount(self.cells, v, self.n_cells)


def build(n: int, terms: Sequence[Factor | FloatArray]) -> ModelMatrix:
    """Build the model ``1 + terms``: an intercept, each factor's indicators, numeric columns.

    Numeric columns (finite values) with few distinct values join the cells while the cells stay
    much fewer than the rows; the others are kept whole.
    """
    keys: list[tuple[IntArray, int]] = [_key(term) for term in terms if isinstance(term, Factor)]
    combinations = math.prod(size for _, size in keys)
    folded: dict[int, FloatArray] = {}
    for index, term in enumerate(terms):
        if isinstance(term, Factor):
            continue
        found = _few_values(term)
        if found is None or combinations * len(found[0]) * ROWS_PER_CELL > max(n, 1):
            continue
        levels, codes = found
        keys.append((codes, len(levels)))
        combinations *= len(levels)
        folded[index] = levels
    cells, example = _cells(n, keys)
    cell_columns, numeric_columns = [np.ones(len(example))], []
    cell_position, numeric_position = [0], []
    column = 1
    for index, term in enumerate(terms):
        if isinstance(term, Factor):
            codes = term.codes[example]
            for code in term.indicators:
                cell_columns.append((codes == code).astype(np.float64))
                cell_position.append(column)
                column += 1
        elif index in folded:
            cell_columns.append(np.asarray(term[example], dtype=np.float64))
            cell_position.append(column)
            column += 1
        else:
            numeric_columns.append(np.asarray(term, dtype=np.float64))
            numeric_position.append(column)
            column += 1
    internal = np.array(cell_position + numeric_position, dtype=np.intp)
    position = np.empty_like(internal)
    position[internal] = np.arange(len(internal))
    return ModelMatrix(
        cells=cells,
        cell_rows=np.column_stack(cell_columns),
        numeric=np.column_stack(numeric_columns) if numeric_columns else np.zeros((n, 0)),
        position=position,
    )


def _key(factor: Factor) -> tuple[IntArray, int]:
    """Key the cells by a factor's codes, shifted by one when some row has no value (-1)."""
    if factor.codes.min(initial=0) >= 0:
        return factor.codes, factor.size
    return factor.codes + 1, factor.size + 1


def _few_values(values: FloatArray) -> tuple[FloatArray, IntArray] | None:
    """Code a column with few values: its sorted values and each row's, or None if they are many.

    A look at the first rows spares counting the values of a continuous column; whole numbers
    in a short range (counts) are counted rather than sorted.
    """
    if len(np.unique(values[:PROBE_ROWS])) > FOLD_LEVELS:
        return None
    low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 0.0)
    if high - low <= 4 * FOLD_LEVELS and low.is_integer():
        offsets = values - low
        whole = offsets.astype(np.intp)
        if (whole == offsets).all():  # whole numbers: exact offsets from a whole low
            present = np.bincount(whole) > 0
            if np.count_nonzero(present) > FOLD_LEVELS:
                return None
            lookup = np.cumsum(present, dtype=np.intp) - 1
            return low + np.flatnonzero(present).astype(np.float64), lookup[whole]
    levels = np.unique(values)
    if len(levels) > FOLD_LEVELS:
        return None
    return levels, np.searchsorted(levels, values).astype(np.intp)


def _cells(n: int, keys: list[tuple[IntArray, int]]) -> tuple[IntArray, IntArray]:
    """Code each row's combination of keys (mixed radix); return the codes and a row of each.

    Keys are 32-bit while the combinations fit: half the memory traffic of 64-bit ones.
    """
    possible = math.prod(size for _, size in keys)
    dtype: type[np.signedinteger[Any]] = np.int32 if possible < 1 << 31 else np.int64
    key: NDArray[np.signedinteger[Any]] = np.zeros(n, dtype=dtype)
    radix = 1
    for codes, size in keys:
        if radix * size >= 1 << 62:  # renumber the combinations seen before they overflow
            _, renumbered = np.unique(key, return_inverse=True)
            key, radix = renumbered.astype(np.int64).reshape(-1), int(renumbered.max()) + 1
        part: NDArray[np.signedinteger[Any]] = codes.astype(dtype)
        np.multiply(part, radix, out=part)
        np.add(key, part, out=key)
        radix *= size
    if radix <= DENSE_COMBINATIONS:
        row_of_key = np.full(radix, -1, dtype=np.intp)
        row_of_key[key] = np.arange(n)  # any row of each combination present tells its values
        present = np.flatnonzero(row_of_key >= 0)
        lookup = np.zeros(radix, dtype=np.intp)
        lookup[present] = np.arange(len(present))
        return lookup[key], row_of_key[present]
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return np.asarray(inverse, dtype=np.intp).reshape(-1), np.asarray(first, dtype=np.intp)
