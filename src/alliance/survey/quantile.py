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
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from alliance.survey.columns import FloatArray, IntArray
from alliance.survey.design import By, Design, Domains
from alliance.survey.distributions import t_quantile
from alliance.survey.estimate import (
    Estimate,
    domain_degrees_of_freedom,
    linearise,
    numeric,
    variances_of,
)

__all__ = ["quantile", "stable_order"]

#: Positions up to 2^24 rows share a 64-bit key with the value's leading 40 bits at least.
MAX_PACKED_BITS = 24


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
    shares_below = _SharesBelow(design, variable, domains)
    results: dict[tuple[int, int], Estimate] = {}
    for k, p in enumerate(wanted):
        estimates = np.array([rule.quantile(p) for rule in rules])
        # Rows outside every domain compare with NaN: never below.
        below = (y <= np.append(estimates, np.nan)[member]).astype(np.float64)
        shares, variances = shares_below(below)
        ses = np.sqrt(variances)
        for d, rule in enumerate(rules):
            n = int(domains.n[d])
            low_share = shares[d] - critical[d] * ses[d]
            high_share = shares[d] + critical[d] * ses[d]
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


class _SharesBelow:
    """The share of each domain's weight at or below its estimate, with its variance.

    The share is a mean of the 0/1 indicator (:func:`alliance.survey.estimate.linearise`); its
    denominator, the domain's weights per PSU, is the same for every probability, so it is
    summed once here. Designs whose PSUs are single rows keep ``linearise``'s direct variances,
    and replicate designs R's ``woodruffCI``: the replicate variance of the share.
    """

    def __init__(self, design: Design, variable: str, domains: Domains) -> None:
        self.design, self.variable, self.domains = design, variable, domains
        self.shared = design.replicates is None and not design.rows_are_psus
        if self.shared:
            self.weights_psu, self.weights_cell = design.sums(np.ones(len(design)), domains)
            self.empty = domains.n == 0
            self.weight_sum = np.where(self.empty, 1.0, self.weights_psu.sum(axis=0))

    def __call__(self, below: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Return each domain's share of weight with ``below`` = 1, and its variance."""
        design, domains = self.design, self.domains
        if design.replicates is not None:
            shares = linearise(design, self.variable, below, domains, binary=True, influence=False)
            ones = np.ones(len(design))
            thetas = design.replicates.ratios(below, ones, domains)
            return shares.values, design.replicates.variance(thetas)
        if not self.shared:
            shares = linearise(design, self.variable, below, domains, binary=True, influence=False)
            return shares.values, variances_of(design, shares)
        below_psu, below_cell = design.sums(below, domains)
        centre = np.where(self.empty, 0.0, below_psu.sum(axis=0) / self.weight_sum)
        influence = (below_psu - centre * self.weights_psu) / self.weight_sum
        cell_influence = None
        if below_cell is not None and self.weights_cell is not None:
            cell_influence = (below_cell - centre * self.weights_cell) / self.weight_sum
        variances = design.variance_of_sums(influence, cell_influence, domains=domains)
        return np.where(self.empty, np.nan, centre), variances


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
    variable, stably (:func:`stable_order`), and kept with their values and weights for the next
    call (overall, then by domain); each domain's rows are then picked from that order stably,
    which is the order a stable sort of the domain's own answers gives: ties stay in row order.
    Each domain's total weight is summed in row order, in extended precision, as R's ``sum``:
    one pass for all.
    """
    weights = design.weights

    def sort_answers() -> tuple[IntArray, FloatArray, FloatArray]:
        ordered = stable_order(y, np.flatnonzero(answered & (weights != 0)))
        return ordered, y[ordered], weights[ordered]

    ordered, values, sorted_weights = design.remember(("sorted", variable), sort_answers)
    if size > 1 or (answered & (member < 0)).any():  # else every answer is in the one domain
        domain = member[ordered]
        inside = np.flatnonzero(domain >= 0)
        # NumPy sorts 16-bit integers stably by radix: far faster than 64-bit codes.
        small = np.int16 if size < np.iinfo(np.int16).max else np.intp
        by_domain = inside[np.argsort(domain[inside].astype(small), kind="stable")]
        values, sorted_weights = values[by_domain], sorted_weights[by_domain]
    rows = np.flatnonzero((member >= 0) & (weights != 0))
    totals = np.zeros(size, dtype=np.longdouble)
    np.add.at(totals, member[rows], weights[rows].astype(np.longdouble))  # in row order
    bounds = np.concatenate([[0], np.cumsum(np.bincount(member[rows], minlength=size))])
    return [
        _Rule(
            values[bounds[d] : bounds[d + 1]],
            sorted_weights[bounds[d] : bounds[d + 1]],
            float(totals[d].astype(np.float64)),
        )
        for d in range(size)
    ]


def stable_order(y: FloatArray, rows: IntArray) -> IntArray:
    """Return ``rows`` sorted by ``y``, ties in row order, as a stable sort (R's ``order``).

    A stable sort of a million doubles costs 150 ms; this packs, in one 64-bit key, a value's
    leading bits (its order as an unsigned integer) and its position, and sorts the keys (SIMD,
    15 ms). Values that share their leading bits but differ below were ordered by position:
    those few runs are sorted again by value, then position.
    """
    n = len(rows)
    shift = max((n - 1).bit_length(), 1)
    if shift > MAX_PACKED_BITS:
        found: IntArray = rows[np.argsort(y[rows], kind="stable")]
        return found
    values = y[rows] + 0.0  # + 0.0: -0.0 ties with 0.0, as in a comparison
    bits = values.view(np.uint64)
    key = np.where(bits >> np.uint64(63), ~bits, bits | np.uint64(1 << 63))
    packed = (key >> np.uint64(shift) << np.uint64(shift)) | np.arange(n, dtype=np.uint64)
    packed.sort()
    order = (packed & np.uint64((1 << shift) - 1)).astype(np.intp)
    in_order = values[order]
    unordered = np.flatnonzero(in_order[1:] < in_order[:-1])
    if len(unordered):
        leading = packed >> np.uint64(shift)
        run = np.concatenate([[0], np.cumsum(leading[1:] != leading[:-1])])
        again = np.flatnonzero(np.isin(run, run[unordered]))
        moved = order[again]
        order[again] = moved[np.lexsort((moved, values[moved], run[again]))]
    sorted_rows: IntArray = rows[order]
    return sorted_rows


class _Rule:
    """R's ``qrule_math`` on one domain: its values sorted, with their cumulative weights.

    ``values`` and ``weights`` are the domain's answers of non-zero weight sorted by value (ties
    in row order); ``total`` is the sum of their weights in row order, as R adds them. R adds
    the cumulative weights in extended precision; a search among plain cumulative sums finds
    the same row unless ``p · total`` lies within their rounding error of a cumulative weight
    (an exact share, as with equal weights): the extended sums are then computed and used.
    """

    def __init__(self, values: FloatArray, weights: FloatArray, total: float) -> None:
        self.values = values
        self.weights = weights
        self.total = total
        self.cumulative = np.cumsum(weights)
        #: How far a plain cumulative sum may be from R's: (k + 2) units in the last place.
        self.margin = (len(weights) + 2) * np.finfo(np.float64).eps * total

    def quantile(self, p: float) -> float:
        """Return the ``p`` quantile: NaN for an empty domain or a NaN probability."""
        count = len(self.values)
        if count == 0 or np.isnan(p):
            return float("nan")
        target = p * self.total
        cumulative = self.cumulative
        position = int(np.searchsorted(cumulative, target, side="right")) - 1
        near = cumulative[[max(position, 0), min(position + 1, count - 1)]] - target
        if (np.abs(near) <= self.margin).any():
            cumulative = self.extended
            position = int(np.searchsorted(cumulative, target, side="right")) - 1
        position = max(position, 0)  # R's last() gives the first row when none qualifies
        following = position if position == count - 1 else position + 1
        exact = p - cumulative[position] / self.total == 0
        return float(self.values[position] if exact else self.values[following])

    @cached_property
    def extended(self) -> FloatArray:
        """The cumulative weights as R adds them, in extended precision."""
        return np.cumsum(self.weights, dtype=np.longdouble).astype(np.float64)
