"""Tests of differences: between two domains (segments or waves), and of independence in a table.

- :func:`difference`: the difference of a share (or mean) between two domains, with the SE of the
  difference (the covariance of the two domains counts: they share PSUs and raking margins) and a
  design-based t test on ``df = PSUs - strata - 1`` degrees of freedom, as R's ``svyttest``.
- :func:`rao_scott`: Pearson's X² of a two-way table with the Rao-Scott second-order correction,
  an F statistic as R's ``svychisq(statistic = "F")``.

Two waves stacked in one file are two domains of a ``wave`` column; give each wave its own strata
(or add the wave to the strata) so the design knows the waves are independent samples.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from alliance.errors import SurveyError
from alliance.survey.columns import FloatArray, missing_mask
from alliance.survey.design import Design, Domains
from alliance.survey.distributions import f_survival, t_quantile, t_survival
from alliance.survey.estimate import (
    Estimate,
    Statistic,
    domain_label,
    indicator,
    linearise,
    numeric,
)

__all__ = ["Difference", "RaoScott", "difference", "independent_difference", "rao_scott"]


@dataclass(frozen=True)
class Difference:
    """``second - first``: how a share or a mean differs between two domains.

    With several ``by`` columns, ``by``, ``first`` and ``second`` are tuples.
    """

    variable: str
    statistic: Statistic
    by: str | tuple[str, ...]
    first: Any
    second: Any
    first_estimate: float
    second_estimate: float
    estimate: float
    se: float
    df: int

    @property
    def t(self) -> float:
        """The difference over its standard error."""
        return self.estimate / self.se

    @property
    def p_value(self) -> float:
        """Two-sided p-value of the t test (the difference is zero in the population)."""
        return 2 * t_survival(abs(self.t), self.df)

    def ci(self, level: float = 0.95) -> tuple[float, float]:
        """Confidence interval of the difference, on the t distribution."""
        half = t_quantile(1 - (1 - level) / 2, self.df) * self.se
        return self.estimate - half, self.estimate + half


def difference(
    design: Design,
    variable: str,
    *,
    by: str | Sequence[str],
    first: Any,
    second: Any,
    codes: Iterable[Any] | None = None,
) -> Difference:
    """Compare the share of ``codes`` (or, without codes, the mean) between two domains of ``by``.

    ``by`` is a column, or several; then ``first`` and ``second`` give one value per column, e.g.
    ``by=["wave", "sex"], first=(2018, "F"), second=(2022, "F")``. Values match as texts, so
    ``"2018"`` finds the wave 2018. Comparing a domain without answers is an error.

    Examples
    --------
    >>> import polars as pl
    >>> frame = pl.DataFrame({"q": [1, 2, 3, 1, 1, 4], "wave": [2018] * 3 + [2022] * 3})
    >>> d = difference(Design.from_frame(frame), "q", by="wave", first=2018, second=2022, codes=[1])
    >>> round(d.estimate, 4), round(d.se, 4), d.df  # SE² = 6/5 · Σ z², z = ±1/9, ±2/9
    (0.3333, 0.4216, 4)
    """
    if codes is None:
        y, answered = numeric(design, variable)
        statistic: Statistic = "mean"
    else:
        y = indicator(design, variable, codes)
        answered = ~missing_mask(design.series(variable))
        statistic = "share"
    domains = design.domains(answered, by)
    positions = [_position(domains, level) for level in (first, second)]
    for position in positions:
        if domains.n[position] == 0:
            raise SurveyError(
                "survey.empty_domain",
                variable=variable,
                domain=domain_label(domains.by, domains.levels[position]),
            )
    ratio = linearise(design, variable, y, domains, binary=statistic == "share")
    both = domains.counted_rows[:, positions].sum(axis=1, keepdims=True)
    if design.replicates is None:
        cell = None if ratio.cell_influence is None else ratio.cell_influence[:, positions]
        covariance = design.covariance_of_sums(ratio.influence[:, positions], cell)
        df = int(design.degrees_of_freedom(both)[0]) - 1
    else:  # svyttest's svyglm on the rows of both domains: rank of their weights - 2
        thetas = design.replicates.ratios(y, np.ones(len(design)), domains)
        covariance = design.replicates.covariance(thetas[:, positions])
        pair = design.domains(answered & np.isin(domains.psu_slots % (domains.size + 1), positions))
        df = int(design.replicates.degrees_of_freedom(pair)[0]) - 1
    contrast = np.array([-1.0, 1.0])
    first_value, second_value = (float(ratio.values[i]) for i in positions)
    return Difference(
        variable=variable,
        statistic=statistic,
        by=domains.by or "",
        first=domains.levels[positions[0]],
        second=domains.levels[positions[1]],
        first_estimate=first_value,
        second_estimate=second_value,
        estimate=second_value - first_value,
        se=float(np.sqrt(contrast @ covariance @ contrast)),
        df=df,
    )


def _position(domains: Domains, level: Any) -> int:
    """Where ``level`` is among the domains, compared as texts (a tuple for several columns)."""
    wanted: str | tuple[str, ...]
    if isinstance(domains.by, tuple):
        values = (level,) if isinstance(level, str) or not isinstance(level, Sequence) else level
        wanted = tuple(str(value) for value in values)
        texts: list[Any] = [tuple(str(value) for value in known) for known in domains.levels]
        name, asked = " + ".join(domains.by), ", ".join(wanted)
        available = "; ".join(", ".join(text) for text in texts)
    else:
        wanted = str(level)
        texts = [str(known) for known in domains.levels]
        name, asked, available = str(domains.by), wanted, ", ".join(texts)
    if wanted in texts:
        return texts.index(wanted)
    raise SurveyError("survey.domain_unknown", variable=name, domain=asked, available=available)


@dataclass(frozen=True)
class RaoScott:
    """Pearson's X² of a weighted two-way table and its Rao-Scott second-order F test."""

    rows: str
    columns: str
    row_levels: list[Any]
    column_levels: list[Any]
    proportions: FloatArray
    pearson: float
    statistic: float
    ndf: float
    ddf: float

    @property
    def p_value(self) -> float:
        """P-value of the F statistic on (ndf, ddf) degrees of freedom."""
        return f_survival(self.statistic, self.ndf, self.ddf)


def rao_scott(
    design: Design, rows: str, columns: str, *, subset: NDArray[np.bool_] | None = None
) -> RaoScott:
    """Test the independence of two categorical variables (rows with both answers).

    The design effect matrix Δ compares the design covariance of the cell proportions with their
    multinomial covariance on the interaction contrasts; F = X² / tr(Δ) on ``tr(Δ)²/tr(Δ²)`` and
    ``ν · tr(Δ)²/tr(Δ²)`` degrees of freedom, ν = PSUs - strata (Rao and Scott, 1984).

    As R's ``svychisq``, ν counts the design's PSUs and strata, also those without a row holding
    both answers (and whatever their weights). ``subset`` (a boolean per row) restricts the test
    to those rows as R's ``svychisq(…, subset(design, …))``: ν then counts the PSUs and strata
    of the subset, unless the design is calibrated (R's subset keeps every row of a calibrated
    design, with a zero weight).
    """
    answered = ~missing_mask(design.series(rows)) & ~missing_mask(design.series(columns))
    if subset is not None:
        answered = answered & np.asarray(subset, dtype=bool)
    row_coding, column_coding = design.coding(rows), design.coding(columns)
    row_levels = sorted(set(row_coding.codes[answered].tolist()))
    column_levels = sorted(set(column_coding.codes[answered].tolist()))
    n_rows, n_columns = len(row_levels), len(column_levels)
    if n_rows < 2 or n_columns < 2:
        raise SurveyError("survey.table_too_small", rows=rows, columns=columns)
    domains = design.domains(answered)
    influences, cells, proportions, cell_indicators = [], [], [], []
    for c in column_levels:
        for r in row_levels:  # rows vary fastest, as R's interaction()
            y = ((row_coding.codes == r) & (column_coding.codes == c)).astype(np.float64)
            cell_indicators.append(y)
            ratio = linearise(design, rows, y, domains, binary=True)
            influences.append(ratio.influence[:, 0])
            if ratio.cell_influence is not None:
                cells.append(ratio.cell_influence[:, 0])
            proportions.append(float(ratio.values[0]))
    p = np.array(proportions)
    if design.replicates is None:
        covariance = design.covariance_of_sums(
            np.column_stack(influences), np.column_stack(cells) if cells else None
        )
    else:
        covariance = design.replicates.covariance(
            np.column_stack(
                [
                    design.replicates.ratios(y, np.ones(len(design)), domains)[:, 0]
                    for y in cell_indicators
                ]
            )
        )
    table = p.reshape(n_columns, n_rows).T
    expected = np.outer(table.sum(axis=1), table.sum(axis=0))
    pearson = float((((table - expected) ** 2) / expected).sum())
    contrasts = _interaction_contrasts(n_rows, n_columns)
    inverse_p = np.diag(np.where(p == 0, 0.0, 1 / np.where(p == 0, 1, p)))
    denominator = contrasts.T @ inverse_p @ contrasts
    numerator = contrasts.T @ inverse_p @ covariance @ inverse_p @ contrasts
    delta = np.linalg.solve(denominator, numerator)
    trace = float(np.trace(delta))
    ndf = trace**2 / float(np.trace(delta @ delta))
    kept = None if subset is None or design.calibration is not None else subset
    if design.replicates is None:
        nu = design.psu_strata_count(kept)
    else:  # R's degf of the (subset) replicate design
        nu = int(
            design.replicates.degrees_of_freedom(
                design.domains(
                    np.ones(len(design), dtype=bool)
                    if kept is None
                    else np.asarray(kept, dtype=bool)
                )
            )[0]
        )
    return RaoScott(
        rows=rows,
        columns=columns,
        row_levels=[row_coding.levels[r] for r in row_levels],
        column_levels=[column_coding.levels[c] for c in column_levels],
        proportions=table,
        pearson=pearson,
        statistic=pearson / trace,
        ndf=ndf,
        ddf=ndf * nu,
    )


def _interaction_contrasts(n_rows: int, n_columns: int) -> FloatArray:
    """Interaction columns of the saturated model, made orthogonal to the main effects."""
    row = np.tile(np.arange(n_rows), n_columns)
    column = np.repeat(np.arange(n_columns), n_rows)
    row_dummies = (row[:, None] == np.arange(1, n_rows)).astype(np.float64)
    column_dummies = (column[:, None] == np.arange(1, n_columns)).astype(np.float64)
    main = np.column_stack([np.ones(len(row)), row_dummies, column_dummies])
    interactions = np.einsum("ki,kj->kij", row_dummies, column_dummies).reshape(len(row), -1)
    coefficients = np.linalg.lstsq(main, interactions, rcond=None)[0]
    residuals: FloatArray = interactions - main @ coefficients
    return residuals


def independent_difference(first: Estimate, second: Estimate) -> Difference:
    """Compare two estimates from independent samples (two waves, each weighted on its own).

    The variance of the difference is the sum of the variances; the t test has the degrees of
    freedom of both designs less one, as :func:`difference` gives for the same waves stacked
    with the wave as a stratum.

    Examples
    --------
    >>> import polars as pl
    >>> from alliance.survey import share
    >>> waves = [Design.from_frame(pl.DataFrame({"q": q})) for q in ([1, 2, 3], [1, 1, 4])]
    >>> a, b = (share(w, "q", [1])[0] for w in waves)
    >>> d = independent_difference(a, b)
    >>> round(d.estimate, 4), round(d.se, 4), d.df  # as difference() with strata = wave
    (0.3333, 0.4714, 3)
    """
    return Difference(
        variable=second.variable,
        statistic=second.statistic,
        by="wave",
        first=first.group,
        second=second.group,
        first_estimate=first.estimate,
        second_estimate=second.estimate,
        estimate=second.estimate - first.estimate,
        se=float(np.sqrt(first.se**2 + second.se**2)),
        df=first.df + second.df - 1,
    )
