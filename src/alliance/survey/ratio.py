"""Ratios of two totals, as R's ``svyratio``: enrolment per school, spending per member.

``R = Σ w y / Σ w x`` over the rows where both are answered (a domain, as R's ``na.rm = TRUE``
makes it). Its influence values are ``w (y - R x) / Σ w x``; only their sums per PSU (and per
calibration statistic) are computed, so the variance is calibration-aware like every other.
The interval is normal, as ``confint()`` of a ``svyratio``.
"""

from __future__ import annotations

import numpy as np

from alliance.survey.columns import FloatArray
from alliance.survey.design import By, Design, Domains
from alliance.survey.estimate import Estimate, design_effect, numeric

__all__ = ["ratio"]


def ratio(design: Design, numerator: str, denominator: str, *, by: By = None) -> list[Estimate]:
    """Estimate ``Σ w · numerator / Σ w · denominator`` overall or in each domain of ``by``.

    Each :class:`Estimate` is named ``numerator/denominator``. Its ``deff`` compares the variance
    with that of a simple random sample with replacement of the same rows, R's
    ``deff = "replace"`` (``deff_srswor`` is R's ``deff = TRUE``), from the weighted variance of
    the residuals ``(y - R x) / Σ w x``. A domain without answers is empty (NaN).

    Examples
    --------
    >>> import polars as pl
    >>> frame = pl.DataFrame({"y": [1.0, 2.0, 3.0], "x": [2.0, 2.0, 4.0]})
    >>> [(e.variable, e.estimate) for e in ratio(Design.from_frame(frame), "y", "x")]
    [('y/x', 0.75)]
    """
    y, y_answered = design.remember(("numeric", numerator), lambda: numeric(design, numerator))
    x, x_answered = design.remember(("numeric", denominator), lambda: numeric(design, denominator))
    domains = design.domains(y_answered & x_answered, by)
    numerator_psu, numerator_cell = design.sums(y, domains)
    denominator_psu, denominator_cell = design.sums(x, domains)
    empty = domains.n == 0
    y_total, x_total = numerator_psu.sum(axis=0), denominator_psu.sum(axis=0)
    scale = np.where(empty | (x_total == 0), np.nan, x_total)
    estimate = np.where(empty, np.nan, y_total / scale)
    centre = np.nan_to_num(estimate)
    divisor = np.where(np.isnan(scale), 1.0, scale)
    cell_influence = None
    if numerator_cell is not None and denominator_cell is not None:
        cell_influence = (numerator_cell - centre * denominator_cell) / divisor
    if design.replicates is None:
        variances = design.variance_of_sums(
            (numerator_psu - centre * denominator_psu) / divisor, cell_influence, domains=domains
        )
        degrees = design.degrees_of_freedom(domains.counted_rows)
    else:
        variances = design.replicates.variance(design.replicates.ratios(y, x, domains))
        degrees = design.replicates.degrees_of_freedom(domains)
    weight_sums = design.sums(np.ones(len(design)), domains)[0].sum(axis=0)
    residuals = y - np.append(centre, 0.0)[domains.slots] * x  # one pass, not three sums
    squares = _domain_sums(design.weights * residuals * residuals, domains) / divisor**2
    n, counted = domains.n, domains.n_weighted  # R's svyvar counts rows of non-zero weight
    spread = squares / np.where(empty, 1.0, weight_sums) * counted / np.maximum(counted - 1, 1)
    deff = design_effect(variances, spread * weight_sums**2 / np.maximum(counted, 1))
    nan = float("nan")
    return [
        Estimate(
            variable=f"{numerator}/{denominator}",
            statistic="ratio",
            estimate=float(estimate[j]),
            se=float(np.sqrt(variances[j])) if n[j] else nan,
            n=int(n[j]),
            deff=float(deff[j]) if n[j] else nan,
            df=int(degrees[j]),
            rows_in_design=len(design),
            by=domains.by,
            group=group,
            weight_sum=float(weight_sums[j]) if n[j] else nan,
            weighted_n=int(counted[j]),
        )
        for j, group in enumerate(domains.levels)
    ]


def _domain_sums(values: FloatArray, domains: Domains) -> FloatArray:
    """Sum of ``values`` in each domain."""
    sums = np.bincount(domains.slots, weights=values, minlength=domains.size + 1)[:-1]
    return np.asarray(sums, dtype=np.float64)
