"""Sampling stages: clusters within clusters, each stage's finite-population correction.

R's ``svydesign(ids = ~dnum + snum, fpc = ~fpc1 + fpc2)`` describes a two-stage sample: districts
drawn within strata, then schools within each district. Its variance (``svyrecvar``, with R's
default ``survey.ultimate.cluster = FALSE``) adds to the first stage's variance each later stage's,
computed within each unit of the stage before and scaled by the sampling fractions of the stages
above it::

    V = V₁ + Σ_i f₁ · V₂(i) + Σ_ij f₁ f₂ · V₃(ij) + …

Later stages count only when an fpc is given for every stage: without fpc, R (and this engine) use
the first stage alone, the "ultimate cluster" variance of a sample drawn with replacement; with
fewer fpc columns than stages, R refuses the design, and so does this engine.

This module turns the columns into codes (units nested in the unit above them, as R forces them),
checks the fpc (one value per stratum at the first stage, per unit of the stage above later on),
and prepares each later stage's scale, so that :class:`alliance.survey.Design` keeps its
sufficient-statistics variance: totals per finest unit, summed up stage by stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from alliance.errors import DesignError, Location
from alliance.survey.columns import (
    Coding,
    FloatArray,
    IntArray,
    coding,
    column_sums,
    plain,
    series,
)

__all__ = [
    "CERTAINTY",
    "Stage",
    "Structure",
    "design_coding",
    "first_stage_deviations",
    "sampling_structure",
]

#: As R: a stratum whose ``1 - f`` is below this was fully sampled and adds no variance.
CERTAINTY = 1e-7


def first_stage_deviations(
    psu_totals: FloatArray,
    psu_stratum: IntArray,
    fpc: FloatArray,
    lonely_psu: str,
    present: NDArray[np.bool_] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """PSU totals centred on their stratum's mean, and each PSU's factor ``(1 - f) n / (n - 1)``.

    A stratum whose fpc says it was fully sampled adds nothing. A stratum of one PSU follows
    ``lonely_psu``, as R's ``survey.lonely.psu``: ``remove`` and ``certainty`` count it as adding
    nothing; ``adjust`` centres its PSU on the grand mean, the columns' total over the PSUs of the
    strata the column's domain reaches (R ≥ 4.3; R 4.1 centred on zero, which differs for
    totals), and a domain absent from the stratum gets nothing from it (as in both); ``average``
    scales the other strata's variance by the strata the domain reaches over those that are not
    lonely. ``present`` (strata × columns) says which strata each column's domain reaches (None:
    all of them, as for the full design or a calibrated one, whose subsets keep every row).
    """
    n_strata = len(fpc)
    counts = np.bincount(psu_stratum, minlength=n_strata).astype(np.float64)
    means = column_sums(psu_totals, psu_stratum, n_strata) / np.maximum(counts, 1)[:, None]
    deviations = psu_totals - means[psu_stratum]
    share = 1 - fpc
    factor = np.where(counts > 1, counts / np.maximum(counts - 1, 1), 1.0) * share
    factor[share < CERTAINTY] = 0.0
    lonely = (counts == 1) & (share >= CERTAINTY)
    if not lonely.any() or lonely_psu == "fail":
        return deviations, factor[psu_stratum]
    columns = deviations.shape[1]
    here = np.ones((n_strata, columns), dtype=bool) if present is None else present
    if lonely_psu == "adjust":
        grand = psu_totals.sum(axis=0) / np.maximum((here * counts[:, None]).sum(axis=0), 1)
        alone = lonely[psu_stratum]
        reached = here[psu_stratum[alone]]
        deviations[alone] = np.where(reached, psu_totals[alone] - grand, 0.0)
        return deviations, factor[psu_stratum]
    factor[lonely] = 0.0
    if lonely_psu == "average":
        reached = here.sum(axis=0).astype(np.float64)
        kept = (here & ~lonely[:, None]).sum(axis=0).astype(np.float64)
        ratio = np.divide(reached, kept, out=np.full(columns, np.nan), where=kept > 0)
        deviations = deviations * np.sqrt(ratio)
    return deviations, factor[psu_stratum]


@dataclass(frozen=True)
class Stage:
    """A later stage (2, 3…): its units, grouped by the unit of the stage above (their "stratum").

    ``units`` maps each finest unit (the design's variance units) to this stage's unit, or is
    None when this stage's units are the finest ones; ``parent`` maps this stage's units to the
    stage above's; ``scale`` is, per parent, the sampling fractions of the stages above times
    ``(1 - f) n / (n - 1)``, or 0 when the parent's units were all sampled (or it has only one,
    counted as zero by every ``lonely_psu`` rule that accepts it).
    """

    number: int
    units: IntArray | None
    parent: IntArray
    counts: FloatArray
    scale: FloatArray

    def deviations(self, unit_totals: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Centre this stage's unit totals within their parent; give each unit's factor."""
        size = len(self.parent)
        totals = unit_totals if self.units is None else column_sums(unit_totals, self.units, size)
        means = column_sums(totals, self.parent, len(self.counts))
        means /= np.maximum(self.counts, 1)[:, None]
        return totals - means[self.parent], self.scale[self.parent]


@dataclass(frozen=True)
class Structure:
    """How the rows were sampled: PSUs in strata, the first stage's fractions, later stages.

    ``units`` (row → variance unit) are the PSUs for a one-stage design (``unit_psu`` is then
    None) and the last stage's units when later stages count.
    """

    psu: IntArray
    psu_stratum: IntArray
    fpc: FloatArray
    units: IntArray
    unit_psu: IntArray | None
    stages: tuple[Stage, ...]
    fpc_weights: FloatArray | None


def sampling_structure(
    frame: pl.DataFrame,
    strata: IntArray,
    stratum_labels: list[Any],
    psu_columns: Sequence[str],
    fpc_columns: Sequence[str],
    *,
    nest: bool,
    lonely_psu: str,
) -> Structure:
    """Code the stages' units and check their fpc, as R's ``svydesign`` and ``as.fpc`` do."""
    n = len(frame)
    stage_count = max(len(psu_columns), 1)
    if fpc_columns and len(fpc_columns) != stage_count:
        raise DesignError("survey.fpc_stages", given=len(fpc_columns), stages=stage_count)
    if psu_columns:
        first = design_coding(frame, psu_columns[0])
        codes = [_psu_codes(first, strata, nest=nest)]
        for name in psu_columns[1:]:
            codes.append(_nested(codes[-1], design_coding(frame, name).codes))
    else:
        codes = [np.arange(n, dtype=np.intp)]
    psu = codes[0]
    psu_stratum = _parents(psu, strata)
    if not fpc_columns:
        return Structure(psu, psu_stratum, np.zeros(len(stratum_labels)), psu, None, (), None)
    values, sizes = _fpc_values(frame, fpc_columns)
    fractions = []
    groups = strata
    labels: list[Any] | str = stratum_labels
    for stage, name in enumerate(fpc_columns):
        fpc = _Fpc(name, values[stage], sizes)
        fractions.append(_fractions(frame, fpc, groups, codes[stage], stage + 1, labels))
        groups = codes[stage]
        labels = psu_columns[stage] if stage < len(psu_columns) else ""
    fpc_weights = np.ones(n)
    groups = strata
    for stage, fraction in enumerate(fractions):
        by_row = fraction[groups]
        fpc_weights /= np.where(by_row > 0, by_row, 1.0)
        groups = codes[stage]
    if stage_count == 1:
        return Structure(psu, psu_stratum, fractions[0], psu, None, (), fpc_weights)
    stages = _later_stages(frame, psu_columns, codes, fractions, psu_stratum, lonely_psu)
    finest = codes[-1]
    return Structure(
        psu, psu_stratum, fractions[0], finest, _parents(finest, psu), stages, fpc_weights
    )


def _later_stages(
    frame: pl.DataFrame,
    psu_columns: Sequence[str],
    codes: list[IntArray],
    fractions: list[FloatArray],
    psu_stratum: IntArray,
    lonely_psu: str,
) -> tuple[Stage, ...]:
    """Each later stage's units, parents and scale (earlier fractions times its own factor)."""
    finest = codes[-1]
    stages = []
    above = fractions[0][psu_stratum]  # per PSU: the sampling fractions of the stages above
    for s in range(1, len(codes)):
        parent = _parents(codes[s], codes[s - 1])
        counts = np.bincount(parent, minlength=len(above)).astype(np.float64)
        share = 1 - fractions[s]
        scale = above * share * np.where(counts > 1, counts / np.maximum(counts - 1, 1), 1.0)
        lonely = (counts == 1) & (share >= CERTAINTY)
        if lonely.any() and lonely_psu in ("fail", "average"):
            unit = int(np.argmax(lonely))
            row = int(np.argmax(codes[s - 1] == unit))
            name = psu_columns[s - 1]
            raise DesignError(
                "survey.lonely_unit",
                Location(row=row + 1, field=name),
                unit=plain(series(frame, name)[row]),
                column=name,
                stage=s + 1,
            )
        scale[lonely | (share < CERTAINTY)] = 0.0
        units = None if s == len(codes) - 1 else _parents(finest, codes[s])
        stages.append(Stage(s + 1, units, parent, counts, scale))
        above = (above * fractions[s])[parent]
    return tuple(stages)


def _parents(children: IntArray, parents_by_row: IntArray) -> IntArray:
    """For each child code, the parent code of its rows (children are nested in parents)."""
    out = np.zeros(int(children.max()) + 1 if len(children) else 0, dtype=np.intp)
    out[children] = parents_by_row
    return out


def _nested(parents: IntArray, ids: IntArray) -> IntArray:
    """Code units by (parent, id): an id repeated in two parents is two units, as R nests them."""
    pairs = parents.astype(np.int64) * (int(ids.max()) + 1) + ids
    _, codes = np.unique(pairs, return_inverse=True)
    return np.asarray(codes, dtype=np.intp).reshape(-1)


def design_coding(frame: pl.DataFrame, name: str) -> Coding:
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
    distinct, codes = _dense_unique(pairs)
    if not nest and len(distinct) > len(psu.levels):
        repeated = np.bincount(distinct % len(psu.levels)) > 1
        raise DesignError("survey.psu_not_nested", psu=psu.levels[int(np.argmax(repeated))])
    return np.asarray(codes, dtype=np.intp).reshape(-1)


#: Up to this many possible (stratum, PSU) pairs, they are counted rather than sorted.
DENSE_PAIRS = 1 << 24


def _dense_unique(pairs: NDArray[np.int64]) -> tuple[NDArray[np.int64], IntArray]:
    """``np.unique(pairs, return_inverse=True)`` for non-negative keys, without sorting the rows.

    When the keys are few enough to count (strata × PSU ids), a table of those present gives
    the same sorted values and codes as ``np.unique`` at a fraction of the cost of a sort.
    """
    if len(pairs) == 0 or int(pairs.max()) >= DENSE_PAIRS:
        distinct, codes = np.unique(pairs, return_inverse=True)
        return distinct, np.asarray(codes, dtype=np.intp).reshape(-1)
    present = np.bincount(pairs) > 0
    lookup = np.cumsum(present, dtype=np.intp) - 1
    return np.flatnonzero(present).astype(np.int64), lookup[pairs]


@dataclass(frozen=True)
class _Fpc:
    """One stage's fpc column: its values, and whether the design's fpc are population sizes."""

    name: str
    values: FloatArray
    sizes: bool


def _fpc_values(frame: pl.DataFrame, columns: Sequence[str]) -> tuple[list[FloatArray], bool]:
    """Read the fpc columns as numbers: all fractions (≤ 1) or all sizes (≥ 1), as R wants."""
    values = []
    for name in columns:
        column = series(frame, name)
        if not column.dtype.is_numeric():
            raise DesignError(
                "survey.fpc_invalid", Location(field=name), column=name, value=str(column[0])
            )
        values.append(column.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(np.float64))
    sizes = any(bool((v > 1).any()) for v in values)
    for name, v in zip(columns, values, strict=True):
        bad = np.isnan(v) | (v < 0) | ((v < 1) if sizes else np.zeros(len(v), dtype=bool))
        if bad.any():
            row = int(np.argmax(bad))
            value = plain(v[row])
            location = Location(row=row + 1, field=name, value=value)
            raise DesignError("survey.fpc_invalid", location, column=name, value=value)
    return values, sizes


def _fractions(
    frame: pl.DataFrame,
    fpc: _Fpc,
    groups: IntArray,
    units: IntArray,
    stage: int,
    labels: list[Any] | str,
) -> FloatArray:
    """One stage's sampling fraction per group: a stratum, or a unit of the stage above.

    The fpc must be constant within each group: a sampling fraction, or the number of units in
    the group's population (then at least the number sampled). ``labels`` are the strata's
    labels at the first stage, and the name of the stage above's column later on.
    """
    name, values = fpc.name, fpc.values
    size = int(groups.max()) + 1 if len(groups) else 0
    first = np.zeros(size, dtype=np.intp)
    first[groups[::-1]] = np.arange(len(groups))[::-1]
    differs = values != values[first[groups]]
    if differs.any():
        row = int(np.argmax(differs))
        location = Location(row=row + 1, field=name, value=plain(values[row]))
        if isinstance(labels, str):  # the unit is named by the stage above's id column
            unit = plain(series(frame, labels)[row])
            raise DesignError(
                "survey.fpc_varies_in_unit", location, unit=unit, column=name, stage=stage
            )
        if labels == [None]:  # no strata: the whole sample is one
            raise DesignError("survey.fpc_not_constant_unstratified", location, column=name)
        stratum = labels[int(groups[row])]
        raise DesignError("survey.fpc_not_constant", location, stratum=stratum, column=name)
    value = values[first]
    sampled = np.bincount(_parents(units, groups), minlength=size).astype(np.float64)
    if not fpc.sizes:
        return np.asarray(value, dtype=np.float64)
    if (value < sampled).any():
        row = int(first[int(np.argmax(value < sampled))])
        shown = plain(values[row])
        location = Location(row=row + 1, field=name, value=shown)
        raise DesignError("survey.fpc_invalid", location, column=name, value=shown)
    return np.asarray(sampled / value, dtype=np.float64)
