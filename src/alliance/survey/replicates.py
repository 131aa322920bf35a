"""Replicate weights: variances from re-weighted copies of the sample, as R's ``svrepdesign``.

Statistical offices often publish replicate weights instead of strata and PSUs (which would
identify respondents): jackknife (``jk1``, ``jkn``), balanced repeated replication (``brr``), Fay's
variant (``fay``) or the bootstrap. Each replicate is a full set of weights; a statistic is
computed once with the main weights and once with each replicate's, and its variance is::

    V = scale · Σ_r rscale_r · (θ_r - θ̄)²

with ``θ̄`` the mean of the replicates' estimates (R's default ``mse = FALSE``). ``scale`` and
``rscales`` depend on the type, with R's defaults (:func:`default_scales`).

Replicate weights are held as one n × R matrix of *analysis* weights (R's
``combined.weights = TRUE``: each column already includes the sampling weight). Every total a
statistic needs, in every domain and every replicate, is one sparse product of a (domains × n)
matrix of the row values with that matrix: no Python loop over replicates, so 80 replicates of a
million rows cost a few matrix products, not 80 passes.

:func:`build` makes replicate weights from a linearisation design, as R's ``as.svrepdesign``:
the delete-one-PSU jackknife (``jk1`` without strata, ``jkn`` with strata) and the bootstrap of
R's ``bootweights`` (``bootstrap``, seeded).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np
import polars as pl
from scipy import sparse

from alliance.errors import DesignError, Location
from alliance.survey.columns import FloatArray, IntArray, series

if TYPE_CHECKING:
    from alliance.survey.design import Design, Domains

__all__ = [
    "REPLICATE_TYPES",
    "ReplicateType",
    "Replicates",
    "build",
    "default_scales",
    "from_columns",
    "replicate_columns",
]

ReplicateType = Literal["jk1", "jkn", "brr", "fay", "bootstrap"]

#: The accepted types, in the order messages list them.
REPLICATE_TYPES: tuple[str, ...] = get_args(ReplicateType)

#: Bootstrap replicates when ``--to-replicates bootstrap`` gives no count (R's ``replicates=50``).
DEFAULT_BOOTSTRAPS = 50

#: Singular values below this share of the largest do not count in the rank (R's ``qr`` tol).
RANK_TOLERANCE = 1e-5


@dataclass(frozen=True, eq=False)
class Replicates:
    """Replicate analysis weights (n × R) and how to turn their estimates into a variance.

    ``rscales`` has one factor per replicate; ``scale`` multiplies them all. ``columns`` names
    the columns the weights came from (empty when :func:`build` made them).
    """

    weights: FloatArray
    type: ReplicateType
    scale: float
    rscales: FloatArray
    rho: float | None = None
    columns: tuple[str, ...] = ()
    #: PSUs × R: each PSU's factor in each replicate, when :func:`build` made the weights from a
    #: design (a row's replicate weights are then its weight times its PSU's factors); None
    #: for weights read from columns or raked afterwards.
    multipliers: FloatArray | None = field(default=None, repr=False)
    _ranks: dict[bytes, IntArray] = field(default_factory=dict, repr=False)

    @property
    def count(self) -> int:
        """Number of replicates (R)."""
        return int(self.weights.shape[1])

    def with_weights(self, weights: FloatArray) -> Replicates:
        """Return the same replicate scheme with new weights (after raking each replicate)."""
        return replace(self, weights=np.ascontiguousarray(weights), multipliers=None, _ranks={})

    def totals(self, values: FloatArray, domains: Domains) -> FloatArray:
        """Replicate totals of ``values`` in each domain: R × domains, one sparse product."""
        return self._totals([values], domains)[0]

    def _totals(self, values: list[FloatArray], domains: Domains) -> list[FloatArray]:
        """Replicate totals of several value columns at once: one pass over the weights.

        The (k · slots) × n matrix has k entries per row of the data (its own slot, for each
        column of values), so it is built column-compressed without sorting anything.
        """
        slots, width = domain_slots(domains)
        k, n = len(values), len(slots)
        indices = (slots[:, None] + width * np.arange(k)[None, :]).reshape(-1)
        data = np.column_stack(values).reshape(-1)
        pointers = np.arange(0, k * n + 1, k)
        matrix = sparse.csc_array((data, indices, pointers), shape=(k * width, n))
        product = np.asarray(matrix @ self.weights, dtype=np.float64)
        return [product[j * width : (j + 1) * width - 1].T for j in range(k)]

    def ratios(
        self, numerator: FloatArray, denominator: FloatArray, domains: Domains
    ) -> FloatArray:
        """Replicate ratios ``Σ w_r y / Σ w_r x`` in each domain (R × domains)."""
        top, bottom = self._totals([numerator, denominator], domains)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios: FloatArray = top / bottom
        return ratios

    def covariance(self, thetas: FloatArray) -> FloatArray:
        """``scale · Σ_r rscale_r (θ_r - θ̄)(θ_r - θ̄)ᵀ`` for replicate estimates ``θ`` (R × k).

        ``θ̄`` is the mean over the replicates of positive ``rscale`` (R's ``svrVar``).
        """
        thetas = np.asarray(thetas, dtype=np.float64).reshape(self.count, -1)
        centre = thetas[self.rscales > 0].mean(axis=0)
        deviations = (thetas - centre) * np.sqrt(self.rscales)[:, None]
        covariance: FloatArray = deviations.T @ deviations * self.scale
        return covariance

    def variance(self, thetas: FloatArray) -> FloatArray:
        """Return the variance of each column of replicate estimates ``θ`` (R × k)."""
        thetas = np.asarray(thetas, dtype=np.float64).reshape(self.count, -1)
        centre = thetas[self.rscales > 0].mean(axis=0)
        variances: FloatArray = self.scale * np.einsum(
            "rk,r->k", (thetas - centre) ** 2, self.rscales
        )
        return variances

    def degrees_of_freedom(self, domains: Domains) -> IntArray:
        """Rank of each domain's replicate weights minus one, R's ``degf`` of its subset.

        The rank is computed once per grouping of the rows (from each domain's R × R Gram
        matrix), then kept: every estimate on the same answers reuses it. When the weights were
        built from the design's PSUs (:attr:`multipliers`), the rows of a PSU are multiples of its
        factors, so a domain's rank is that of the factors of the PSUs it has rows of non-zero
        weight in: a few thousand PSUs × R instead of every row, and the same answer.
        """
        if self.multipliers is not None:
            present = np.asarray(domains.counted_rows > 0)
            key = b"psu" + np.packbits(present).tobytes() + repr(present.shape).encode()
            if key not in self._ranks:
                ranks = [
                    _rank(self.multipliers[present[:, d]]) if present[:, d].any() else 0
                    for d in range(domains.size)
                ]
                self._ranks[key] = np.asarray(ranks, dtype=np.intp) - 1
            return self._ranks[key]
        slots, width = domain_slots(domains)
        key = hashlib.blake2b(slots.tobytes(), digest_size=16).digest()
        if key not in self._ranks:
            self._ranks[key] = self._ranks_by_slot(slots, width)[:-1] - 1
        return self._ranks[key]

    def design_degrees_of_freedom(self) -> int:
        """Rank of all the replicate weights minus one: R's ``degf`` of the whole design."""
        slots = np.zeros(len(self.weights), dtype=np.intp)
        return int(self._ranks_by_slot(slots, 1)[0]) - 1

    def _ranks_by_slot(self, slots: IntArray, width: int) -> IntArray:
        order = np.argsort(slots, kind="stable")
        bounds = np.searchsorted(slots[order], np.arange(width + 1))
        ranks = np.zeros(width, dtype=np.intp)
        for slot in range(width):
            rows = order[bounds[slot] : bounds[slot + 1]]
            if len(rows):
                ranks[slot] = _rank(self.weights[rows])
        return ranks


def _rank(weights: FloatArray) -> int:
    """Numerical rank of a block of rows, from the eigenvalues of its Gram matrix.

    Rows of one PSU have proportional replicate weights, so the rows are first reduced to their
    distinct directions (found by two random projections of the rows scaled to unit length):
    the Gram matrix of a few thousand rows has the rank of a million's, at a fraction of the cost.
    """
    norms = np.sqrt(np.einsum("ij,ij->i", weights, weights))
    kept = norms > 0
    unit = weights[kept] / norms[kept, None]
    probe = np.random.default_rng(0).standard_normal((weights.shape[1], 2))
    _, first = np.unique(np.round(unit @ probe, 9), axis=0, return_index=True)
    distinct = unit[first]
    gram = distinct.T @ distinct
    eigenvalues = np.linalg.eigvalsh(gram)
    largest = float(eigenvalues.max()) if len(eigenvalues) else 0.0
    if largest <= 0:
        return 0
    return int((eigenvalues > largest * RANK_TOLERANCE**2).sum())


def domain_slots(domains: Domains) -> tuple[IntArray, int]:
    """Each row's domain (the last slot: outside every domain) and the number of slots."""
    width = domains.size + 1
    slots: IntArray = np.asarray(domains.psu_slots % width, dtype=np.intp)
    return slots, width


def default_scales(
    kind: ReplicateType,
    count: int,
    *,
    rho: float | None = None,
    scale: float | None = None,
    rscales: Sequence[float] | None = None,
) -> tuple[float, FloatArray]:
    """``scale`` and ``rscales`` as R's ``svrepdesign(combined.weights = TRUE)`` sets them.

    ``jk1``: (R-1)/R; ``brr``: 1/R; ``fay``: 1/(R (1-ρ)²); ``bootstrap``: 1/(R-1); each with
    rscales of 1 unless given. ``jkn`` needs its ``rscales`` ((n_h - 1)/n_h for the stratum of
    each replicate): R refuses combined JKn weights without them, and so does this.
    """
    if rscales is not None and len(rscales) not in (1, count):
        raise DesignError("survey.replicate_rscales_length", found=len(rscales), count=count)
    factors = (
        np.ones(count)
        if rscales is None
        else np.broadcast_to(np.asarray(rscales, dtype=np.float64), (count,)).copy()
    )
    if kind == "fay":
        if rho is None or not 0 <= rho < 1:
            raise DesignError("survey.replicate_rho", rho=str(rho))
        return 1 / (count * (1 - rho) ** 2), factors
    if kind == "brr":
        return 1 / count, factors
    if kind == "jkn" and rscales is None:
        raise DesignError("survey.replicate_jkn_rscales")
    if scale is not None:
        return float(scale), factors
    if kind == "jk1":
        return (count - 1) / count, factors
    if kind == "bootstrap":
        return 1 / (count - 1), factors
    return 1.0, factors


def replicate_columns(frame: pl.DataFrame, replicates: str | Sequence[str]) -> list[str]:
    """Return the replicate columns: those starting with a prefix (in file order), or a list."""
    if isinstance(replicates, str):
        names = [name for name in frame.columns if name.startswith(replicates)]
    else:
        names = list(replicates)
        for name in names:
            series(frame, name)  # an unknown column is reported as such
    if len(names) < 2:
        raise DesignError("survey.replicates_missing", prefix=str(replicates))
    return names


def from_columns(
    frame: pl.DataFrame,
    replicates: str | Sequence[str],
    kind: ReplicateType,
    *,
    rho: float | None = None,
    scale: float | None = None,
    rscales: Sequence[float] | None = None,
) -> Replicates:
    """Read replicate analysis weights from columns (a prefix or their names)."""
    if kind not in REPLICATE_TYPES:
        raise DesignError(
            "survey.replicate_type", value=str(kind), types=", ".join(REPLICATE_TYPES)
        )
    names = replicate_columns(frame, replicates)
    columns = []
    for name in names:
        values = series(frame, name)
        if not values.dtype.is_numeric():
            raise DesignError("survey.weight_invalid", Location(field=name), column=name)
        column = values.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(np.float64)
        bad = np.isnan(column) | (column < 0)
        if bad.any():
            row = int(np.argmax(bad))
            raise DesignError(
                "survey.weight_invalid", Location(row=row + 1, field=name), column=name
            )
        columns.append(column)
    weights = np.ascontiguousarray(np.column_stack(columns))
    factor, factors = default_scales(kind, weights.shape[1], rho=rho, scale=scale, rscales=rscales)
    return Replicates(
        weights, kind, factor, factors, rho=rho if kind == "fay" else None, columns=tuple(names)
    )


def build(
    design: Design,
    kind: Literal["jk1", "jkn", "bootstrap"],
    *,
    replicates: int = DEFAULT_BOOTSTRAPS,
    seed: int = 0,
) -> Replicates:
    """Replicate weights from a design's strata and PSUs (first stage), as ``as.svrepdesign``.

    - ``jk1`` (no strata): one replicate per PSU, that PSU weighted 0 and the others ``n/(n-1)``;
      scale ``(1 - f)(n-1)/n``.
    - ``jkn`` (strata): one replicate per PSU, the other PSUs of its stratum weighted
      ``n_h/(n_h-1)``; rscales ``(1 - f_h)(n_h-1)/n_h``, scale 1. Single-PSU strata follow the
      design's ``lonely_psu`` rule as R's ``jknweights`` (``remove``, ``certainty``: no
      replicate; ``average``: no replicate, scale × PSUs / replicates; ``adjust``: one replicate
      dropping the stratum, the others × H/(H-1)).
    - ``bootstrap``: as R's ``bootweights``: in each stratum, ``n_h`` PSUs drawn with
      replacement (with an fpc, drawn without replacement from the PSUs repeated to the
      stratum's population size), each weighted by the number of times it was drawn; scale
      ``m/((m-1)(R-1))``, ``m`` the harmonic mean of the PSUs per stratum. Random: ``seed``
      makes it reproducible (R's random numbers cannot be reproduced here).
    """
    n_psu, psu_stratum = design.n_psu, design.psu_stratum
    stratum_count = len(design.stratum_labels)
    sizes = np.bincount(psu_stratum, minlength=stratum_count).astype(np.float64)
    if kind == "jk1" and stratum_count > 1:
        raise DesignError("survey.to_replicates_jk1_strata")
    if kind == "bootstrap":
        multipliers = _bootstrap(psu_stratum, sizes, design.fpc, replicates, seed)
        per_stratum = float(1 / np.mean(1 / sizes[sizes > 0]))
        boot_scale = per_stratum / ((per_stratum - 1) * (replicates - 1))
        return _replicates(design, multipliers, kind, boot_scale, np.ones(replicates))
    keep = 1 - design.fpc  # 1 - f_h per stratum
    columns, rscales = [], []
    scale = 1.0
    lonely_strata = (sizes == 1) & (keep > 0)
    for psu in range(n_psu):
        h = psu_stratum[psu]
        if lonely_strata[h]:
            continue
        column = np.ones(n_psu)
        in_stratum = psu_stratum == h
        column[in_stratum] = sizes[h] / (sizes[h] - 1)
        column[psu] = 0.0
        columns.append(column)
        rscales.append(keep[h] * (sizes[h] - 1) / sizes[h])
    if lonely_strata.any():
        if design.lonely_psu == "adjust":
            for h in np.flatnonzero(lonely_strata):
                column = np.where(psu_stratum == h, 0.0, stratum_count / (stratum_count - 1))
                columns.append(column)
                rscales.append((stratum_count - 1) / stratum_count)
        elif design.lonely_psu == "average":
            scale = n_psu / len(columns)
    multipliers = np.column_stack(columns)
    factors = np.asarray(rscales, dtype=np.float64)
    if kind == "jk1":
        return _replicates(design, multipliers, kind, float(factors[0]), np.ones(len(factors)))
    return _replicates(design, multipliers, kind, scale, factors)


def _replicates(
    design: Design, multipliers: FloatArray, kind: ReplicateType, scale: float, rscales: FloatArray
) -> Replicates:
    """Analysis weights: each row's weight times its PSU's multiplier in each replicate."""
    weights = np.ascontiguousarray(design.weights[:, None] * multipliers[design.psu])
    return Replicates(weights, kind, scale, rscales, multipliers=multipliers)


def _bootstrap(
    psu_stratum: IntArray, sizes: FloatArray, fractions: FloatArray, replicates: int, seed: int
) -> FloatArray:
    """Count the draws of each PSU in each replicate (PSUs × R), stratum by stratum, as R."""
    if replicates < 2:
        raise DesignError("survey.to_replicates_count", count=replicates)
    generator = np.random.default_rng(seed)
    multipliers = np.zeros((len(psu_stratum), replicates))
    for h in range(len(sizes)):
        members = np.flatnonzero(psu_stratum == h)
        n_h = len(members)
        if n_h == 0:
            continue
        counts = np.zeros((n_h, replicates))
        for r in range(replicates):
            if fractions[h] > 0:  # without replacement from the PSUs repeated to the population
                population = np.resize(np.arange(n_h), round(n_h / fractions[h]))
                drawn = generator.choice(population, size=n_h, replace=False)
            else:
                drawn = generator.integers(0, n_h, size=n_h)
            counts[:, r] = np.bincount(drawn, minlength=n_h)
        multipliers[members] = counts
    return multipliers


def rake_replicates(
    replicates: Replicates,
    row_cell: IntArray,
    cell_codes: tuple[IntArray, ...],
    sizes: list[int],
    targets: list[FloatArray],
    iterations: int,
    tolerance: float,
) -> Replicates:
    """Rake every replicate to the same targets, as R's ``rake`` on a replicate design.

    Raking runs on the weighting cells (cells × R base weights, one sparse product), for at
    least the main weights' ``iterations`` and until each replicate meets its targets.
    """
    n_cells = len(cell_codes[0]) if cell_codes else 0
    rows = np.arange(len(row_cell))
    indicator = sparse.csr_array(
        (np.ones(len(row_cell)), (row_cell, rows)), shape=(n_cells, len(row_cell))
    )
    base = np.asarray(indicator @ replicates.weights, dtype=np.float64)
    factor = np.ones_like(base)
    total = max(float(target.sum()) for target in targets)
    for iteration in range(10 * max(iterations, 1) + 100):
        for codes, size, target in zip(cell_codes, sizes, targets, strict=True):
            current = np.zeros((size, base.shape[1]))
            np.add.at(current, codes, base * factor)
            with np.errstate(divide="ignore", invalid="ignore"):
                adjust = np.where(current > 0, target[:, None] / current, 1.0)
            factor *= adjust[codes]
        if iteration + 1 >= iterations:
            gap = 0.0
            for codes, size, target in zip(cell_codes, sizes, targets, strict=True):
                reached = np.zeros((size, base.shape[1]))
                np.add.at(reached, codes, base * factor)
                gap = max(gap, float(np.abs(reached - target[:, None]).max()))
            if gap <= tolerance * total:
                break
    return replicates.with_weights(replicates.weights * factor[row_cell])
