"""Quantiles with their intervals, as R's ``svyquantile(…, ci = TRUE)`` (survey 4.1's defaults).

The estimate follows ``qrule = "math"``: the first value (in increasing order) whose cumulative
share of the weight reaches ``p``. R finds the last row whose cumulative weight is at most
``p · Σw`` and keeps its value when its share equals ``p`` exactly, in R's arithmetic, the next
row's otherwise; when no row qualifies (``p`` below the first row's share), it starts from the
first row and so returns the *second* value. The same steps are taken here.

The interval is Woodruff's, R's ``interval.type = "mean"``: the share of the weight at or below
the estimate, ``p̂``, is a mean with a design-based SE; its t interval, on the design's degrees of
freedom, is mapped back through the weighted distribution function with the same rule. A bound
whose share falls outside [0, 1] is NaN, as in R, and so is then the SE, which is the interval's
width over ``2 t``. The SE of ``p̂`` is a mean's, so it is calibration-aware like every other.

R sums weights in extended precision (``cumsum``, ``sum``); the same sums are done here with
NumPy's ``longdouble``, so a share that falls exactly on ``p`` is recognised as R recognises it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from alliance.survey.columns import FloatArray, IntArray
from alliance.survey.design import By, Design
from alliance.survey.distributions import t_quantile
from alliance.survey.estimate import (
    Estimate,
    domain_degrees_of_freedom,
    linearise,
    numeric,
    variances_of,
)

__all__ = ["quantile"]


def quantile(
    design: Design,
    variable: str,
    probabilities: Iterable[float],
    *,
    by: By = None,
    level: float = 0.95,
) -> list[Estimate]:
    """Estimate quantiles of a numeric variable with Woodruff intervals at ``level``.

    Returns one :class:`Estimate` per domain and probability (domains first, then probabilities
    in the order given); each has its ``probability`` and its ``interval``.

    Examples
    --------
    >>> import polars as pl
    >>> frame = pl.DataFrame({"y": [float(v) for v in range(1, 11)]})
    >>> [(e.probability, e.estimate) for e in quantile(Design.from_frame(frame), "y", [0.5, 0.9])]
    [(0.5, 5.0), (0.9, 9.0)]
    """
    wanted = [float(p) for p in probabilities]
    if not wanted or any(not 0 <= p <= 1 for p in wanted):
        raise ValueError(f"probabilities must lie in [0, 1]: {wanted}")
    y, answered = design.remember(("numeric", variable), lambda: numeric(design, variable))
    domains = design.domains(answered, by)
    _, by_coding = design.domain_coding(by)
    member = np.where(answered & (by_coding.codes >= 0), by_coding.codes, -1)
    rules = _rules(design, variable, y, answered, member, domains.size)
    if design.replicates is None:
        degrees = domain_degrees_of_freedom(design, domains)
    else:
        degrees = design.replicates.degrees_of_freedom(domains)
    critical = np.array([t_quantile(1 - (1 - level) / 2, df) for df in degrees])
    rows_in_design = len(design)
    results: dict[tuple[int, int], Estimate] = {}
    for k, p in enumerate(wanted):
        estimates = np.array([rule.quantile(p) for rule in rules])
        below = np.zeros(len(design))
        inside = member >= 0
        below[inside] = (y[inside] <= estimates[member[inside]]).astype(np.float64)
        shares = linearise(design, variable, below, domains, binary=True, influence=False)
        if design.replicates is None:
            variances = variances_of(design, shares)
        else:  # R's woodruffCI: the replicate variance of the share at or below
            ones = np.ones(len(design))
            variances = design.replicates.variance(design.replicates.ratios(below, ones, domains))
        ses = np.sqrt(variances)
        for d, rule in enumerate(rules):
            n = int(domains.n[d])
            low_share = shares.values[d] - critical[d] * ses[d]
            high_share = shares.values[d] + critical[d] * ses[d]
            low = rule.quantile(low_share) if low_share >= 0 else float("nan")
            high = rule.quantile(high_share) if high_share <= 1 else float("nan")
            results[d, k] = Estimate(
                variable=variable,
                statistic="quantile",
                estimate=float(estimates[d]),
                se=float((high - low) / (2 * critical[d])),
                n=n,
                deff=float("nan"),
                df=int(degrees[d]),
                rows_in_design=rows_in_design,
                by=domains.by,
                group=domains.levels[d],
                weight_sum=rule.total if n else float("nan"),
                probability=p,
                interval=(low, high),
                interval_level=level,
            )
    return [results[d, k] for d in range(domains.size) for k in range(len(wanted))]


def _rules(
    design: Design,
    variable: str,
    y: FloatArray,
    answered: NDArray[np.bool_],
    member: IntArray,
    size: int,
) -> list[_Rule]:
    """Each domain's :class:`_Rule`, from one sort of the answers shared by every domain.

    The answers of non-zero weight (R drops zero weights before ranking) are sorted once per
    variable, stably, and kept for the next call (overall, then by domain); each domain's rows
    are then picked from that order stably, which is the order a stable sort of the domain's
    own answers gives: ties stay in row order. Each domain's rows in row order (for its total)
    come from a stable sort of the small domain codes.
    """
    weights = design.weights

    def sort_answers() -> IntArray:
        rows = np.flatnonzero(answered & (weights != 0))
        ordered: IntArray = rows[np.argsort(y[rows], kind="stable")]
        return ordered

    ordered = design.remember(("sorted", variable), sort_answers)
    # NumPy sorts 16-bit integers stably by radix: far faster than 64-bit codes.
    small = np.int16 if size < np.iinfo(np.int16).max else np.intp
    in_order = ordered[member[ordered] >= 0]
    by_value = in_order[np.argsort(member[in_order].astype(small), kind="stable")]
    rows = np.flatnonzero((member >= 0) & (weights != 0))
    by_row = rows[np.argsort(member[rows].astype(small), kind="stable")]
    bounds = np.concatenate([[0], np.cumsum(np.bincount(member[rows], minlength=size))])
    return [
        _Rule(y, weights, by_value[bounds[d] : bounds[d + 1]], by_row[bounds[d] : bounds[d + 1]])
        for d in range(size)
    ]


class _Rule:
    """R's ``qrule_math`` on one domain: its values sorted, with their cumulative weights.

    ``by_value`` are the domain's rows of non-zero weight sorted by value (ties in row order),
    ``by_row`` the same rows in row order, whose weights' sum is the total, as R adds them.
    """

    def __init__(
        self, y: FloatArray, weights: FloatArray, by_value: IntArray, by_row: IntArray
    ) -> None:
        self.values = y[by_value]
        self.cumulative = np.cumsum(weights[by_value], dtype=np.longdouble).astype(np.float64)
        w = weights[by_row]
        self.total = (
            float(np.cumsum(w, dtype=np.longdouble)[-1].astype(np.float64)) if len(w) else 0.0
        )

    def quantile(self, p: float) -> float:
        """Return the ``p`` quantile: NaN for an empty domain or a NaN probability."""
        count = len(self.values)
        if count == 0 or np.isnan(p):
            return float("nan")
        position = int(np.searchsorted(self.cumulative, p * self.total, side="right")) - 1
        position = max(position, 0)  # R's last() gives the first row when none qualifies
        following = position if position == count - 1 else position + 1
        exact = p - self.cumulative[position] / self.total == 0
        return float(self.values[position] if exact else self.values[following])
