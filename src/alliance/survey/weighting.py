"""Weighting to quotas: raking (iterative proportional fitting) to marginal targets.

The sample is reduced to its weighting cells first (one cell per combination of the margin
variables), so each iteration costs the number of cells, not the number of respondents. The raked
design keeps its margins so that standard errors account for the calibration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from alliance.errors import ConvergenceError, Location, MarginError, SurveyError
from alliance.survey.calibration import Raking
from alliance.survey.columns import Coding, FloatArray, IntArray
from alliance.survey.design import Design
from alliance.survey.stages import _dense_unique

__all__ = ["Margins", "RakeDiagnostics", "diagnose", "margin_gap", "rake", "trim"]

#: Targets per variable: {category: proportion or population total}.
Margins = Mapping[str, Mapping[Any, float]]


@dataclass(frozen=True)
class RakeDiagnostics:
    """What raking did, for the methods appendix and for the analyst's checks."""

    iterations: int
    largest_gap: float
    efficiency: float
    effective_n: float
    min_weight: float
    max_weight: float

    @property
    def weight_ratio(self) -> float:
        """Largest weight over smallest weight."""
        return self.max_weight / self.min_weight


def _targets(
    variable: str, levels: list[Any], wanted: Mapping[Any, float], total: float
) -> FloatArray:
    """Match targets to the sample's categories and turn proportions into totals."""
    by_text = {str(key): float(value) for key, value in wanted.items()}
    present = {str(level) for level in levels}
    for key in by_text:
        if key not in present:
            raise MarginError("survey.margin_category_absent", variable=variable, category=key)
    for level in levels:
        if str(level) not in by_text:
            raise MarginError(
                "survey.margin_category_untargeted", variable=variable, category=str(level)
            )
    values = np.array([by_text[str(level)] for level in levels])
    if (values < 0).any():
        negative = int(np.argmax(values < 0))
        raise MarginError(
            "survey.margin_negative",
            variable=variable,
            category=str(levels[negative]),
            value=float(values[negative]),
        )
    share_sum = values.sum()
    if abs(share_sum - 1) < 1e-6:
        return values * total
    if abs(share_sum - total) > 1e-6 * total:
        raise MarginError("survey.margin_sum", variable=variable, found=share_sum, total=total)
    return values


def rake(
    design: Design,
    margins: Margins,
    *,
    population_total: float | None = None,
    tolerance: float = 1e-10,
    max_iterations: int = 1000,
    bounds: tuple[float, float] | None = None,
) -> tuple[Design, RakeDiagnostics]:
    """Rake the design's weights to marginal targets.

    Parameters
    ----------
    margins
        ``{variable: {category: target}}``; targets are proportions (summing to 1) or population
        totals (summing to the population total).
    population_total
        Total the proportions refer to; by default the sum of the design's weights.
    tolerance
        Stop when every margin is within ``tolerance × population_total`` of its target.
    bounds
        ``(low, high)``: keep each raked weight between ``low`` and ``high`` times its design
        weight scaled to the population total (bounded raking: the adjustment is clipped after
        every sweep over the margins).

    Raises
    ------
    MarginError
        A target category absent from the sample, or a sample category without a target.
    ConvergenceError
        Targets not reached within ``max_iterations`` (or not reachable within ``bounds``).
    """
    total = float(design.weights.sum()) if population_total is None else float(population_total)
    names = list(margins)
    design.codings(names)  # coded together, on Polars' threads, then checked one by one
    codings = [_margin_coding(design, name) for name in names]
    targets = [
        _targets(name, c.levels, margins[name], total)
        for name, c in zip(names, codings, strict=True)
    ]

    # Sufficient statistics: weighting cells and the base weight in each.
    sizes = [len(c.levels) for c in codings]
    cell_of_row = np.ravel_multi_index(tuple(c.codes for c in codings), sizes)
    cells, row_cell = _dense_unique(cell_of_row.astype(np.int64))
    cell_codes = tuple(np.asarray(codes, dtype=np.intp) for codes in np.unravel_index(cells, sizes))
    base = np.bincount(row_cell, weights=design.weights, minlength=len(cells))
    scale = total / base.sum()  # bounds apply to the adjustment once scaled to the total
    low, high = (bounds[0] * scale, bounds[1] * scale) if bounds is not None else (0.0, np.inf)
    factor = np.full(len(cells), scale)

    gap, where = np.inf, (0, 0)
    iteration = 0
    while iteration < max_iterations:
        iteration += 1
        for m in range(len(names)):
            current = np.bincount(cell_codes[m], weights=base * factor, minlength=sizes[m])
            factor *= (targets[m] / current)[cell_codes[m]]
        np.clip(factor, low, high, out=factor)
        gap, where = _largest_gap(base * factor, cell_codes, targets, sizes)
        if gap <= tolerance * total:
            break
    else:
        # With bounds, the usual cause is that the targets cannot be met inside them: say so.
        details: dict[str, Any] = {
            "iterations": max_iterations,
            "gap": gap,
            "variable": names[where[0]],
            "category": str(codings[where[0]].levels[where[1]]),
        }
        if bounds is not None:
            low_bound, high_bound = bounds
            raise ConvergenceError(
                "survey.rake_bounds_infeasible", low=low_bound, high=high_bound, **details
            )
        raise ConvergenceError("survey.rake_not_converged", **details)

    weights = design.weights * factor[row_cell]
    step = f"rake({', '.join(names)}; {iteration} iterations"
    step += f"; bounds {bounds[0]:g}–{bounds[1]:g})" if bounds is not None else ")"
    if design.replicates is not None:  # R's rake on a svyrep.design: every replicate is raked
        if bounds is not None:
            # Bounded raking is this project's, not R's rake: no replicate reference to follow.
            raise SurveyError("survey.replicates_bounded_rake")
        from alliance.survey.replicates import rake_replicates  # SciPy's sparse arrays: only here

        replicates = rake_replicates(
            design.replicates,
            row_cell.astype(np.intp),
            cell_codes,
            sizes,
            targets,
            iteration,
            tolerance,
        )
        raked = replace(design.with_weights(weights, step=step), replicates=replicates)
        return raked, diagnose(raked, iterations=iteration, largest_gap=gap / total)
    calibration = Raking(cells=row_cell.astype(np.intp), margins=cell_codes, weights=weights)
    raked = design.with_weights(weights, step=step, calibration=calibration)
    return raked, diagnose(raked, iterations=iteration, largest_gap=gap / total)


def _margin_coding(design: Design, name: str) -> Coding:
    result = design.coding(name)
    missing = result.codes < 0
    if missing.any():
        raise MarginError(
            "survey.margin_value_missing",
            Location(row=int(np.argmax(missing)) + 1, field=name),
            variable=name,
        )
    return result


def _largest_gap(
    cell_weights: FloatArray,
    cell_codes: tuple[IntArray, ...],
    targets: list[FloatArray],
    sizes: list[int],
) -> tuple[float, tuple[int, int]]:
    gap, where = 0.0, (0, 0)
    for m, codes in enumerate(cell_codes):
        errors = np.abs(np.bincount(codes, weights=cell_weights, minlength=sizes[m]) - targets[m])
        if errors.max() > gap:
            gap, where = float(errors.max()), (m, int(errors.argmax()))
    return gap, where


def diagnose(design: Design, *, iterations: int = 0, largest_gap: float = 0.0) -> RakeDiagnostics:
    """Kish's effective sample size and weighting efficiency, with the weights' range."""
    weights = design.weights
    positive = weights if weights.min() > 0 else weights[weights > 0]  # no copy when all are
    effective_n = float(weights.sum() ** 2 / (weights**2).sum())
    return RakeDiagnostics(
        iterations=iterations,
        largest_gap=largest_gap,
        efficiency=effective_n / len(weights),
        effective_n=effective_n,
        min_weight=float(positive.min()),
        max_weight=float(positive.max()),
    )


def margin_gap(design: Design, margins: Margins, *, population_total: float | None = None) -> float:
    """Largest gap between a weighted margin and its target, as a share of the population total.

    Useful after trimming, which moves the weights away from the margins raking reached.
    """
    total = float(design.weights.sum()) if population_total is None else float(population_total)
    gap = 0.0
    for name, wanted in margins.items():
        variable = _margin_coding(design, name)
        targets = _targets(name, variable.levels, wanted, total)
        reached = np.bincount(variable.codes, weights=design.weights, minlength=len(targets))
        gap = max(gap, float(np.abs(reached - targets).max()))
    return gap / total


def trim(
    design: Design,
    *,
    lower: float | None = None,
    upper: float | None = None,
    relative: bool = True,
    strict: bool = False,
) -> Design:
    """Trim weights to bounds and share the excess among the others, as R's ``trimWeights``.

    Weights above ``upper`` (below ``lower``) are set to it; the total weight cut (or added) is
    spread equally over the weights that were inside the bounds, so the sum of weights is kept.
    With ``relative`` (default) the bounds are multiples of the mean weight (pollsters' « poids
    entre 0,2 et 5 »). With ``strict``, trimming is repeated until no weight is outside.
    A raked design keeps its margins for the variance, as in R, though they are then met only
    approximately: rake again after trimming, or rake with ``bounds``, when they must be exact.

    Examples
    --------
    >>> import polars as pl
    >>> frame = pl.DataFrame({"w": [1.0, 1.0, 1.0, 9.0]})
    >>> trim(Design.from_frame(frame, weights="w"), upper=2.0).weights.tolist()
    [2.0, 2.0, 2.0, 6.0]
    """
    if design.replicates is not None:
        raise SurveyError("survey.replicates_unsupported", operation="trim")
    mean_weight = float(design.weights.mean())
    scale = mean_weight if relative else 1.0
    low = -np.inf if lower is None else lower * scale
    high = np.inf if upper is None else upper * scale
    if not low <= mean_weight <= high:
        # The excess is shared among the weights inside the bounds: impossible when the bounds
        # leave out the mean weight (R's trimWeights only warns, and its weights lose their sum).
        raise SurveyError("survey.trim_infeasible", low=low, high=high, mean=mean_weight)
    weights = design.weights.copy()
    while True:
        outside = (weights < low) | (weights > high)
        if not outside.any():
            break
        trimmed = np.clip(weights, low, high)
        if outside.all():  # every weight at a bound: nothing left to carry the excess
            raise SurveyError("survey.trim_infeasible", low=low, high=high, mean=mean_weight)
        trimmed[~outside] += (weights - trimmed).sum() / (~outside).sum()
        weights = trimmed
        if not strict:
            break
    bounds = f"{lower if lower is not None else '-'}–{upper if upper is not None else '-'}"
    unit = " × mean" if relative else ""
    return design.with_weights(weights, step=f"trim({bounds}{unit})")
