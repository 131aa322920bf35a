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
import polars as pl
from numpy.typing import NDArray
from scipy import stats

from alliance.errors import SurveyError
from alliance.survey.columns import FloatArray, missing_mask
from alliance.survey.design import Design, Domains

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
        design's degrees of freedom (a share of exactly 0 or 1 gets the Korn-Graubard interval,
        whose bounds stay finite); ``wilson`` uses the effective sample size; ``wald`` and
        ``normal`` are the normal interval of R's ``confint()``, the default for means and totals.
        """
        alpha = 1 - level
        p, se = self.estimate, self.se
        if self.statistic != "share" or method in ("wald", "normal"):
            z = float(stats.norm.ppf(1 - alpha / 2))
            return p - z * se, p + z * se
        if method == "logit" and not 0 < p < 1:
            method = "beta"  # the logit of 0 or 1 is infinite: Korn-Graubard handles the edges
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


@dataclass(frozen=True)
class Linearised:
    """Ratio estimates ``Σ w y / Σ w`` in each domain, reduced to what their variance needs."""

    domains: Domains
    values: FloatArray
    spread: FloatArray
    psu_influence: FloatArray
    cell_influence: FloatArray | None


def linearise(
    design: Design, variable: str, y: FloatArray, domains: Domains, *, binary: bool = False
) -> Linearised:
    """Ratio estimate of ``y`` in each domain, with its influence totals.

    The influence value of row i in domain d is ``w_i (y_i - R_d) / W_d``; only its sums per PSU
    (and, after raking, per weighting cell) are computed, never the n × domains matrix.
    """
    if (domains.n == 0).any():
        empty = domains.levels[int(np.argmax(domains.n == 0))]
        raise SurveyError("survey.empty_domain", variable=variable, domain=str(empty))
    numerator_psu, numerator_cell = design.sums(y, domains)
    denominator_psu, denominator_cell = design.sums(np.ones(len(design)), domains)
    weight_sum = denominator_psu.sum(axis=0)
    values = numerator_psu.sum(axis=0) / weight_sum
    if binary:  # y² = y
        square_sums = numerator_psu.sum(axis=0)
    else:
        square_sums = design.sums(y * y, domains)[0].sum(axis=0)
    n = domains.n
    spread = (square_sums / weight_sum - values**2) * n / np.maximum(n - 1, 1)
    cell_influence = None
    if numerator_cell is not None and denominator_cell is not None:
        cell_influence = (numerator_cell - values * denominator_cell) / weight_sum
    return Linearised(
        domains=domains,
        values=values,
        spread=spread,
        psu_influence=(numerator_psu - values * denominator_psu) / weight_sum,
        cell_influence=cell_influence,
    )


def _ratio_estimates(
    design: Design,
    variable: str,
    y: FloatArray,
    answered: NDArray[np.bool_],
    statistic: Statistic,
    by: str | None,
) -> list[Estimate]:
    domains = design.domains(answered, by)
    ratio = linearise(design, variable, y, domains, binary=statistic == "share")
    variances = design.variance_of_sums(ratio.psu_influence, ratio.cell_influence)
    degrees = design.degrees_of_freedom(ratio.domains.psu_rows)
    results = []
    for j, group in enumerate(ratio.domains.levels):
        n = int(ratio.domains.n[j])
        spread = float(ratio.spread[j])
        results.append(
            Estimate(
                variable=variable,
                statistic=statistic,
                estimate=float(ratio.values[j]),
                se=float(np.sqrt(variances[j])),
                n=n,
                deff=float(variances[j] / (spread / n)) if spread > 0 else float("nan"),
                df=int(degrees[j]),
                rows_in_design=n if design.calibration is None else len(design),
                by=by,
                group=group,
            )
        )
    return results


def indicator(design: Design, variable: str, codes: Iterable[Any]) -> FloatArray:
    """Return 1.0 where the answer is one of ``codes``, else 0.0 (codes as numbers or texts)."""
    values = design.series(variable)
    wanted = list(codes)
    if values.dtype.is_numeric():
        numbers = []
        for code in wanted:
            try:
                numbers.append(float(code))
            except (TypeError, ValueError):
                raise SurveyError(
                    "survey.code_not_numeric", variable=variable, code=str(code)
                ) from None
        matches = values.cast(pl.Float64).is_in(numbers)
    else:
        texts = {str(code) for code in wanted} | {_number_text(code) for code in wanted}
        matches = values.cast(pl.String).is_in(sorted(texts))
    return matches.fill_null(False).to_numpy().astype(np.float64)


def numeric(design: Design, variable: str) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Return a numeric answer column with missing answers as 0, and which rows answered."""
    values = design.series(variable)
    if not values.dtype.is_numeric():
        raise SurveyError("survey.not_numeric", variable=variable, dtype=str(values.dtype))
    answered = ~missing_mask(values)
    y = values.cast(pl.Float64).fill_null(0.0).fill_nan(0.0).to_numpy().astype(np.float64)
    return y, answered


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
    y = indicator(design, variable, codes)
    answered = ~missing_mask(design.series(variable))
    return _ratio_estimates(design, variable, y, answered, "share", by)


def mean(design: Design, variable: str, *, by: str | None = None) -> list[Estimate]:
    """Mean of a numeric variable among non-missing answers."""
    y, answered = numeric(design, variable)
    return _ratio_estimates(design, variable, y, answered, "mean", by)


def total(design: Design, variable: str, *, by: str | None = None) -> list[Estimate]:
    """Estimate the population total of a numeric variable (missing answers count as absent)."""
    y, answered = numeric(design, variable)
    domains = design.domains(answered, by)
    psu_totals, cell_sums = design.sums(y, domains)
    variances = design.variance_of_sums(psu_totals, cell_sums)
    degrees = design.degrees_of_freedom(domains.psu_rows)
    return [
        Estimate(
            variable=variable,
            statistic="total",
            estimate=float(psu_totals[:, j].sum()),
            se=float(np.sqrt(variances[j])),
            n=int(domains.n[j]),
            deff=float("nan"),
            df=int(degrees[j]),
            rows_in_design=len(design),
            by=by,
            group=group,
        )
        for j, group in enumerate(domains.levels)
    ]


def _number_text(value: Any) -> str:
    """Write 1, 1.0 and "1" alike, so numeric codes match whatever their storage."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)
