"""Many shares at once: each item's share overall and by domain, from one pass over its answers.

``alliance survey estimate --share q1=1,2 … --share q20=1,2 --by region`` asks for forty
:func:`~alliance.survey.share` calls on a million rows. Each call rebuilds what does not depend on
the item (each row's variance unit, domain and weighting cell) and sums the rows four or five
times. Here that is built once per set of domains, and each item costs one Polars expression (all
items' evaluated together, on every core) and two ``bincount`` calls:

- each row's answer: none, outside the codes, in them (0, 1, 2), added to a key built once per
  set of domains, ``3 × (group × slots + slot)``, whose slot is the row's domain or, for rows
  outside every domain (``by`` missing), one more slot;
- the weights summed per variance unit and key, and the rows counted per weighting cell and key
  (per variance unit when the design is not raked).

These tables hold every sum linearisation needs (``Σ w y`` is the "in the codes" third, ``Σ w``
both answered thirds) for the domains of ``by`` and, adding up the slots, for everyone: the
overall estimate costs no pass of its own. The variances of all items and domains are then
computed together, as the columns of one table. Results equal :func:`share`'s to rounding (the
same sums, added in another order).

Designs whose PSUs are single rows keep :func:`share`'s own fast path, item by item (its tables
are per stratum, not per PSU); so do replicate designs and designs calibrated by
:func:`~alliance.survey.calibrate`, whose statistics per domain are not counts per cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from alliance.survey.calibration import Raking
from alliance.survey.columns import FloatArray, IntArray, column_sums, missing_expression
from alliance.survey.design import By, Design
from alliance.survey.estimate import Estimate, code_matches, share

__all__ = ["shares"]

#: Items summed together hold their tables (units × domains, per item) within this many cells.
TABLE_CELLS = 1 << 22


def shares(
    design: Design, items: Sequence[tuple[str, Iterable[Any]]], *, by: Sequence[By] = (None,)
) -> list[Estimate]:
    """``share(design, variable, codes, by=b)`` for each item, then each ``b`` of ``by``.

    The estimates come in that order (item, then ``by``, then its domains), each equal to
    :func:`share`'s to rounding. ``by`` lists ``share``'s ``by`` values: ``["region"]``, not
    ``"region"``, and ``[["sex", "region"]]`` for the crossed domains.

    Examples
    --------
    >>> frame = pl.DataFrame({"q": [1, 2, 3, None], "r": ["N", "N", "S", "S"]})
    >>> found = shares(Design.from_frame(frame), [("q", [1]), ("q", [1, 2])], by=[None, "r"])
    >>> [(e.group, round(e.estimate, 2)) for e in found]
    [(None, 0.33), ('N', 0.5), ('S', 0.0), (None, 0.67), ('N', 1.0), ('S', 0.0)]
    """
    if isinstance(by, str):
        raise TypeError(f"by lists share()'s by values: give [{by!r}], not {by!r}")
    wanted = [(variable, list(codes)) for variable, codes in items]
    if not _applies(design):
        return [
            estimate
            for variable, codes in wanted
            for domains in by
            for estimate in share(design, variable, codes, by=domains)
        ]
    passes = [domains for domains in by if domains is not None]
    everyone = any(domains is None for domains in by)
    # Everyone's estimates come from the first set of domains' slots; alone, they are a pass.
    found = [
        _shares(design, wanted, domains, overall=everyone and p == 0)
        for p, domains in enumerate(passes or [None])
    ]
    estimates: list[Estimate] = []
    for k in range(len(wanted)):
        next_pass = 0
        for domains in by:
            if domains is None:
                by_domain, overall = found[0][k]
                estimates += overall if passes else by_domain
            else:
                estimates += found[next_pass][k][0]
                next_pass += 1
    return estimates


def _applies(design: Design) -> bool:
    """Whether the design's tables are per variance unit and raked (or not calibrated at all).

    Weights must not be negative: a PSU's weights then sum to more than zero exactly when it has
    rows of non-zero weight, which is what degrees of freedom count.
    """
    if design.replicates is not None or len(design) == 0 or design.rows_are_psus:
        return False
    if design.calibration is not None and not isinstance(design.calibration, Raking):
        return False
    return bool((design.weights >= 0).all())


@dataclass(frozen=True)
class _Layout:
    """For one design and one set of domains: where each row's answers are summed.

    A row's *slot* is its domain (``0 … L-1``) or ``L`` when ``by`` is missing; each slot holds
    three answer slots: no answer (0), an answer outside the codes (1), in the codes (2). The
    keys ``3 × (group × (L + 1) + slot)`` per variance unit and weighting cell are built once,
    so that an item's key is one addition of its answers (0, 1 or 2).
    """

    by: str | tuple[str, ...] | None
    levels: list[Any]
    unit_keys: IntArray
    cell_keys: IntArray | None

    @property
    def slots(self) -> int:
        """Slots per unit or cell: the domains and the answers outside them."""
        return len(self.levels) + 1


def _layout(design: Design, by: By) -> _Layout:
    names, coding = design.domain_coding(by)
    outside = len(coding.levels)
    slot = np.where(coding.codes >= 0, coding.codes, outside)
    width = outside + 1
    raking = design.calibration
    return _Layout(
        by=names,
        levels=coding.levels,
        unit_keys=3 * (design.variance_units * width + slot),
        cell_keys=3 * (raking.cells * width + slot) if isinstance(raking, Raking) else None,
    )


def _answers(design: Design, items: list[tuple[str, list[Any]]]) -> list[NDArray[np.uint8]]:
    """Each row's answer, per item (0: none, 1: outside the codes, 2: in them), in one ``select``.

    Polars evaluates the items' expressions on all its threads.
    """
    none, other, wanted = (pl.lit(value, dtype=pl.UInt8) for value in (0, 1, 2))
    expressions = [
        pl.when(missing_expression(pl.col(variable), design.series(variable).dtype))
        .then(none)
        .when(code_matches(design, variable, codes))
        .then(wanted)
        .otherwise(other)
        .alias(str(k))
        for k, (variable, codes) in enumerate(items)
    ]
    table = design.frame.select(expressions)
    return [table.to_series(k).to_numpy() for k in range(len(items))]


@dataclass(frozen=True)
class _Sums:
    """Per item, then per column (its domains, then everyone), the sums linearisation needs.

    ``unit_*`` are per variance unit, ``cell_*`` per weighting cell (raked designs), ``counted``
    the rows of non-zero weight and ``rows`` all rows, per column; ``psu_rows`` counts rows per
    PSU, which only an uncalibrated design's lonely PSUs need (None otherwise).
    """

    unit_numerator: FloatArray
    unit_denominator: FloatArray
    cell_numerator: FloatArray | None
    cell_denominator: FloatArray | None
    rows: IntArray
    counted: IntArray
    psu_rows: FloatArray | None


class _Columns:
    """Tables of groups × columns, filled item by item from tables per answer slot."""

    def __init__(self, groups: int, *, items: int, levels: int, overall: bool) -> None:
        self.levels, self.overall = levels, overall
        self.width = levels + int(overall)
        self.numerator = np.empty((groups, items * self.width))
        self.denominator = np.empty((groups, items * self.width))

    def add(self, k: int, table: FloatArray) -> None:
        """Item ``k``'s groups × (slots × 3) sums: answers in the codes, and all answers."""
        answers = table.reshape(len(table), self.levels + 1, 3)
        wanted = answers[:, :, 2]
        answered = answers[:, :, 1] + wanted
        start = k * self.width
        self.numerator[:, start : start + self.levels] = wanted[:, : self.levels]
        self.denominator[:, start : start + self.levels] = answered[:, : self.levels]
        if self.overall:
            self.numerator[:, start + self.levels] = wanted.sum(axis=1)
            self.denominator[:, start + self.levels] = answered.sum(axis=1)


def _sums(
    design: Design, items: list[tuple[str, list[Any]]], layout: _Layout, *, overall: bool
) -> _Sums:
    """Sum each item's rows per group and answer slot, then gather the slots into columns.

    Per item: the weights per variance unit, and the rows per weighting cell (raked designs) or
    per unit; after trimming, also the weight over the calibrated weight per cell, and with zero
    weights the rows of non-zero weight per slot.
    """
    raking = design.calibration if isinstance(design.calibration, Raking) else None
    width = 3 * layout.slots

    def columns(groups: int) -> _Columns:
        return _Columns(groups, items=len(items), levels=len(layout.levels), overall=overall)

    units = columns(design.n_units)
    groups = design.n_units if raking is None else raking.n_cells
    rows = columns(groups)  # per unit, or per weighting cell when raked
    ratio, ratios = None, None  # weight over calibrated weight, when trimming changed the weights
    if raking is not None and raking.weights is not design.weights:
        ratio, ratios = design.weights / raking.weights, columns(groups)
    nonzero, counted, slot_keys = None, None, None
    if design.has_zero_weights:
        nonzero = (design.weights != 0).astype(np.float64)
        counted, slot_keys = columns(1), layout.unit_keys % width
    key = np.empty(len(design), dtype=np.intp)
    for k, answers in enumerate(_answers(design, items)):
        np.add(layout.unit_keys, answers, out=key)
        units.add(k, _table(key, design.weights, design.n_units, width))
        if layout.cell_keys is not None:
            np.add(layout.cell_keys, answers, out=key)
        rows.add(k, _table(key, None, groups, width))
        if ratios is not None:
            ratios.add(k, _table(key, ratio, groups, width))
        if counted is not None and slot_keys is not None:
            counted.add(k, _table(slot_keys + answers, nonzero, 1, width))
    n = np.rint(rows.denominator.sum(axis=0)).astype(np.intp)
    cells = ratios or rows
    psu_rows = None
    if design.calibration is None:  # its lonely PSUs look at the strata each domain reaches
        psu_rows = rows.denominator
        if design.unit_psu is not None:
            psu_rows = _to_psus(design, psu_rows)
    return _Sums(
        unit_numerator=units.numerator,
        unit_denominator=units.denominator,
        cell_numerator=None if raking is None else cells.numerator,
        cell_denominator=None if raking is None else cells.denominator,
        rows=n,
        counted=n if counted is None else np.rint(counted.denominator[0]).astype(np.intp),
        psu_rows=psu_rows,
    )


def _table(key: IntArray, weights: FloatArray | None, groups: int, width: int) -> FloatArray:
    """Weighted (or plain) counts per key, as groups × answer slots."""
    counts = np.bincount(key, weights=weights, minlength=groups * width)
    return np.asarray(counts, dtype=np.float64).reshape(groups, width)


def _to_psus(design: Design, table: FloatArray) -> FloatArray:
    """Add up a table per variance unit into one per PSU."""
    assert design.unit_psu is not None
    return column_sums(table, design.unit_psu, design.n_psu)


def _shares(
    design: Design, items: list[tuple[str, list[Any]]], by: By, *, overall: bool
) -> list[tuple[list[Estimate], list[Estimate]]]:
    """Per item, its estimates by ``by``'s domains and (``overall``) for everyone."""
    layout = _layout(design, by)
    columns = len(layout.levels) + int(overall)
    per_item = max(1, TABLE_CELLS // max(1, design.n_units * columns))
    found = []
    for start in range(0, len(items), per_item):
        chunk = items[start : start + per_item]
        sums = _sums(design, chunk, layout, overall=overall)
        estimates = _estimates(design, chunk, layout, sums, columns)
        for k in range(len(chunk)):
            row = estimates[k * columns : (k + 1) * columns]
            found.append((row[: len(layout.levels)], row[len(layout.levels) :]))
    return found


def _estimates(
    design: Design,
    items: list[tuple[str, list[Any]]],
    layout: _Layout,
    sums: _Sums,
    columns: int,
) -> list[Estimate]:
    """Linearise every column (as :func:`~alliance.survey.estimate.linearise`) and estimate.

    The columns are, for each item, ``columns`` of them: its domains, then everyone (if asked).
    """
    n, counted = sums.rows, sums.counted
    empty = n == 0
    weight_sum = np.where(empty, 1.0, sums.unit_denominator.sum(axis=0))
    numerator = sums.unit_numerator.sum(axis=0)
    centre = np.where(empty, 0.0, numerator / weight_sum)
    spread = (numerator / weight_sum - centre**2) * counted / np.maximum(counted - 1, 1)
    influence = (sums.unit_numerator - centre * sums.unit_denominator) / weight_sum
    cell_influence = None
    if sums.cell_numerator is not None and sums.cell_denominator is not None:
        cell_influence = (sums.cell_numerator - centre * sums.cell_denominator) / weight_sum
    variances = design.variance_of_sums(influence, cell_influence, psu_rows=sums.psu_rows)
    reached = sums.unit_denominator  # > 0 where a unit has rows of non-zero weight
    if design.unit_psu is not None:
        reached = _to_psus(design, reached)
    degrees = design.degrees_of_freedom(reached)
    results = []
    nan = float("nan")
    for j in range(len(centre)):
        variable = items[j // columns][0]
        domain = j % columns
        in_by = domain < len(layout.levels)
        rows = int(n[j])
        results.append(
            Estimate(
                variable=variable,
                statistic="share",
                estimate=float(centre[j]) if rows else nan,
                se=float(np.sqrt(variances[j])) if rows else nan,
                n=rows,
                deff=float(variances[j] / (spread[j] / counted[j])) if spread[j] > 0 else nan,
                df=int(degrees[j]),
                rows_in_design=rows if design.calibration is None else len(design),
                by=layout.by if in_by else None,
                group=layout.levels[domain] if in_by else None,
                weight_sum=float(weight_sum[j]) if rows else nan,
                weighted_n=int(counted[j]),
            )
        )
    return results
