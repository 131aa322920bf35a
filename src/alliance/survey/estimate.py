"""Estimators: shares of answers in a set of codes (top-box), means and totals, by domain.

Every estimator takes a design and a variable and returns :class:`Estimate` values with one
vocabulary (estimate, se, ci, deff, n), like R's ``svymean`` / ``svyciprop`` / ``svytotal`` /
``svyby``. Missing answers are a domain, as R's ``subset()``: the rows stay in the design, so every
PSU still counts in the variance.

Influence values (linearisation) for a ratio ``R = Σ w d y / Σ w d`` in domain ``d``:
``z_i = w_i d_i (y_i - R) / Σ w d``; for a total ``Σ w d y``: ``z_i = w_i d_i y_i``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from alliance.errors import SurveyError
from alliance.survey.design import Design, FloatArray, encode, is_missing

__all__ = ["CiMethod", "Estimate", "mean", "share", "total"]

CiMethod = Literal["logit", "beta", "wilson", "wald"]
Statistic = Literal["share", "mean", "total"]


@dataclass(frozen=True)
class Estimate:
    """One estimate with its uncertainty, for the whole sample or one domain (``group``)."""

    variable: str
    statistic: Statistic
    estimate: float
    se: float
    n: int
    deff: float
    df: int
    rows_in_design: int
    by: str | None = None
    group: Any = None

    def ci(
        self, method: CiMethod | Literal["normal"] = "logit", level: float = 0.95
    ) -> tuple[float, float]:
        """Return the confidence interval.

        ``logit`` (shares, default) and ``beta`` (Korn-Graubard) follow R's ``svyciprop`` with the
        design's degrees of freedom; ``wilson`` uses the effective sample size; ``wald`` and
        ``normal`` are the normal interval of R's ``confint()``, the default for means and totals.
        """
        alpha = 1 - level
        p, se = self.estimate, self.se
        if self.statistic != "share" or method in ("wald", "normal"):
            z = float(stats.norm.ppf(1 - alpha / 2))
            return p - z * se, p + z * se
        if method == "logit":
            t = stats.t.ppf(1 - alpha / 2, self.df)
            centre, half = np.log(p / (1 - p)), t * se / (p * (1 - p))
            return _expit(centre - half), _expit(centre + half)
        n_eff = p * (1 - p) / se**2 if se > 0 else float(self.n)
        if method == "beta":
            n_eff *= (
                stats.t.ppf(alpha / 2, self.rows_in_design - 1) / stats.t.ppf(alpha / 2, self.df)
            ) ** 2
            low = stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1) if p > 0 else 0.0
            high = stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p)) if p < 1 else 1.0
            return float(low), float(high)
        z = stats.norm.ppf(1 - alpha / 2)
        denominator = 1 + z**2 / n_eff
        centre = (p + z**2 / (2 * n_eff)) / denominator
        half = z * np.sqrt(p * (1 - p) / n_eff + z**2 / (4 * n_eff**2)) / denominator
        return float(centre - half), float(centre + half)


def _expit(x: float) -> float:
    return float(1 / (1 + np.exp(-x)))


def _domains(design: Design, by: str | None) -> list[tuple[Any, NDArray[np.bool_]]]:
    everyone = np.ones(len(design), dtype=bool)
    if by is None:
        return [(None, everyone)]
    levels, codes = encode(design.column(by).astype(str))
    return [
        (level.item() if hasattr(level, "item") else level, codes == g)
        for g, level in enumerate(levels)
    ]


def _ratio_estimates(
    design: Design,
    variable: str,
    y: FloatArray,
    answered: NDArray[np.bool_],
    statistic: Statistic,
    by: str | None,
) -> list[Estimate]:
    w = design.weights
    results = []
    domains = _domains(design, by)
    columns = np.zeros((len(design), len(domains)))
    points = []
    for j, (group, rows) in enumerate(domains):
        d = answered & rows
        if not d.any():
            raise SurveyError("survey.empty_domain", variable=variable, domain=str(group))
        weight_sum = w[d].sum()
        value = float((w[d] * y[d]).sum() / weight_sum)
        columns[d, j] = w[d] * (y[d] - value) / weight_sum
        points.append((group, d, value, weight_sum))
    variances = design.variance(columns)
    for (group, d, value, weight_sum), variance in zip(points, variances, strict=True):
        n = int(d.sum())
        spread = (w[d] * (y[d] - value) ** 2).sum() / weight_sum * n / max(n - 1, 1)
        rows_in_design = n if not design.raking_margins else len(design)
        results.append(
            Estimate(
                variable=variable,
                statistic=statistic,
                estimate=value,
                se=float(np.sqrt(variance)),
                n=n,
                deff=float(variance / (spread / n)) if spread > 0 else float("nan"),
                df=design.degrees_of_freedom(d),
                rows_in_design=rows_in_design,
                by=by,
                group=group,
            )
        )
    return results


def share(
    design: Design, variable: str, codes: Iterable[Any], *, by: str | None = None
) -> list[Estimate]:
    """Share of non-missing answers in ``codes`` (e.g. 1 and 2: « fort + très fort »).

    Examples
    --------
    >>> import polars as pl
    >>> frame = pl.DataFrame({"q": [1, 2, 3, 4, None], "w": [1.0, 1, 1, 1, 1]})
    >>> [round(e.estimate, 3) for e in share(Design.from_frame(frame, weights="w"), "q", [1, 2])]
    [0.5]
    """
    values = design.column(variable)
    answered = ~is_missing(values)
    wanted = {str(code) for code in codes} | {_number_text(code) for code in codes}
    texts = np.array([_number_text(v) for v in values])
    y = np.isin(texts, list(wanted)).astype(np.float64)
    return _ratio_estimates(design, variable, y, answered, "share", by)


def mean(design: Design, variable: str, *, by: str | None = None) -> list[Estimate]:
    """Mean of a numeric variable among non-missing answers."""
    values = design.column(variable).astype(np.float64)
    answered = ~np.isnan(values)
    return _ratio_estimates(design, variable, np.nan_to_num(values), answered, "mean", by)


def total(design: Design, variable: str, *, by: str | None = None) -> list[Estimate]:
    """Estimate the population total of a numeric variable (missing answers count as absent)."""
    values = design.column(variable).astype(np.float64)
    answered = ~np.isnan(values)
    y = np.nan_to_num(values)
    w = design.weights
    domains = _domains(design, by)
    columns = np.zeros((len(design), len(domains)))
    for j, (_, rows) in enumerate(domains):
        d = answered & rows
        columns[d, j] = w[d] * y[d]
    variances = design.variance(columns)
    results = []
    for j, (group, rows) in enumerate(domains):
        d = answered & rows
        n = int(d.sum())
        results.append(
            Estimate(
                variable=variable,
                statistic="total",
                estimate=float(columns[:, j].sum()),
                se=float(np.sqrt(variances[j])),
                n=n,
                deff=float("nan"),
                df=design.degrees_of_freedom(d),
                rows_in_design=len(design),
                by=by,
                group=group,
            )
        )
    return results


def _number_text(value: Any) -> str:
    """Write 1, 1.0 and "1" alike, so numeric codes match whatever their storage."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)
