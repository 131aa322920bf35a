"""Calibration: new weights that meet known population figures, and what their variance needs.

Standard errors after calibration are not those of fixed weights: R's ``svyrecvar`` replaces the
influence values by their residuals on the calibration variables. Two calibrations exist, and the
design holds either one behind the same :class:`Calibration` interface, so every estimator (and
:meth:`alliance.survey.Design.covariance`) gets calibration-aware variances without knowing which:

- :class:`Raking`, left by :func:`alliance.survey.rake` (R's ``rake()``): ten sweeps that remove
  the mean of ``x / w`` within each category of each margin. The residual differs from ``x / w``
  by a function of the weighting cell only, so the cells are all it needs.
- :class:`Regression`, left by :func:`calibrate` (R's ``calibrate()``, linear, raking or logit):
  the residual of ``x / w`` regressed, with the design weights, on the model matrix of the
  calibration (intercept, category indicators, numeric columns). The regression needs only
  ``X' W (x / w)``, the model's Gram matrix and, per PSU, ``Σ w X``; the model is kept per
  weighting cell (:class:`~alliance.survey.model_matrix.ModelMatrix`), numeric columns with few
  values included, so that linear calibration to categories and counts runs on the cells' totals.

A replicate weights design keeps no :class:`Calibration`: each replicate is calibrated to the
same totals instead, as R does, and its variances come from the calibrated replicates.

Both reduce the microdata to a few statistics per domain (``reduce``), and turn them into a
correction of the PSU totals (``correction``); the design centres the corrected totals.

:func:`calibrate` follows R's ``grake``: Newton steps on the calibration equations with the
calibration function's derivative (including R's choice of derivative for bounded raking), a
Moore-Penrose inverse, step halving when weights become infinite, and R's rescaling when the
population is more than 20 times the sample, so bounds mean what they mean in R.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import polars as pl

from alliance.errors import ConvergenceError, Location, MarginError, SurveyError
from alliance.survey.columns import FloatArray, IntArray
from alliance.survey.model_matrix import Factor, ModelMatrix, build

if TYPE_CHECKING:
    from alliance.survey.design import Design
    from alliance.survey.replicates import Replicates
    from alliance.survey.weighting import Margins, RakeDiagnostics

__all__ = ["Calibration", "CalibrationMethod", "Raking", "Regression", "calibrate"]

#: Up to this many columns of statistics, a calibration's correction is summed row by row.
ROW_PASSES = 4

#: Sweeps of the raking projection in the variance, as R's ``svyrecvar`` does.
RAKING_PROJECTION_SWEEPS = 10

#: How the weights may move: R's ``cal.linear``, ``cal.raking`` and ``cal.logit``.
CalibrationMethod = Literal["linear", "raking", "logit"]


def _bincount(codes: IntArray, weights: FloatArray, size: int) -> FloatArray:
    return np.asarray(np.bincount(codes, weights=weights, minlength=size), dtype=np.float64)


def _group_sums(x: FloatArray, codes: IntArray, size: int) -> FloatArray:
    x = x.reshape(len(codes), -1)
    sums = np.zeros((size, x.shape[1]))
    for j in range(x.shape[1]):
        sums[:, j] = _bincount(codes, x[:, j], size)
    return sums


class Calibration(ABC):
    """What a calibration leaves for the variance, whichever calibration it was.

    ``weights`` are the weights the calibration gave: trimming them afterwards changes the
    design's weights but not these, as in R. ``u`` below is always ``x / weights``: influence
    values over the calibrated weights.
    """

    weights: FloatArray

    @abstractmethod
    def slots(self, domain_slots: IntArray, width: int) -> IntArray:
        """Precompute, once per set of domains, where each row goes (:meth:`reduce_slots`)."""

    @abstractmethod
    def reduce(self, u: FloatArray) -> FloatArray:
        """Reduce ``u`` (n × k) to the statistics the correction needs (q × k)."""

    @abstractmethod
    def reduce_slots(self, u: FloatArray, slots: IntArray, width: int) -> FloatArray:
        """Reduce ``u`` (n), split into domains by :meth:`slots`, to q × domains statistics."""

    @abstractmethod
    def correction(self, statistics: FloatArray, groups: IntArray, n_groups: int) -> FloatArray:
        """Return what to subtract from the influence totals of each group of rows (PSUs)."""


@dataclass(frozen=True, eq=False)
class Raking(Calibration):
    """What raking leaves: the weighting cells and, per margin, each cell's category.

    R's ``svyrecvar`` sweeps ten times over the margins, removing the mean of ``x / w`` in each
    category; on cell sums of ``x / w`` that is the same computation, at the cost of the cells.
    """

    cells: IntArray
    margins: tuple[IntArray, ...]
    weights: FloatArray

    @property
    def n_cells(self) -> int:
        """Number of weighting cells."""
        return len(self.margins[0])

    def slots(self, domain_slots: IntArray, width: int) -> IntArray:
        """Cell and domain of each row, as one code."""
        codes: IntArray = self.cells * width + domain_slots
        return codes

    def reduce(self, u: FloatArray) -> FloatArray:
        """Sum ``u`` per weighting cell."""
        return _group_sums(u, self.cells, self.n_cells)

    def reduce_slots(self, u: FloatArray, slots: IntArray, width: int) -> FloatArray:
        """Sum ``u`` per weighting cell and domain (the slot outside every domain dropped)."""
        sums = _bincount(slots, u, self.n_cells * width).reshape(self.n_cells, width)
        return sums[:, :-1]

    def correction(self, statistics: FloatArray, groups: IntArray, n_groups: int) -> FloatArray:
        """Σ over each group's rows of weight × what the ten sweeps removed in the row's cell.

        A cell loses one amount per margin, its category's: each group's weight per category
        is enough (one product), unless these weights outnumber the rows (every row its own
        PSU): then each group's weight per cell, sparse, is used.
        """
        by_cell, by_category = self._projection(statistics)
        weights = self._group_weights(groups, n_groups)
        dense = isinstance(weights, np.ndarray)
        correction: FloatArray = weights @ (by_category if dense else by_cell)
        return correction

    def _projection(self, cell_sums: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Return what R's ``svyrecvar`` takes from x/w in its 10 sweeps, per cell and category.

        A sweep removes, in each category of a margin, the mean of what is left there: its sum
        less, for every category (of every margin), the rows they share × what it lost so far.
        The sweeps thus run on the categories (a few dozen), not on the cells.
        """
        indicators, shared, blocks = self._categories
        sums = indicators @ cell_sums
        lost = np.zeros_like(sums)
        for _ in range(RAKING_PROJECTION_SWEEPS):
            for block in blocks:
                residual = sums[block] - shared[block] @ lost
                lost[block] += residual / np.diag(shared[block, block])[:, None]
        by_cell: FloatArray = indicators.T @ lost
        return by_cell, lost

    @cached_property
    def _categories(self) -> tuple[FloatArray, FloatArray, list[slice]]:
        """Each category's cells (categories × cells), the rows two share, each margin's rows."""
        levels = [np.arange(int(codes.max()) + 1)[:, None] == codes for codes in self.margins]
        indicators = np.vstack(levels).astype(np.float64)
        rows = np.bincount(self.cells, minlength=self.n_cells).astype(np.float64)
        bounds = np.cumsum([0, *map(len, levels)]).tolist()
        blocks = [slice(start, stop) for start, stop in pairwise(bounds)]
        return indicators, indicators @ (rows[:, None] * indicators.T), blocks

    def _group_weights(self, groups: IntArray, n_groups: int) -> FloatArray | Any:
        """Each group's weight per category of the margins, or per cell (SciPy, sparse); kept."""
        cached = self._by_grouping.get(id(groups))
        if cached is not None and cached[0] is groups:
            return cached[1]
        sizes = [block.stop - block.start for block in self._categories[2]]
        if n_groups * sum(sizes) <= len(groups):
            keys = [
                (groups * k + codes[self.cells], n_groups * k)
                for codes, k in zip(self.margins, sizes, strict=True)
            ]
            found: Any = np.hstack(
                [_bincount(key, self.weights, size).reshape(n_groups, -1) for key, size in keys]
            )
        else:
            from scipy import sparse

            cells = (self.weights, (groups, self.cells))
            found = sparse.csr_array(cells, shape=(n_groups, self.n_cells))
        self._by_grouping[id(groups)] = (groups, found)
        return found

    @cached_property
    def _by_grouping(self) -> dict[int, tuple[IntArray, Any]]:
        return {}


@dataclass(frozen=True, eq=False)
class Regression(Calibration):
    """What :func:`calibrate` leaves: the model, the design weights and the new weights.

    As R's ``greg_calibration``: ``x`` becomes ``w (x / w - X β)``, with ``β`` the regression of
    ``x / w`` on ``X`` weighted by the design weights ``d``. Only ``X' d (x / w)`` is needed per
    domain (a sum per weighting cell and domain, and one per numeric column and domain); the Gram
    matrix ``X' d X`` is solved once (columns scaled first, so the enrolment of a school and an
    intercept sit in one well-conditioned system).
    """

    model: ModelMatrix
    design_weights: FloatArray
    weights: FloatArray

    def slots(self, domain_slots: IntArray, width: int) -> IntArray:
        """Cell and domain of each row, as one code (the domain is the code modulo ``width``)."""
        codes: IntArray = self.model.cells * width + domain_slots
        return codes

    def reduce(self, u: FloatArray) -> FloatArray:
        """``X' d u``: one row per column of the model."""
        u = u.reshape(len(self.weights), -1)
        columns = [
            self.model.transposed_times(self.design_weights * u[:, k]) for k in range(u.shape[1])
        ]
        return np.column_stack(columns)

    def reduce_slots(self, u: FloatArray, slots: IntArray, width: int) -> FloatArray:
        """``X' d u`` per domain (columns of the model × domains)."""
        model, weighted = self.model, self.design_weights * u
        by_cell = _bincount(slots, weighted, model.n_cells * width).reshape(model.n_cells, width)
        categorical = model.cell_rows.T @ by_cell[:, :-1]
        if not model.numeric.shape[1]:
            return categorical[model.position]
        domains = slots % width
        numeric = [
            _bincount(domains, model.numeric[:, j] * weighted, width)[:-1]
            for j in range(model.numeric.shape[1])
        ]
        return np.vstack([categorical, *numeric])[model.position]

    def correction(self, statistics: FloatArray, groups: IntArray, n_groups: int) -> FloatArray:
        """``(Σ_group w X) β`` with ``β = (X' d X)⁻¹ X' d u``.

        For a few columns, ``w X β`` is summed per group row by row (one pass each); for more,
        the groups' ``Σ w X`` are computed once per grouping and kept.
        """
        scale = self._scale[:, None]
        beta = self._inverse_gram @ (statistics / scale) / scale
        cached = self._by_grouping.get(id(groups))
        if (cached is None or cached[0] is not groups) and beta.shape[1] <= ROW_PASSES:
            columns = [
                _bincount(groups, self.weights * self.model.times(b), n_groups) for b in beta.T
            ]
            return np.column_stack(columns) if columns else np.zeros((n_groups, 0))
        if cached is None or cached[0] is not groups:
            cached = (groups, self.model.group_sums(self.weights, groups, n_groups))
            self._by_grouping[id(groups)] = cached
        correction: FloatArray = cached[1] @ beta
        return correction

    @cached_property
    def _gram(self) -> FloatArray:
        return self.model.gram(self.design_weights)

    @cached_property
    def _scale(self) -> FloatArray:
        diagonal = np.diag(self._gram)
        scale: FloatArray = np.sqrt(np.where(diagonal > 0, diagonal, 1.0))
        return scale

    @cached_property
    def _inverse_gram(self) -> FloatArray:
        """Moore-Penrose inverse of the scaled Gram matrix (an aliased column adds nothing)."""
        inverse = np.linalg.pinv(self._gram / np.outer(self._scale, self._scale), rcond=1e-10)
        return np.asarray(inverse, dtype=np.float64)

    @cached_property
    def _by_grouping(self) -> dict[int, tuple[IntArray, FloatArray]]:
        return {}


# Calibration functions F(u) - 1 and their derivatives, as R's cal.linear, cal.raking, cal.logit.
Bounds = tuple[float, float]
Function = Callable[[FloatArray, Bounds], FloatArray]


def _linear(u: FloatArray, bounds: Bounds) -> FloatArray:
    result: FloatArray = np.minimum(np.maximum(u + 1, bounds[0]), bounds[1]) - 1
    return result


def _linear_derivative(u: FloatArray, bounds: Bounds) -> FloatArray:
    return ((u < bounds[1] - 1) & (u > bounds[0] - 1)).astype(np.float64)


def _raking(u: FloatArray, bounds: Bounds) -> FloatArray:
    result: FloatArray = np.minimum(np.maximum(np.exp(u), bounds[0]), bounds[1]) - 1
    return result


def _raking_derivative(u: FloatArray, bounds: Bounds) -> FloatArray:
    # R compares u itself with the bounds minus one here: copied, so the Newton path is R's.
    inside = (u < bounds[1] - 1) & (u > bounds[0] - 1)
    return np.where(inside, np.exp(u), 0.0)


def _logit(u: FloatArray, bounds: Bounds) -> FloatArray:
    low, high = bounds
    a = (high - low) / ((high - 1) * (1 - low))
    eau = np.exp(a * u)
    result: FloatArray = (low * (high - 1) + high * (1 - low) * eau) / (
        high - 1 + (1 - low) * eau
    ) - 1
    return result


def _logit_derivative(u: FloatArray, bounds: Bounds) -> FloatArray:
    low, high = bounds
    a = (high - low) / ((high - 1) * (1 - low))
    eau = np.exp(a * u)
    denominator = high - 1 + (1 - low) * eau
    result: FloatArray = (
        high * (1 - low) * eau * a / denominator
        - ((low * (high - 1) + high * (1 - low) * eau) * ((1 - low) * eau * a)) / denominator**2
    )
    return result


FUNCTIONS: dict[str, tuple[Function, Function]] = {
    "linear": (_linear, _linear_derivative),
    "raking": (_raking, _raking_derivative),
    "logit": (_logit, _logit_derivative),
}

#: R's grake rescales the weights when every population total exceeds 20 times the sample's.
RESCALE_THRESHOLD = 20.0


def calibrate(
    design: Design,
    margins: Margins | None = None,
    totals: Mapping[str, float] | None = None,
    *,
    method: CalibrationMethod = "linear",
    bounds: tuple[float, float] | None = None,
    population_total: float | None = None,
    tolerance: float = 1e-10,
    max_iterations: int = 100,
) -> tuple[Design, RakeDiagnostics]:
    """Calibrate the weights to categorical margins and numeric totals, as R's ``calibrate()``.

    The calibration model has an intercept (the population total), the indicators of every
    category of each margin but the first (R's treatment contrasts) and each numeric column.

    Parameters
    ----------
    margins
        ``{variable: {category: target}}`` as for :func:`alliance.survey.rake`: proportions
        (summing to 1) or totals (summing to the population total).
    totals
        ``{numeric column: population total}``, e.g. ``{"enroll": 3811472}``.
    method
        ``"linear"`` (GREG), ``"raking"`` or ``"logit"``: R's ``cal.linear``, ``cal.raking`` and
        ``cal.logit``. Logit calibration needs finite ``bounds``.
    bounds
        ``(low, high)`` for the g-weights (new weight over design weight), as R's ``bounds``.
    population_total
        The intercept's target; by default the sum of the design weights.
    tolerance
        Stop when every constraint is within ``tolerance × (1 + |target|)`` (R's ``epsilon``).

    Returns
    -------
    The calibrated design, whose variances use the residuals on the model, and its diagnostics
    (``largest_gap`` is the largest relative misfit, R's convergence criterion). On a replicate
    weights design, as R's ``calibrate`` on a ``svyrep.design``, every replicate is calibrated to
    the same totals (same method and bounds, from a zero start) and SEs come from the calibrated
    replicates; a replicate that cannot meet the totals raises :class:`ConvergenceError`.
    """
    from alliance.survey.weighting import diagnose

    if design.calibration is not None:
        raise SurveyError("survey.already_calibrated")
    if method not in FUNCTIONS:
        raise ValueError(f"method must be linear, raking or logit, not {method!r}")
    low, high = bounds if bounds is not None else (-np.inf, np.inf)
    if method == "logit" and not (np.isfinite(low) and np.isfinite(high) and low < 1 < high):
        raise SurveyError("survey.logit_bounds")
    total = float(design.weights.sum()) if population_total is None else float(population_total)
    names, model, population = _model(design, margins or {}, totals or {}, total)
    g, iterations, misfits = _newton(
        model, design.weights, population, method, (low, high), tolerance, max_iterations
    )
    misfit = float(misfits.max())
    if not (misfits < tolerance).all():
        raise ConvergenceError(
            "survey.calibration_not_converged",
            iterations=iterations,
            gap=misfit,
            variable=names[int(np.argmax(misfits))],
        )
    weights = design.weights * g
    variables = ", ".join([*(margins or {}), *(totals or {})])
    step = f"calibrate({method}; {variables}; {iterations} iterations"
    step += f"; bounds {low:g}–{high:g})" if bounds is not None else ")"
    if design.replicates is not None:
        # R's calibrate on a svyrep.design: every replicate is calibrated to the same totals,
        # and SEs come from the calibrated replicates, so no model is kept for the variance.
        replicates = _calibrate_replicates(
            design.replicates,
            model,
            population,
            names,
            method,
            (low, high),
            tolerance,
            max_iterations,
        )
        calibrated = replace(design.with_weights(weights, step=step), replicates=replicates)
        return calibrated, diagnose(calibrated, iterations=iterations, largest_gap=misfit)
    calibration = Regression(model=model, design_weights=design.weights, weights=weights)
    calibrated = design.with_weights(weights, step=step, calibration=calibration)
    return calibrated, diagnose(calibrated, iterations=iterations, largest_gap=misfit)


def _calibrate_replicates(
    replicates: Replicates,
    model: ModelMatrix,
    population: FloatArray,
    names: list[str],
    method: str,
    bounds: Bounds,
    tolerance: float,
    max_iterations: int,
) -> Replicates:
    """Calibrate each replicate's weights to the same population totals, as R does.

    R's ``calibrate.svyrep.design`` runs ``grake`` on each replicate from a zero start, with the
    replicate's weights as design weights; a replicate that misses its totals would give SEs
    from weights that do not reproduce the population, so it is refused here (R only warns).
    """
    columns = np.empty_like(replicates.weights)
    for r in range(replicates.count):
        base = replicates.weights[:, r]
        g, iterations, misfits = _newton(
            model, base, population, method, bounds, tolerance, max_iterations
        )
        if not (misfits < tolerance).all():
            raise ConvergenceError(
                "survey.calibration_not_converged",
                iterations=iterations,
                gap=float(misfits.max()),
                variable=names[int(np.argmax(misfits))],
            )
        columns[:, r] = base * g
    return replicates.with_weights(columns)


def _model(
    design: Design, margins: Margins, totals: Mapping[str, float], total: float
) -> tuple[list[str], ModelMatrix, FloatArray]:
    """Build the model, its columns' names (R's: ``stypeH``) and their population totals.

    The columns are the intercept, each margin's category indicators but the first's, and the
    numeric columns; they are kept per weighting cell when they can be (:func:`build`).
    """
    from alliance.survey.weighting import _margin_coding, _targets

    names, population = ["(Intercept)"], [total]
    terms: list[Factor | FloatArray] = []
    for variable, wanted in margins.items():
        coding = _margin_coding(design, variable)
        terms.append(Factor(coding.codes, len(coding.levels), range(1, len(coding.levels))))
        targets = _targets(variable, coding.levels, wanted, total)
        names += [f"{variable}{level}" for level in coding.levels[1:]]
        population += [float(target) for target in targets[1:]]
    for variable, target in totals.items():
        column = design.series(variable)
        if not column.dtype.is_numeric():
            raise MarginError(
                "survey.margin_invalid", variable=variable, problem="not a numeric column"
            )
        values = column.cast(pl.Float64).to_numpy().astype(np.float64)  # a null becomes NaN
        missing = np.isnan(values)
        if missing.any():
            raise MarginError(
                "survey.margin_value_missing",
                Location(row=int(np.argmax(missing)) + 1, field=variable),
                variable=variable,
            )
        names.append(variable)
        terms.append(values)
        population.append(float(target))
    return names, build(len(design), terms), np.array(population)


def _newton(
    model: ModelMatrix,
    weights: FloatArray,
    population: FloatArray,
    method: str,
    bounds: Bounds,
    tolerance: float,
    max_iterations: int,
) -> tuple[FloatArray, int, FloatArray]:
    """R's ``grake``: the g-weights, the iterations used and each constraint's relative misfit.

    Every row of a cell gets the same g-weight, and the equations only need the weights' sums
    per cell: when the whole model is per cell, Newton runs on the cells' totals.
    """
    if model.collapsed is not None:
        g, iterations, misfits = _newton(
            model.collapsed,
            model.cell_sums(weights),
            population,
            method,
            bounds,
            tolerance,
            max_iterations,
        )
        return g[model.cells], iterations, misfits
    function, derivative = FUNCTIONS[method]
    sample_total = model.transposed_times(weights)
    scales = population / np.where(sample_total == 0, np.nan, sample_total)
    scale = float(np.mean(scales)) if np.nanmin(scales) > RESCALE_THRESHOLD else 1.0
    weights, sample_total = weights * scale, sample_total * scale
    eta = np.zeros(model.width)
    xeta = model.times(eta)
    iteration = 1
    cutoff = 256 * np.finfo(np.float64).eps

    def misfit_of(xeta: FloatArray) -> FloatArray:
        adjusted = model.transposed_times(weights * function(xeta, bounds))
        misfit: FloatArray = population - sample_total - adjusted
        return misfit

    while True:
        gram = model.gram(weights * derivative(xeta, bounds))
        step = np.linalg.pinv(gram, rcond=cutoff) @ misfit_of(xeta)
        eta = eta + step
        xeta = model.times(eta)
        g, slope = 1 + function(xeta, bounds), derivative(xeta, bounds)
        while iteration < max_iterations and not (
            np.isfinite(g).all() and np.isfinite(slope).all()
        ):
            iteration += 1
            step = step / 2
            eta = eta - step
            xeta = model.times(eta)
            g, slope = 1 + function(xeta, bounds), derivative(xeta, bounds)
        relative = np.abs(misfit_of(xeta)) / (1 + np.abs(population))
        if (relative < tolerance).all() or iteration + 1 > max_iterations:
            return g * scale, iteration, relative
        iteration += 1
