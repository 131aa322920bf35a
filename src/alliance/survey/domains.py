"""Rows of a design grouped into domains: the slots every estimator sums over.

A domain is R's ``subset()`` then ``svyby()``: the rows outside it stay in the design, so its
variance still counts every PSU. :class:`Domains` holds, for each row, its domain's slot and its
PSU's (or variance unit's) slot, and computes the counts estimators need once, on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from alliance.survey.columns import FloatArray, IntArray

if TYPE_CHECKING:
    from alliance.survey.design import Design

__all__ = ["Domains"]


@dataclass(frozen=True, eq=False)
class Domains:
    """Rows of a design grouped into domains, as R's ``subset()`` then ``svyby()``.

    Rows outside every domain (a missing answer, a missing ``by`` value) stay in the design: each
    row gets a slot (``slots``: its domain, or the last one, collecting rows outside them all),
    and ``psu_slots`` is ``unit × (domains + 1) + slot``, so sums per unit and domain are one
    ``bincount`` without copying the rows.

    With several ``by`` columns, ``by`` is their tuple and each level a tuple of values: the
    combinations present in the design, the first column varying fastest (R's order). A domain
    may have no row among ``rows`` (no answer there): its ``n`` is 0 and estimators mark it empty.

    In a multi-stage design whose later stages count, ``psu_slots`` are slots of the design's
    variance units (the last stage's units) rather than of its PSUs; ``psu_rows`` always counts
    rows per PSU. ``weighted_rows`` counts only the rows of non-zero weight: R's ``degf`` and
    design effects count those (``None`` when no weight is zero: then they are ``psu_rows``).

    The counts are computed on first use and kept: an estimator asks for ``n`` once per domain,
    and the PSUs × domains tables are a million rows long when every row is its own PSU, where
    the fast path (:mod:`alliance.survey.singletons`) never needs them.
    """

    by: str | tuple[str, ...] | None
    levels: list[Any]
    psu_slots: IntArray
    cell_slots: IntArray | None
    slots: IntArray
    design: Design = field(repr=False)

    @cached_property
    def psu_rows(self) -> FloatArray:
        """Rows per PSU and domain (PSUs × domains)."""
        width = self.size + 1
        counts = np.bincount(self.psu_slots, minlength=self.design.n_units * width)
        return self.design._per_psu(counts, width)

    @cached_property
    def weighted_rows(self) -> FloatArray | None:
        """Rows of non-zero weight per PSU and domain; None when no weight is zero."""
        if not self.design.has_zero_weights:
            return None
        width = self.size + 1
        nonzero = (self.design.weights != 0).astype(np.float64)
        counted = _bincount(self.psu_slots, nonzero, self.design.n_units * width)
        return self.design._per_psu(counted, width)

    @cached_property
    def n_weighted(self) -> IntArray:
        """Rows of non-zero weight in each domain: the ``n`` of R's ``svyvar`` and ``deff``."""
        if not self.design.has_zero_weights:
            return self.n
        nonzero = (self.design.weights != 0).astype(np.float64)
        counts = _bincount(self.slots, nonzero, self.size + 1)[:-1]
        return counts.astype(np.intp)

    @property
    def counted_rows(self) -> FloatArray:
        """Rows of non-zero weight per PSU and domain: what degrees of freedom count."""
        return self.psu_rows if self.weighted_rows is None else self.weighted_rows

    @property
    def size(self) -> int:
        """Number of domains."""
        return len(self.levels)

    @cached_property
    def n(self) -> IntArray:
        """Rows in each domain (from the PSU table when it is small: one pass fewer)."""
        if "psu_rows" in self.__dict__ or self.design.n_units * 4 <= len(self.slots):
            table: IntArray = self.psu_rows.sum(axis=0).astype(np.intp)
            return table
        counts: IntArray = np.bincount(self.slots, minlength=self.size + 1)[:-1].astype(np.intp)
        return counts


def _bincount(codes: IntArray, weights: FloatArray, size: int) -> FloatArray:
    """Weighted counts per code, typed as floats."""
    return np.asarray(np.bincount(codes, weights=weights, minlength=size), dtype=np.float64)
