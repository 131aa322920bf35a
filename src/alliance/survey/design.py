"""The survey design: weights, strata, primary sampling units (PSUs), finite-population correction.

As in R's ``survey`` package, a design is built once from the data, then every estimator takes it.
The design also holds what a calibration leaves behind (the raking margins), because standard
errors after raking must account for it: a raked design is not "the same design with other weights".

Variance (Taylor linearisation, one stage, as R's ``svyrecvar``)::

    V = Σ_h (1 - f_h) · n_h / (n_h - 1) · Σ_j (z_hj - z̄_h)²

where ``z_hj`` is the total of the influence values of PSU ``j`` in stratum ``h``, ``n_h`` the
number of PSUs of the stratum in the design (also those without a row in a domain), ``f_h`` its
sampling fraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from alliance.errors import DesignError, Location
from alliance.survey.columns import (
    Coding,
    FloatArray,
    IntArray,
    as_polars,
    coding,
    crossing,
    plain,
    series,
)
from alliance.survey.specification import DesignSpec, LonelyPsu

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["By", "Calibration", "Design", "Domains"]

#: Domains: one column (levels are its values), several (levels are tuples), or None (everyone).
By = str | Sequence[str] | None

#: Sweeps of the raking projection in the variance, as R's ``svyrecvar`` does.
RAKING_PROJECTION_SWEEPS = 10


@dataclass(frozen=True)
class Calibration:
    """What raking leaves for the variance: the weighting cells and, per margin, their category.

    Standard errors after raking use the residuals of the influence values on the margins. Those
    residuals differ from the influence values by a function of the weighting cell only, which is
    why the cells are all the variance needs to know. ``weights`` are the weights raking gave:
    trimming them afterwards changes the design's weights but not these, as in R.
    """

    cells: IntArray
    margins: tuple[IntArray, ...]
    weights: FloatArray

    @property
    def n_cells(self) -> int:
        """Number of weighting cells."""
        return len(self.margins[0])


@dataclass(frozen=True)
class Domains:
    """Rows of a design grouped into domains, as R's ``subset()`` then ``svyby()``.

    Rows outside every domain (a missing answer, a missing ``by`` value) stay in the design: each
    row gets a slot, ``psu × (domains + 1) + domain``, the last domain collecting rows outside
    them all, so sums per PSU and domain are one ``bincount`` without copying the rows.

    With several ``by`` columns, ``by`` is their tuple and each level a tuple of values: the
    combinations present in the design, the first column varying fastest (R's order). A domain
    may have no row among ``rows`` (no answer there): its ``n`` is 0 and estimators mark it empty.
    """

    by: str | tuple[str, ...] | None
    levels: list[Any]
    psu_slots: IntArray
    cell_slots: IntArray | None
    psu_rows: FloatArray

    @property
    def size(self) -> int:
        """Number of domains."""
        return len(self.levels)

    @property
    def n(self) -> IntArray:
        """Rows in each domain."""
        counts: IntArray = self.psu_rows.sum(axis=0).astype(np.intp)
        return counts


@dataclass(frozen=True)
class Design:
    """A sample with its weights and its sampling structure.

    Build it with :meth:`from_frame`; verbs such as :func:`alliance.survey.rake` return a new
    design and append a line to :attr:`history`.
    """

    frame: pl.DataFrame
    weights: FloatArray
    strata: IntArray
    psu: IntArray
    psu_stratum: IntArray
    fpc: FloatArray
    stratum_labels: list[Any]
    lonely_psu: LonelyPsu = "fail"
    calibration: Calibration | None = None
    history: tuple[str, ...] = field(default_factory=tuple)
    spec: DesignSpec = field(default_factory=DesignSpec)

    @classmethod
    def from_spec(cls, frame: Any, spec: DesignSpec) -> Design:
        """Describe how ``frame`` was sampled, from options declared once (see :class:`DesignSpec`).

        Examples
        --------
        >>> frame = pl.DataFrame({"y": [1.0, 2.0], "w": [1.0, 3.0]})
        >>> Design.from_spec(frame, DesignSpec(weights="w")).history
        ('design(weights=w)',)
        """
        return cls.from_frame(
            frame,
            weights=spec.weights,
            strata=spec.strata,
            psu=spec.psu,
            fpc=spec.fpc,
            nest=spec.nest,
            lonely_psu=spec.lonely_psu,
        )

    @classmethod
    def from_frame(
        cls,
        frame: Any,
        *,
        weights: str | None = None,
        strata: str | None = None,
        psu: str | None = None,
        fpc: str | None = None,
        nest: bool = False,
        lonely_psu: LonelyPsu = "fail",
    ) -> Design:
        """Describe how ``frame`` (pandas or Polars) was sampled.

        Parameters
        ----------
        weights
            Column of sampling weights; every row weighs 1 when absent.
        strata
            Column of strata; one stratum when absent.
        psu
            Column of primary sampling units (clusters); each row is its own PSU when absent.
        fpc
            Finite-population correction per row, constant within a stratum: a sampling fraction
            (≤ 1) or the number of PSUs in the stratum's population (> 1), as in R.
        nest
            PSU identifiers are only unique within a stratum (R's ``nest=TRUE``).
        lonely_psu
            ``"fail"`` (default): a stratum with one PSU is an error; ``"adjust"``: centre it on
            the grand mean, as R's ``options(survey.lonely.psu = "adjust")``.
        """
        spec = DesignSpec(weights, strata, psu, fpc, nest=nest, lonely_psu=lonely_psu)
        frame = as_polars(frame)
        n = len(frame)
        w = _weights(frame, weights, n)
        if strata is None:
            stratum_labels, stratum_codes = [None], np.zeros(n, dtype=np.intp)
        else:
            stratum_coding = _design_coding(frame, strata)
            stratum_labels, stratum_codes = stratum_coding.levels, stratum_coding.codes
        if psu is None:
            psu_codes = np.arange(n, dtype=np.intp)
        else:
            psu_codes = _psu_codes(_design_coding(frame, psu), stratum_codes, nest=nest)
        psu_stratum = np.zeros(int(psu_codes.max()) + 1 if n else 0, dtype=np.intp)
        psu_stratum[psu_codes] = stratum_codes
        f = _sampling_fractions(frame, fpc, stratum_codes, psu_stratum, stratum_labels)
        design = cls(
            frame=frame,
            weights=w,
            strata=stratum_codes,
            psu=psu_codes,
            psu_stratum=psu_stratum,
            fpc=f,
            stratum_labels=stratum_labels,
            lonely_psu=lonely_psu,
            history=(f"design({spec.describe() or 'simple random sample'})",),
            spec=spec,
        )
        design.check_lonely_psus()
        return design

    def __len__(self) -> int:
        return len(self.weights)

    def series(self, name: str) -> pl.Series:
        """Return a column of the design's data."""
        return series(self.frame, name)

    def coding(self, name: str) -> Coding:
        """Return a column as codes, computed once per design and column."""
        if name not in self._codings:
            self._codings[name] = coding(self.series(name))
        return self._codings[name]

    @cached_property
    def _codings(self) -> dict[str, Coding]:
        return {}

    def domain_coding(self, by: By) -> tuple[str | tuple[str, ...] | None, Coding]:
        """Return ``by`` as stored in estimates (a name or a tuple) and its domains as codes.

        Crossing several columns is computed once per design and tuple of columns.
        """
        if by is None:
            return None, Coding([None], np.zeros(len(self), dtype=np.intp))
        if isinstance(by, str):
            return by, self.coding(by)
        names = tuple(by)
        if not names:
            raise ValueError("by names no column: give None for the whole sample")
        if names not in self._crossings:
            self._crossings[names] = crossing([self.coding(name) for name in names])
        return names, self._crossings[names]

    @cached_property
    def _crossings(self) -> dict[tuple[str, ...], Coding]:
        return {}

    def with_weights(
        self, weights: FloatArray, *, step: str, calibration: Calibration | None = None
    ) -> Design:
        """Return a copy with new weights and one more step; raking also gives its calibration."""
        return replace(
            self,
            weights=weights,
            calibration=calibration or self.calibration,
            history=(*self.history, step),
        )

    @property
    def n_psu(self) -> int:
        """Number of PSUs in the design."""
        return len(self.psu_stratum)

    def psu_counts(self) -> IntArray:
        """Return the number of PSUs in each stratum."""
        return np.bincount(self.psu_stratum, minlength=len(self.stratum_labels)).astype(np.intp)

    def check_lonely_psus(self) -> None:
        """Refuse strata with a single PSU unless ``lonely_psu="adjust"``."""
        counts = self.psu_counts()
        if self.lonely_psu == "fail" and (counts == 1).any():
            label = self.stratum_labels[int(np.argmax(counts == 1))]
            raise DesignError("survey.lonely_psu", stratum=label)

    def degrees_of_freedom(self, psu_rows: FloatArray | None = None) -> IntArray:
        """PSUs minus strata, counting those with rows (R's ``degf``), per column of ``psu_rows``.

        ``psu_rows`` (PSUs × k) counts each domain's rows in each PSU; without it, the whole
        design is counted.
        """
        rows = np.ones((self.n_psu, 1)) if psu_rows is None else psu_rows
        used = np.asarray(rows > 0, dtype=np.float64)
        strata_used = group_sums(used, self.psu_stratum, len(self.psu_counts()))
        degrees: IntArray = (used > 0).sum(axis=0) - (strata_used > 0).sum(axis=0)
        return degrees

    def domains(self, rows: NDArray[np.bool_], by: By = None) -> Domains:
        """Group ``rows`` by the values of ``by``: a column, several, or None (one domain)."""
        names, by_coding = self.domain_coding(by)
        levels, codes = by_coding.levels, by_coding.codes
        width = len(levels) + 1
        slot = np.where(rows & (codes >= 0), codes, len(levels))
        psu_slots = self.psu * width + slot
        cell_slots = None
        if self.calibration is not None:
            cell_slots = self.calibration.cells * width + slot
        psu_rows = np.bincount(psu_slots, minlength=self.n_psu * width)
        return Domains(
            by=names,
            levels=levels,
            psu_slots=psu_slots,
            cell_slots=cell_slots,
            psu_rows=psu_rows.reshape(self.n_psu, width)[:, :-1].astype(np.float64),
        )

    def sums(self, values: FloatArray, domains: Domains) -> tuple[FloatArray, FloatArray | None]:
        """Reduce the microdata to sufficient statistics for the variance.

        Returns the weighted sums of ``values`` per PSU and domain (PSUs × domains) and, for a
        raked design, their sums per weighting cell and domain (cells × domains) weighted by
        weight / raking weight (1, unless the weights were trimmed after raking).
        """
        width = domains.size + 1
        by_psu = _bincount(domains.psu_slots, self.weights * values, self.n_psu * width)
        by_psu = by_psu.reshape(self.n_psu, width)[:, :-1]
        if self.calibration is None or domains.cell_slots is None:
            return by_psu, None
        calibrated = self.calibration.weights
        ratio = values if calibrated is self.weights else values * self.weights / calibrated
        by_cell = _bincount(domains.cell_slots, ratio, self.calibration.n_cells * width)
        return by_psu, by_cell.reshape(self.calibration.n_cells, width)[:, :-1]

    def variance(self, x: FloatArray) -> FloatArray:
        """Return the variance of the totals of the columns of ``x`` (n × k influence values)."""
        x = np.asarray(x, dtype=np.float64).reshape(len(self), -1)
        return np.diag(self.covariance(x)).copy()

    def covariance(self, x: FloatArray) -> FloatArray:
        """Return the covariance matrix (k × k) of the totals of the columns of ``x`` (n × k)."""
        x = np.asarray(x, dtype=np.float64).reshape(len(self), -1)
        psu_totals = group_sums(x, self.psu, self.n_psu)
        cell_sums = None
        if self.calibration is not None:
            u = x / self.calibration.weights[:, None]
            cell_sums = group_sums(u, self.calibration.cells, self.calibration.n_cells)
        return self.covariance_of_sums(psu_totals, cell_sums)

    def variance_of_sums(self, psu_totals: FloatArray, cell_sums: FloatArray | None) -> FloatArray:
        """Variance of each column, from influence totals per PSU and (raked) per cell."""
        deviations, scale = self._deviations(psu_totals, cell_sums)
        variances: FloatArray = np.einsum("pi,p->i", deviations**2, scale)
        return variances

    def covariance_of_sums(
        self, psu_totals: FloatArray, cell_sums: FloatArray | None
    ) -> FloatArray:
        """Covariance of the columns, from influence totals per PSU and (raked) per cell."""
        deviations, scale = self._deviations(psu_totals, cell_sums)
        covariance: FloatArray = deviations.T @ (deviations * scale[:, None])
        return covariance

    def _deviations(
        self, psu_totals: FloatArray, cell_sums: FloatArray | None
    ) -> tuple[FloatArray, FloatArray]:
        """PSU totals centred on their stratum mean, and each PSU's factor (1 - f) n/(n - 1)."""
        if self.calibration is not None and cell_sums is not None:
            psu_totals = psu_totals - self._psu_cell_weights @ self._raking_projection(cell_sums)
        counts = self.psu_counts().astype(np.float64)
        stratum_means = (
            group_sums(psu_totals, self.psu_stratum, len(counts)) / np.maximum(counts, 1)[:, None]
        )
        centre = stratum_means[self.psu_stratum]
        lonely = counts[self.psu_stratum] == 1
        if lonely.any():
            centre[lonely] = psu_totals.sum(axis=0) / self.n_psu
        scale = np.where(counts > 1, counts / np.maximum(counts - 1, 1), 1.0) * (1 - self.fpc)
        return psu_totals - centre, scale[self.psu_stratum]

    def _raking_projection(self, cell_sums: FloatArray) -> FloatArray:
        """Per cell, what R's ``svyrecvar`` subtracts from x/w in its 10 sweeps over the margins.

        Each sweep removes, margin by margin, the mean of the current residuals of x/w within
        each category. Working on cell sums gives the same result as working on rows.
        """
        calibration = self._checked_calibration
        rows = self._cell_rows[:, None]
        correction = np.zeros_like(cell_sums)
        for _ in range(RAKING_PROJECTION_SWEEPS):
            for categories, category_rows in zip(
                calibration.margins, self._margin_rows, strict=True
            ):
                residual = group_sums(cell_sums - rows * correction, categories, len(category_rows))
                correction = correction + (residual / category_rows[:, None])[categories]
        return correction

    @property
    def _checked_calibration(self) -> Calibration:
        if self.calibration is None:
            raise TypeError("the design is not raked")
        return self.calibration

    @cached_property
    def _cell_rows(self) -> FloatArray:
        calibration = self._checked_calibration
        return np.bincount(calibration.cells, minlength=calibration.n_cells).astype(np.float64)

    @cached_property
    def _margin_rows(self) -> list[FloatArray]:
        rows = self._cell_rows
        margins = self._checked_calibration.margins
        return [_bincount(categories, rows, int(categories.max()) + 1) for categories in margins]

    @cached_property
    def _psu_cell_weights(self) -> sparse.csr_array:
        """Weight of each PSU in each weighting cell (PSUs × cells, sparse).

        SciPy's sparse arrays are imported here: only raked designs need them.
        """
        from scipy import sparse

        calibration = self._checked_calibration
        return sparse.csr_array(
            (calibration.weights, (self.psu, calibration.cells)),
            shape=(self.n_psu, calibration.n_cells),
        )


def _bincount(codes: IntArray, weights: FloatArray, size: int) -> FloatArray:
    """Weighted counts per code, typed as floats."""
    return np.asarray(np.bincount(codes, weights=weights, minlength=size), dtype=np.float64)


def group_sums(x: FloatArray, codes: IntArray, size: int) -> FloatArray:
    """Column sums of ``x`` by group code (a sufficient-statistics reduction)."""
    x = x.reshape(len(codes), -1)
    out = np.empty((size, x.shape[1]))
    for j in range(x.shape[1]):
        out[:, j] = np.bincount(codes, weights=x[:, j], minlength=size)
    return out


def _weights(frame: pl.DataFrame, name: str | None, n: int) -> FloatArray:
    if name is None:
        return np.ones(n)
    values = series(frame, name)
    if not values.dtype.is_numeric():
        raise DesignError("survey.weight_invalid", Location(field=name), column=name)
    w = values.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(np.float64)
    bad = np.isnan(w) | (w < 0)
    if bad.any():
        row = int(np.argmax(bad)) + 1
        raise DesignError(
            "survey.weight_invalid",
            Location(row=row, field=name, value=plain(w[row - 1])),
            column=name,
        )
    return w


def _design_coding(frame: pl.DataFrame, name: str) -> Coding:
    """Code a strata or PSU column, which may not have missing values."""
    result = coding(series(frame, name))
    missing = result.codes < 0
    if missing.any():
        row = int(np.argmax(missing)) + 1
        raise DesignError("survey.design_value_missing", Location(row=row, field=name), column=name)
    return result


def _psu_codes(psu: Coding, strata: IntArray, *, nest: bool) -> IntArray:
    """Give each PSU a code; without ``nest``, an id seen in two strata is an error."""
    pairs = strata.astype(np.int64) * len(psu.levels) + psu.codes
    distinct, codes = np.unique(pairs, return_inverse=True)
    if not nest and len(distinct) > len(psu.levels):
        repeated = np.bincount(distinct % len(psu.levels)) > 1
        raise DesignError("survey.psu_not_nested", psu=psu.levels[int(np.argmax(repeated))])
    return np.asarray(codes, dtype=np.intp)


def _sampling_fractions(
    frame: pl.DataFrame,
    name: str | None,
    strata: IntArray,
    psu_stratum: IntArray,
    stratum_labels: list[Any],
) -> FloatArray:
    """Return the sampling fraction f_h of each stratum (0 without fpc)."""
    fractions = np.zeros(len(stratum_labels))
    if name is None:
        return fractions
    values = series(frame, name).cast(pl.Float64).fill_null(np.nan).to_numpy()
    sampled = np.bincount(psu_stratum, minlength=len(stratum_labels))
    for h, label in enumerate(stratum_labels):
        in_stratum = values[strata == h]
        value = float(in_stratum[0])
        fraction = value if value <= 1 else sampled[h] / value
        if np.isnan(value) or not (in_stratum == value).all() or not 0 <= fraction <= 1:
            raise DesignError(
                "survey.fpc_invalid", Location(field=name), stratum=label, value=value
            )
        fractions[h] = fraction
    return fractions
