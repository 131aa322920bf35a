"""The survey design: weights, strata, primary sampling units (PSUs), finite-population correction.

As in R's ``survey`` package, a design is built once from the data, then every estimator takes it.
The design also holds what a calibration leaves behind (see :mod:`alliance.survey.calibration`:
the raking margins, or the calibration model), because standard errors after raking or
calibration must account for it: a raked design is not "the same design with other weights".

Variance (Taylor linearisation, as R's ``svyrecvar``), at the first stage::

    V = Σ_h (1 - f_h) · n_h / (n_h - 1) · Σ_j (z_hj - z̄_h)²

where ``z_hj`` is the total of the influence values of PSU ``j`` in stratum ``h``, ``n_h`` the
number of PSUs of the stratum in the design (also those without a row in a domain), ``f_h`` its
sampling fraction. Later stages, when an fpc is given for each, add their own variance within each
unit of the stage above (see :mod:`alliance.survey.stages`). A stratum with a single PSU follows
``lonely_psu``, as R's ``options(survey.lonely.psu = …)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

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
    codings,
    column_sums,
    crossing,
    plain,
    series,
)
from alliance.survey.domains import Domains
from alliance.survey.specification import DesignSpec, LonelyPsu, Stages
from alliance.survey.stages import (
    CERTAINTY,
    Stage,
    design_coding,
    first_stage_deviations,
    sampling_structure,
)

if TYPE_CHECKING:
    from alliance.survey.calibration import Calibration
    from alliance.survey.replicates import Replicates, ReplicateType

__all__ = ["By", "Design", "Domains"]  # Domains lives in alliance.survey.domains

T = TypeVar("T")

#: Results :meth:`Design.remember` keeps (an item's answers, their sort order…).
REMEMBERED = 4

#: Domains: one column (levels are its values), several (levels are tuples), or None (everyone).
By = str | Sequence[str] | None


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
    #: Row → variance unit: the PSU, or the last stage's unit when later stages count.
    units: IntArray | None = None
    #: Variance unit → PSU (None when the units are the PSUs).
    unit_psu: IntArray | None = None
    #: Later stages (2, 3…), counted only when an fpc is given for every stage, as in R.
    stages: tuple[Stage, ...] = ()
    #: Replicate weights: when present, every variance comes from them, not from linearisation.
    replicates: Replicates | None = None

    @classmethod
    def from_spec(cls, frame: Any, spec: DesignSpec) -> Design:
        """Describe how ``frame`` was sampled, from options declared once (see :class:`DesignSpec`).

        Examples
        --------
        >>> frame = pl.DataFrame({"y": [1.0, 2.0], "w": [1.0, 3.0]})
        >>> Design.from_spec(frame, DesignSpec(weights="w")).history
        ('design(weights=w)',)
        """
        design = cls.from_frame(
            frame,
            weights=spec.weights,
            strata=spec.strata,
            psu=spec.psu,
            fpc=spec.fpc,
            nest=spec.nest,
            lonely_psu=spec.lonely_psu,
            replicates=spec.replicates,
            replicate_type=spec.replicate_type,
            rho=spec.fay_rho,
            scale=spec.replicate_scale,
            rscales=spec.replicate_rscales,
        )
        if spec.to_replicates is None:
            return design
        return design.to_replicates(spec.to_replicates, seed=spec.seed)

    @classmethod
    def from_frame(
        cls,
        frame: Any,
        *,
        weights: str | None = None,
        strata: str | None = None,
        psu: Stages = None,
        fpc: Stages = None,
        nest: bool = False,
        lonely_psu: LonelyPsu = "fail",
        replicates: str | Sequence[str] | None = None,
        replicate_type: str | None = None,
        rho: float | None = None,
        scale: float | None = None,
        rscales: Sequence[float] | None = None,
    ) -> Design:
        """Describe how ``frame`` (pandas or Polars) was sampled.

        Parameters
        ----------
        weights
            Column of sampling weights. When absent, every row weighs 1, or, with ``fpc`` given,
            the inverse of its sampling fractions (N/n at each stage), as R derives them.
        strata
            Column of strata; one stratum when absent.
        psu
            Column of primary sampling units (clusters), or one column per stage (clusters,
            then units within them…, R's ``ids = ~dnum + snum``); each row is its own PSU when
            absent.
        fpc
            Finite-population correction, one column per stage of ``psu``: a sampling fraction
            (≤ 1) or the number of units in the population (> 1), constant within a stratum at
            the first stage and within a unit of the stage above later on, as in R. Later stages
            add to the variance only when each has its fpc (R's ``svyrecvar``).
        nest
            PSU identifiers are only unique within a stratum (R's ``nest=TRUE``).
        lonely_psu
            A stratum with one PSU: ``"fail"`` (default) refuses it; ``"adjust"`` centres it on
            the grand mean; ``"remove"`` and ``"certainty"`` count it as adding no variance;
            ``"average"`` gives it the average variance of the other strata, as R's
            ``options(survey.lonely.psu = …)``.
        replicates
            Replicate analysis weights (each column includes the sampling weight, R's
            ``combined.weights = TRUE``): a prefix, for the columns whose names start with it
            in the frame's order, or a list of columns. Every variance then comes from them
            (see :mod:`alliance.survey.replicates`), and ``weights`` are the full-sample ones.
        replicate_type, rho, scale, rscales
            ``"jk1"``, ``"jkn"``, ``"brr"``, ``"fay"`` (with its ``rho``) or ``"bootstrap"``,
            and the variance factors, R's defaults when absent (``jkn`` needs ``rscales``).
        """
        spec = DesignSpec(
            weights,
            strata,
            psu,
            fpc,
            nest=nest,
            lonely_psu=lonely_psu,
            replicates=replicates if isinstance(replicates, str | None) else tuple(replicates),
            replicate_type=replicate_type,
            fay_rho=rho,
            replicate_scale=scale,
            replicate_rscales=None if rscales is None else tuple(rscales),
        )
        frame = as_polars(frame)
        n = len(frame)
        if strata is None:
            stratum_labels, stratum_codes = [None], np.zeros(n, dtype=np.intp)
        else:
            stratum_coding = design_coding(frame, strata)
            stratum_labels, stratum_codes = stratum_coding.levels, stratum_coding.codes
        structure = sampling_structure(
            frame,
            stratum_codes,
            stratum_labels,
            spec.psu_columns,
            spec.fpc_columns,
            nest=nest,
            lonely_psu=lonely_psu,
        )
        w = _weights(frame, weights, n)
        if weights is None and structure.fpc_weights is not None:
            w = structure.fpc_weights
        design = cls(
            frame=frame,
            weights=w,
            strata=stratum_codes,
            psu=structure.psu,
            psu_stratum=structure.psu_stratum,
            fpc=structure.fpc,
            stratum_labels=stratum_labels,
            lonely_psu=lonely_psu,
            history=(f"design({spec.describe() or 'simple random sample'})",),
            spec=spec,
            units=structure.units,
            unit_psu=structure.unit_psu,
            stages=structure.stages,
        )
        if replicates is not None:
            from alliance.survey.replicates import from_columns

            kind = cast("ReplicateType", replicate_type or "")
            found = from_columns(frame, replicates, kind, rho=rho, scale=scale, rscales=rscales)
            return replace(design, replicates=found)
        design.check_lonely_psus()
        return design

    def to_replicates(self, kind: str, *, seed: int = 0) -> Design:
        """Return the same sample with replicate weights built from its strata and PSUs.

        ``kind`` is ``jk1`` (no strata), ``jkn`` (strata) or ``bootstrap`` with an optional
        count, ``bootstrap:200`` (R's ``as.svrepdesign``; see
        :func:`alliance.survey.replicates.build`).
        """
        from alliance.survey.replicates import DEFAULT_BOOTSTRAPS, build

        name, _, count = kind.partition(":")
        if name not in ("jk1", "jkn", "bootstrap") or (count and not count.isdigit()):
            raise DesignError("survey.to_replicates_kind", value=kind)
        built = build(
            self,
            cast('Literal["jk1", "jkn", "bootstrap"]', name),
            replicates=int(count) if count else DEFAULT_BOOTSTRAPS,
            seed=seed,
        )
        return replace(self, replicates=built, history=(*self.history, f"replicates({kind})"))

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

    def codings(self, names: Sequence[str]) -> list[Coding]:
        """Return several columns as codes, those not coded yet computed together."""
        new = [name for name in dict.fromkeys(names) if name not in self._codings]
        self._codings.update(zip(new, codings(self.frame, new), strict=True))
        return [self._codings[name] for name in names]

    @cached_property
    def _codings(self) -> dict[str, Coding]:
        return {}

    def remember(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """Return ``compute()``, kept for the next calls with the same ``key``.

        Callers estimate the same answers overall, then by domain: reading (or sorting) a
        million answers twice costs more than the estimate. Only the last :data:`REMEMBERED`
        results are kept, so memory stays that of a few columns whatever the number of items.
        """
        remembered = self._remembered
        if key in remembered:
            remembered[key] = remembered.pop(key)  # the most recent last
            return cast("T", remembered[key])
        value = compute()
        remembered[key] = value
        while len(remembered) > REMEMBERED:
            del remembered[next(iter(remembered))]
        return value

    @cached_property
    def _remembered(self) -> dict[tuple[Any, ...], Any]:
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
        """Return a copy with new weights and one more step; raking also gives its calibration.

        The copy keeps the columns already coded (the margins raking coded are often the
        domains estimated next): the data are the same, only the weights changed.
        """
        changed = replace(
            self,
            weights=weights,
            calibration=calibration or self.calibration,
            history=(*self.history, step),
        )
        for kept in ("_codings", "_crossings"):
            if kept in self.__dict__:
                changed.__dict__[kept] = self.__dict__[kept]
        return changed

    @property
    def n_psu(self) -> int:
        """Number of PSUs in the design."""
        return len(self.psu_stratum)

    def psu_counts(self) -> IntArray:
        """Return the number of PSUs in each stratum (counted once: rows may be the PSUs)."""
        return self._psu_counts

    @cached_property
    def _psu_counts(self) -> IntArray:
        counts = np.bincount(self.psu_stratum, minlength=len(self.stratum_labels)).astype(np.intp)
        counts.flags.writeable = False
        return counts

    @property
    def variance_units(self) -> IntArray:
        """Row → unit whose totals the variance needs: the PSU, or the last stage's unit."""
        return self.psu if self.units is None else self.units

    @property
    def n_units(self) -> int:
        """Number of variance units (the PSUs, unless later stages count)."""
        return self.n_psu if self.unit_psu is None else len(self.unit_psu)

    def check_lonely_psus(self) -> None:
        """Refuse strata with a single PSU under ``lonely_psu="fail"``, as R does.

        A stratum whose only PSU was sampled with certainty (its fpc says the whole stratum was
        taken) adds no variance and is not lonely, as in R.
        """
        counts = self.psu_counts()
        lonely = (counts == 1) & (1 - self.fpc >= CERTAINTY)
        if self.lonely_psu == "fail" and lonely.any():
            label = self.stratum_labels[int(np.argmax(lonely))]
            raise DesignError("survey.lonely_psu", stratum=label)

    def degrees_of_freedom(self, psu_rows: FloatArray | None = None) -> IntArray:
        """PSUs minus strata, counting those with rows (R's ``degf``), per column of ``psu_rows``.

        ``psu_rows`` (PSUs × k) counts each domain's rows in each PSU (give
        :attr:`Domains.counted_rows`: R counts only rows of non-zero weight); without it, the
        whole design's PSUs with a non-zero weight are counted.
        """
        rows = self._weighted_psu_rows if psu_rows is None else psu_rows
        used = np.asarray(rows > 0, dtype=np.float64)
        strata_used = column_sums(used, self.psu_stratum, len(self.psu_counts()))
        degrees: IntArray = (used > 0).sum(axis=0) - (strata_used > 0).sum(axis=0)
        return degrees

    @cached_property
    def _weighted_psu_rows(self) -> FloatArray:
        """Rows of non-zero weight in each PSU (PSUs × 1)."""
        counted = _bincount(self.psu, (self.weights != 0).astype(np.float64), self.n_psu)
        return counted.reshape(-1, 1)

    def psu_strata_count(self, rows: NDArray[np.bool_] | None = None) -> int:
        """PSUs minus strata among ``rows`` (all rows by default), whatever their weight.

        This is the ν of R's ``svychisq``, which counts the design's clusters and strata, not
        ``degf``: on the full design it counts every PSU, also those without an answer.
        """
        counted = np.ones(len(self)) if rows is None else np.asarray(rows, dtype=np.float64)
        per_psu = _bincount(self.psu, counted, self.n_psu).reshape(-1, 1)
        return int(self.degrees_of_freedom(per_psu)[0])

    def domains(self, rows: NDArray[np.bool_], by: By = None) -> Domains:
        """Group ``rows`` by the values of ``by``: a column, several, or None (one domain)."""
        names, by_coding = self.domain_coding(by)
        levels, codes = by_coding.levels, by_coding.codes
        width = len(levels) + 1
        slot = np.where(rows & (codes >= 0), codes, len(levels))
        psu_slots = self._unit_offsets(width) + slot
        cell_slots = None
        if self.calibration is not None:
            cell_slots = self.calibration.slots(slot, width)
        return Domains(
            by=names,
            levels=levels,
            psu_slots=psu_slots,
            cell_slots=cell_slots,
            slots=slot,
            design=self,
        )

    def _unit_offsets(self, width: int) -> IntArray:
        """Return ``unit × width`` per row, kept per width (each set of domains has its own)."""
        if width not in self._offsets:
            self._offsets[width] = self.variance_units * width
        return self._offsets[width]

    @cached_property
    def _offsets(self) -> dict[int, IntArray]:
        return {}

    @cached_property
    def rows_are_psus(self) -> bool:
        """Whether variances take the fast path of single-row PSUs (:mod:`~.singletons`)."""
        from alliance.survey.singletons import applies

        return applies(self)

    @cached_property
    def has_zero_weights(self) -> bool:
        """Whether some weight is zero (then R's ``degf`` and ``deff`` count the others)."""
        return bool((self.weights == 0).any())

    def _per_psu(self, counts: NDArray[Any], width: int) -> FloatArray:
        """Turn counts per variance unit and slot (flat) into PSUs × domains, outside dropped."""
        per_unit = np.zeros(self.n_units * width)
        per_unit[: len(counts)] = counts
        table = per_unit.reshape(self.n_units, width)[:, :-1]
        if self.unit_psu is not None:
            table = column_sums(table, self.unit_psu, self.n_psu)
        return np.asarray(table, dtype=np.float64)

    def sums(self, values: FloatArray, domains: Domains) -> tuple[FloatArray, FloatArray | None]:
        """Reduce the microdata to sufficient statistics for the variance.

        Returns the weighted sums of ``values`` per variance unit and domain (units × domains;
        the units are the PSUs unless later stages count) and, for a
        calibrated design, the calibration's statistics per domain (see
        :class:`alliance.survey.calibration.Calibration`: sums per weighting cell after raking)
        of ``values`` weighted by weight / calibrated weight (1, unless trimmed afterwards).
        """
        width = domains.size + 1
        by_psu = _bincount(domains.psu_slots, self.weights * values, self.n_units * width)
        by_psu = by_psu.reshape(self.n_units, width)[:, :-1]
        if self.calibration is None or domains.cell_slots is None:
            return by_psu, None
        calibrated = self.calibration.weights
        ratio = values if calibrated is self.weights else values * self.weights / calibrated
        return by_psu, self.calibration.reduce_slots(ratio, domains.cell_slots, width)

    def variance(self, x: FloatArray) -> FloatArray:
        """Return the variance of the totals of the columns of ``x`` (n × k influence values)."""
        x = np.asarray(x, dtype=np.float64).reshape(len(self), -1)
        return np.diag(self.covariance(x)).copy()

    def covariance(self, x: FloatArray) -> FloatArray:
        """Return the covariance matrix (k × k) of the totals of the columns of ``x`` (n × k).

        ``x`` holds influence values (e.g. ``w · y`` for a total); after a calibration (raking or
        :func:`alliance.survey.calibrate`) their residuals on it are used, as in R.
        """
        x = np.asarray(x, dtype=np.float64).reshape(len(self), -1)
        psu_totals = column_sums(x, self.variance_units, self.n_units)
        cell_sums = None
        if self.calibration is not None:
            cell_sums = self.calibration.reduce(x / self.calibration.weights[:, None])
        return self.covariance_of_sums(psu_totals, cell_sums)

    def variance_of_sums(
        self,
        psu_totals: FloatArray,
        cell_sums: FloatArray | None,
        *,
        domains: Domains | None = None,
        psu_rows: FloatArray | None = None,
    ) -> FloatArray:
        """Variance of each column, from influence totals per unit and calibration statistics.

        The totals are per variance unit (see :meth:`sums`). ``domains`` says which strata each
        column's domain reaches: R's ``subset()`` drops the other rows of a design that is not
        calibrated, which matters only for lonely PSUs (``adjust`` centres on the domain's
        PSUs, ``average`` averages over its strata). ``psu_rows`` (rows per PSU and column) says
        the same without :class:`Domains`, for columns that are not one set of domains.
        """
        deviations, scale = self._deviations(psu_totals, cell_sums, domains, psu_rows)
        variances: FloatArray = np.einsum("pi,p->i", deviations**2, scale)
        return variances

    def covariance_of_sums(
        self,
        psu_totals: FloatArray,
        cell_sums: FloatArray | None,
        *,
        domains: Domains | None = None,
    ) -> FloatArray:
        """Covariance of the columns, from influence totals per variance unit and calibration."""
        deviations, scale = self._deviations(psu_totals, cell_sums, domains)
        covariance: FloatArray = deviations.T @ (deviations * scale[:, None])
        return covariance

    def _deviations(
        self,
        unit_totals: FloatArray,
        cell_sums: FloatArray | None,
        domains: Domains | None,
        psu_rows: FloatArray | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Totals centred within their stratum (or unit above), and each one's factor.

        The first stage's PSU totals come first, then each later stage's units, so that the
        variance is ``Σ factor · deviation²`` over all of them.
        """
        if self.calibration is not None and cell_sums is not None:
            correction = self.calibration.correction(cell_sums, self.variance_units, self.n_units)
            unit_totals = unit_totals - correction
        psu_totals = unit_totals
        if self.unit_psu is not None:
            psu_totals = column_sums(unit_totals, self.unit_psu, self.n_psu)
        present = None
        if domains is not None and self.calibration is None:
            psu_rows = domains.psu_rows
        if psu_rows is not None and self.calibration is None:
            present = column_sums(psu_rows, self.psu_stratum, len(self.fpc)) > 0
        deviations, scale = first_stage_deviations(
            psu_totals, self.psu_stratum, self.fpc, self.lonely_psu, present
        )
        if not self.stages:
            return deviations, scale
        parts, factors = [deviations], [scale]
        for stage in self.stages:
            stage_deviations, stage_scale = stage.deviations(unit_totals)
            parts.append(stage_deviations)
            factors.append(stage_scale)
        return np.vstack(parts), np.concatenate(factors)


def _bincount(codes: IntArray, weights: FloatArray, size: int) -> FloatArray:
    """Weighted counts per code, typed as floats."""
    return np.asarray(np.bincount(codes, weights=weights, minlength=size), dtype=np.float64)


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
