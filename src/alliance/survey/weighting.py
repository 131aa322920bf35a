"""Weighting to quotas: raking (iterative proportional fitting) to marginal targets.

The sample is reduced to its weighting cells first (one cell per combination of the margin
variables), so each iteration costs the number of cells, not the number of respondents. The raked
design keeps its margins so that standard errors account for the calibration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from alliance.errors import ConvergenceError, Location, MarginError
from alliance.survey.design import Design, FloatArray, IntArray, encode

__all__ = ["Margins", "RakeDiagnostics", "rake"]

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
    variable: str, levels: np.ndarray, wanted: Mapping[Any, float], total: float
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
        raise MarginError("survey.margin_invalid", variable=variable, problem="negative target")
    share_sum = values.sum()
    if abs(share_sum - 1) < 1e-6:
        return values * total
    if abs(share_sum - total) > 1e-6 * total:
        raise MarginError(
            "survey.margin_invalid",
            variable=variable,
            problem=f"targets sum to {share_sum:g}, neither 1 nor the population total {total:g}",
        )
    return values


def rake(
    design: Design,
    margins: Margins,
    *,
    population_total: float | None = None,
    tolerance: float = 1e-10,
    max_iterations: int = 1000,
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

    Raises
    ------
    MarginError
        A target category absent from the sample, or a sample category without a target.
    ConvergenceError
        Targets not reached within ``max_iterations``.
    """
    total = float(design.weights.sum()) if population_total is None else float(population_total)
    names = list(margins)
    margin_codes: list[IntArray] = []
    margin_levels: list[np.ndarray] = []
    targets: list[FloatArray] = []
    for name in names:
        values = design.column(name)
        if values.dtype.kind == "f" and np.isnan(values).any():
            raise MarginError(
                "survey.margin_value_missing",
                Location(row=int(np.argmax(np.isnan(values))) + 1, field=name),
                variable=name,
            )
        levels, codes = encode(values.astype(str) if values.dtype.kind in "OUS" else values)
        margin_levels.append(levels)
        margin_codes.append(codes)
        targets.append(_targets(name, levels, margins[name], total))

    # Sufficient statistics: weighting cells and the base weight in each.
    sizes = [len(levels) for levels in margin_levels]
    cell_of_row = np.ravel_multi_index(tuple(margin_codes), sizes)
    cells, row_cell = np.unique(cell_of_row, return_inverse=True)
    cell_codes = np.unravel_index(cells, sizes)
    base = np.bincount(row_cell, weights=design.weights, minlength=len(cells))
    factor = np.ones(len(cells))

    gap, where = np.inf, (0, 0)
    iteration = 0
    while iteration < max_iterations:
        iteration += 1
        for m in range(len(names)):
            current = np.bincount(cell_codes[m], weights=base * factor, minlength=sizes[m])
            factor *= (targets[m] / current)[cell_codes[m]]
        gap, where = _largest_gap(base * factor, cell_codes, targets, sizes)
        if gap <= tolerance * total:
            break
    else:
        variable, level = names[where[0]], margin_levels[where[0]][where[1]]
        raise ConvergenceError(
            "survey.rake_not_converged",
            iterations=max_iterations,
            gap=gap,
            variable=variable,
            category=str(level),
        )

    weights = design.weights * factor[row_cell]
    described = ", ".join(names)
    raked = design.with_weights(
        weights, raking_margins=margin_codes, step=f"rake({described}; {iteration} iterations)"
    )
    return raked, _diagnostics(weights, iteration, gap / total)


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


def _diagnostics(weights: FloatArray, iterations: int, gap: float) -> RakeDiagnostics:
    """Kish's effective sample size and weighting efficiency, with the weights' range."""
    positive = weights[weights > 0]
    effective_n = float(weights.sum() ** 2 / (weights**2).sum())
    return RakeDiagnostics(
        iterations=iterations,
        largest_gap=gap,
        efficiency=effective_n / len(weights),
        effective_n=effective_n,
        min_weight=float(positive.min()),
        max_weight=float(positive.max()),
    )
