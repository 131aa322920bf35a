"""Weighted counts of each category, as R's ``svytotal(~factor(VAR))``.

How many organisations of each profile the sample stands for, with their standard errors.

The count of a category is the total of its indicator among the answers (a missing answer is in
no category, as R's ``na.rm = TRUE``). Categories are the variable's values present in the
design, in the engine's order (numbers by value, texts by code point: R's order in the C
locale); each domain gets every category, at 0 with an SE of 0 where none of its rows has it, as
R's ``svyby`` reports it. The interval is normal, as ``confint()`` of a ``svytotal``.
"""

from __future__ import annotations

import numpy as np

from alliance.survey.columns import FloatArray, IntArray
from alliance.survey.design import By, Design, Domains
from alliance.survey.estimate import Estimate, design_effect

__all__ = ["count"]

#: Largest units × domains × categories table summed in one pass (else one per category).
ONE_PASS_CELLS = 1 << 22


def count(design: Design, variable: str, *, by: By = None) -> list[Estimate]:
    """Estimate the population count of each category of ``variable``, overall or by domain.

    Returns one :class:`Estimate` per domain and category (domains first), with the category in
    ``category``. ``deff`` compares with a simple random sample with replacement of the domain's
    answers (R's ``deff = "replace"``; ``deff_srswor`` is R's ``deff = TRUE``). A domain without
    answers is empty (NaN).

    Examples
    --------
    >>> import polars as pl
    >>> frame = pl.DataFrame({"profile": ["a", "b", "a", None], "w": [1.0, 2.0, 3.0, 4.0]})
    >>> design = Design.from_frame(frame, weights="w")
    >>> [(e.category, e.estimate) for e in count(design, "profile")]
    [('a', 4.0), ('b', 2.0)]
    """
    categories = design.coding(variable)
    answered = categories.codes >= 0  # a missing answer is in no category
    domains = design.domains(answered, by)
    n, counted = domains.n, domains.n_weighted  # R's svyvar counts rows of non-zero weight
    if design.replicates is None:
        degrees = design.degrees_of_freedom(domains.counted_rows)
    else:
        degrees = design.replicates.degrees_of_freedom(domains)
    weight_sums = design.sums(np.ones(len(design)), domains)[0].sum(axis=0)
    tables = _category_tables(design, categories.codes, len(categories.levels), domains)
    per_category = []
    for position in range(len(categories.levels)):
        if tables is not None:
            psu_totals, cell_sums = tables[:, :, position], None
        else:
            indicator = (categories.codes == position).astype(np.float64)
            psu_totals, cell_sums = design.sums(indicator, domains)
        totals = psu_totals.sum(axis=0)
        if design.replicates is None:
            variances = design.variance_of_sums(psu_totals, cell_sums, domains=domains)
        else:
            indicator = (categories.codes == position).astype(np.float64)
            variances = design.replicates.variance(design.replicates.totals(indicator, domains))
        share = totals / np.where(n == 0, 1.0, weight_sums)
        spread = share * (1 - share) * counted / np.maximum(counted - 1, 1)
        deff = design_effect(variances, spread * weight_sums**2 / np.maximum(counted, 1))
        per_category.append((totals, variances, deff))
    nan = float("nan")
    results = []
    for j, group in enumerate(domains.levels):
        for level, (totals, variances, deff) in zip(categories.levels, per_category, strict=True):
            results.append(
                Estimate(
                    variable=variable,
                    statistic="count",
                    estimate=float(totals[j]) if n[j] else nan,
                    se=float(np.sqrt(variances[j])) if n[j] else nan,
                    n=int(n[j]),
                    deff=float(deff[j]) if n[j] else nan,
                    df=int(degrees[j]),
                    rows_in_design=len(design),
                    by=domains.by,
                    group=group,
                    weight_sum=float(weight_sums[j]) if n[j] else nan,
                    weighted_n=int(counted[j]),
                    category=level,
                )
            )
    return results


def _category_tables(
    design: Design, codes: IntArray, size: int, domains: Domains
) -> FloatArray | None:
    """Weights per variance unit, domain and category (units × domains × categories), in one pass.

    None when the table would be large (a design whose PSUs are its rows) or when a calibration
    needs each category's own statistics: the caller then sums one category at a time.
    """
    width = domains.size + 1
    cells = design.n_units * width * size
    if design.calibration is not None or cells > max(ONE_PASS_CELLS, len(design)):
        return None
    slots = domains.psu_slots * size + np.maximum(codes, 0)  # missing: outside every domain
    table = np.bincount(slots, weights=design.weights, minlength=cells).astype(np.float64)
    tables: FloatArray = table.reshape(design.n_units, width, size)[:, :-1, :]
    return tables
