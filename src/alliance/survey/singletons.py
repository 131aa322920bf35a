"""Variances when every row is its own PSU, without a table of a million PSUs × domains.

Most pollsters' files have strata (or none) and no clusters: each respondent is a PSU. The general
variance (:meth:`alliance.survey.Design.variance_of_sums`) then works on influence totals per PSU
and domain, million-row tables that cost more to build and reduce than the estimate itself. Here
the same variance is computed from a few sums per *group* of rows instead.

A group is a stratum × weighting cell × domain slot (× answer, for a share): within a group, a
row's influence in domain ``d`` is its weight times a constant, ``z_i = w_i α_g``, for a share
(``α = [slot = d] (y - R_d) / W_d - P_cd``, ``P`` the raking's correction per cell), or a linear
function of ``w_i`` and ``w_i y_i`` for a mean. The stratum's sum of squared deviations splits
into within-group and between-group parts::

    Σ_{i∈h} (z_i - z̄_h)² = Σ_{g∈h} [ Σ_{i∈g} (z_i - z̄_g)²  +  N_g (z̄_g - z̄_h)² ]

and the within part is ``α_g² Σ_{i∈g} (w_i - w̄_g)²``: centred sums of the weights, computed once
in two passes, so no digits are lost to cancellation. For a mean, the within part is a quadratic
form in the centred (co)variances of ``w`` and ``w y``; where it loses digits (``y`` almost
constant within every group) the general path is used instead. The results equal the general
path's to rounding (about 1e-15 relative), as R's ``svyrecvar`` on the same design.

The fast path applies to one-stage designs whose PSUs are single rows, without a lonely stratum,
uncalibrated or raked (not after trimming, whose weights differ from the raking's, nor after
:func:`alliance.survey.calibrate`, whose model may have numeric columns): :func:`applies` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from alliance.survey.calibration import Raking
from alliance.survey.columns import FloatArray, IntArray
from alliance.survey.stages import CERTAINTY

if TYPE_CHECKING:
    from alliance.survey.design import Design
    from alliance.survey.domains import Domains

__all__ = ["RatioSums", "applies", "degrees_of_freedom", "ratio"]

#: For a mean, the within-group part must keep this share of its terms' size, or the general
#: path is used: then it is exact to better than 1e-12 relative.
CANCELLATION_LIMIT = 1e-3

#: Rows summed one after the other before blocks are added up (see :func:`_chunked_bincount`).
BLOCK = 1 << 14

#: Groups (strata × cells × slots × answers) beyond this many rows' worth: the general path.
MAX_GROUPS_PER_ROW = 1.0


def applies(design: Design) -> bool:
    """Whether the design's variances can be computed here (see the module's docstring)."""
    if design.replicates is not None or design.stages or design.unit_psu is not None:
        return False
    if design.n_psu != len(design) or len(design) == 0:
        return False
    calibration = design.calibration
    if calibration is not None and not (
        isinstance(calibration, Raking) and calibration.weights is design.weights
    ):
        return False
    counts = design.psu_counts()
    lonely = (counts == 1) & (1 - design.fpc >= CERTAINTY)
    return not lonely.any()


def _strata_factors(design: Design) -> tuple[FloatArray, FloatArray]:
    """Rows per stratum and each stratum's factor ``(1 - f) n / (n - 1)`` (0: fully sampled)."""
    counts = design.psu_counts().astype(np.float64)
    share = 1 - design.fpc
    factor = np.where(counts > 1, counts / np.maximum(counts - 1, 1), 1.0) * share
    factor[share < CERTAINTY] = 0.0
    return counts, factor


def _chunked_bincount(key: IntArray, weights: FloatArray | None, size: int) -> FloatArray:
    """``bincount`` by blocks of rows, the blocks' sums added up last.

    A plain weighted ``bincount`` adds a million values one after the other; summing blocks of
    at most :data:`BLOCK` rows first keeps the rounding near that of NumPy's pairwise sums,
    which the general path's totals get (they are column sums of the PSU table).
    """
    if len(key) <= BLOCK:
        return np.asarray(np.bincount(key, weights=weights, minlength=size), dtype=np.float64)
    parts = [
        np.bincount(
            key[start : start + BLOCK],
            weights=None if weights is None else weights[start : start + BLOCK],
            minlength=size,
        )
        for start in range(0, len(key), BLOCK)
    ]
    return np.asarray(np.sum(parts, axis=0), dtype=np.float64)


def degrees_of_freedom(design: Design, domains: Domains) -> IntArray:
    """R's ``degf`` per domain: its rows of non-zero weight minus the strata they are in."""
    width = domains.size + 1
    key = design.strata * width + domains.slots
    counted = None if not design.has_zero_weights else (design.weights != 0).astype(np.float64)
    per_stratum = np.bincount(key, weights=counted, minlength=len(design.fpc) * width)
    table = per_stratum.reshape(len(design.fpc), width)[:, :-1]
    degrees: IntArray = (table.sum(axis=0) - (table > 0).sum(axis=0)).astype(np.intp)
    return degrees


@dataclass(frozen=True)
class RatioSums:
    """Per domain: the sums of ``w y``, ``w`` and ``w y²``, and the ratio's variance."""

    numerator: FloatArray
    weight_sum: FloatArray
    square_sums: FloatArray
    variances: FloatArray | None


def ratio(design: Design, y: FloatArray, domains: Domains, *, binary: bool) -> RatioSums | None:
    """Return the sums and variance of ``Σ w y / Σ w`` in each domain (None: general path).

    ``binary`` says ``y`` is 0 or 1 (a share): the groups then split by answer, and the
    within-group part is exact. ``variances`` is None when, for a mean, the within-group part
    lost digits to cancellation (the general path computes them then).
    """
    width = domains.size + 1
    calibration = design.calibration
    raking = calibration if isinstance(calibration, Raking) else None
    n_cells = 1 if raking is None or domains.cell_slots is None else raking.n_cells
    n_strata = len(design.fpc)
    answers = 2 if binary else 1
    size = n_strata * n_cells * width * answers
    if size > MAX_GROUPS_PER_ROW * len(design) + 1024:
        return None
    key = design.strata * (n_cells * width) + domains.slots
    if n_cells > 1 and raking is not None:
        key = key + raking.cells * width
    if binary:
        key = key * 2 + (y != 0)
    w = design.weights
    rows = np.bincount(key, minlength=size).astype(np.float64)
    groups = np.flatnonzero(rows)
    rows = rows[groups]
    compact = np.zeros(size, dtype=np.intp)
    compact[groups] = np.arange(len(groups))
    position = compact[key]
    count = len(groups)
    sum_w = _chunked_bincount(position, w, count)
    mean_w = sum_w / rows
    spread_w = _chunked_bincount(position, (w - mean_w[position]) ** 2, count)
    rest, answer = (groups // 2, groups % 2) if binary else (groups, np.zeros(count, dtype=np.intp))
    slot = rest % width
    cell = (rest // width) % n_cells
    stratum = rest // (width * n_cells)
    inside = slot[:, None] == np.arange(domains.size)[None, :]  # groups × domains
    empty = domains.n == 0
    weight_sum = np.where(empty, 1.0, np.sum(np.where(inside, sum_w[:, None], 0.0), axis=0))
    if binary:
        sum_wy = sum_w * answer
        numerator = np.sum(np.where(inside, sum_wy[:, None], 0.0), axis=0)
        square_sums = numerator
    else:
        wy = w * y
        sum_wy = _chunked_bincount(position, wy, count)
        numerator = np.sum(np.where(inside, sum_wy[:, None], 0.0), axis=0)
        sum_wyy = _chunked_bincount(position, wy * y, count)
        square_sums = np.sum(np.where(inside, sum_wyy[:, None], 0.0), axis=0)
    centre = np.where(empty, 0.0, numerator / weight_sum)
    correction: FloatArray | float = 0.0
    if n_cells > 1 and raking is not None and domains.cell_slots is not None:
        numerator_cell = raking.reduce_slots(y, domains.cell_slots, width)
        cell_influence = (numerator_cell - centre * _cell_rows(domains, raking)) / weight_sum
        correction = raking._projection(cell_influence)[0][cell]
    counts, factor = _strata_factors(design)
    if binary:
        alpha = np.where(inside, (answer[:, None] - centre) / weight_sum, 0.0) - correction
        within = alpha**2 * spread_w[:, None]
        group_means = alpha * mean_w[:, None]
        scale = within
    else:
        mean_wy = sum_wy / rows
        centred_wy = wy - mean_wy[position]
        spread_wy = _chunked_bincount(position, centred_wy**2, count)
        crossed = _chunked_bincount(position, (w - mean_w[position]) * centred_wy, count)
        gamma = np.where(inside, 1.0 / weight_sum, 0.0)
        beta = np.where(inside, -centre / weight_sum, 0.0) - correction
        within = (
            gamma**2 * spread_wy[:, None]
            + 2 * gamma * beta * crossed[:, None]
            + beta**2 * spread_w[:, None]
        )
        scale = gamma**2 * spread_wy[:, None] + beta**2 * spread_w[:, None]
        group_means = gamma * mean_wy[:, None] + beta * mean_w[:, None]
    totals = np.zeros((n_strata, domains.size))
    np.add.at(totals, stratum, group_means * rows[:, None])
    stratum_means = totals / np.maximum(counts, 1)[:, None]
    between = rows[:, None] * (group_means - stratum_means[stratum]) ** 2
    group_factor = factor[stratum][:, None]
    variances: FloatArray | None = np.sum(group_factor * (within + between), axis=0)
    if not binary:
        kept = np.sum(group_factor * within, axis=0)
        if (kept < CANCELLATION_LIMIT * np.sum(group_factor * scale, axis=0)).any():
            variances = None
    return RatioSums(numerator, weight_sum, square_sums, variances)


def _cell_rows(domains: Domains, calibration: Raking) -> FloatArray:
    """Rows per weighting cell and domain (the denominator's cell sums, kept per domains)."""
    width = domains.size + 1
    assert domains.cell_slots is not None
    counts = np.bincount(domains.cell_slots, minlength=calibration.n_cells * width)
    return np.asarray(counts.reshape(calibration.n_cells, width)[:, :-1], dtype=np.float64)
