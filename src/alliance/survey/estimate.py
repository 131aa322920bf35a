"""Estimators: shares of answers in a set of codes (top-box), means and totals, by domain.

Every estimator takes a design and a variable and returns :class:`Estimate` values with one
vocabulary (estimate, se, ci, deff, n), like R's ``svymean`` / ``svyciprop`` / ``svytotal`` /
``svyby``. Missing answers are a domain, as R's ``subset()``: the rows stay in the design, so every
PSU still counts in the variance.

``by`` names one column or several (their combinations present in the design, as R's
``svyby(~a + b)``). A domain without any answer does not stop the others: its estimate has
``n == 0`` and NaN for the estimate, SE and interval (shares, means and totals alike), so callers
can show it as empty and say so.

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

from alliance.errors import SurveyError
from alliance.i18n import Lang
from alliance.survey import singletons
from alliance.survey.columns import FloatArray, IntArray, code_text, missing_mask
from alliance.survey.design import By, Design, Domains
from alliance.survey.distributions import beta_quantile, normal_quantile, t_quantile
from alliance.territory.geography import place_value

__all__ = ["CiMethod", "Estimate", "code_matches", "domain_label", "mean", "share", "total"]

CiMethod = Literal["logit", "beta", "wilson", "wald"]

#: An effective sample size p(1 - p)/SE² above this means the SE is a rounding residue.
DEGENERATE_SAMPLE_SIZE = 1e15
Statistic = Literal["share", "mean", "total", "quantile", "ratio", "count"]


@dataclass(frozen=True)
class Estimate:
    """One estimate with its uncertainty, for the whole sample or one domain (``group``).

    ``by`` is the domain column (a tuple of columns when there are several) and ``group`` its value
    (a tuple of values). An empty domain (no answer) has ``n == 0`` and NaN values.

    ``weight_sum`` is the domain's sum of weights (its estimated population) and ``weighted_n``
    its rows of non-zero weight (``None``: all of ``n``), which R's ``deff = TRUE`` needs
    (:attr:`deff_srswor`). A quantile has its ``probability`` and its
    ``interval``, computed by :func:`alliance.survey.quantile` at ``interval_level``; a count
    has its ``category``.
    """

    variable: str
    statistic: Statistic
    estimate: float
    se: float
    n: int
    deff: float
    df: int
    rows_in_design: int
    by: str | tuple[str, ...] | None = None
    group: Any = None
    weight_sum: float = float("nan")
    weighted_n: int | None = None
    probability: float | None = None
    category: Any = None
    interval: tuple[float, float] | None = None
    interval_level: float | None = None
    #: On a replicate design, the SE of the share's logit from the replicates' logits (R's
    #: ``svyciprop`` refits the logistic model on each replicate); None: the delta method.
    logit_se: float | None = None

    @property
    def empty(self) -> bool:
        """True when nobody in the domain answered: the estimate is NaN, not zero."""
        return self.n == 0

    @property
    def domain(self) -> str:
        """The domain for people: ``region=N``, ``sex=F, region=N``, or empty for everyone."""
        return domain_label(self.by, self.group)

    @property
    def deff_srswor(self) -> float:
        """Design effect against a simple random sample *without* replacement, R's ``deff = TRUE``.

        :attr:`deff` compares with sampling with replacement (R's ``deff = "replace"``); this one
        also counts the finite population: it is ``deff · W / (W - n)`` with ``W`` the domain's
        sum of weights. Undefined (NaN) when the weights sum to no more than the rows, e.g.
        weights scaled to the sample size, where R says "Sample size greater than population
        size" and gives NA.
        """
        counted = self.n if self.weighted_n is None else self.weighted_n  # R's nobs
        if not self.weight_sum > counted:
            return float("nan")
        return self.deff * self.weight_sum / (self.weight_sum - counted)

    def ci(
        self, method: CiMethod | Literal["normal"] = "logit", level: float = 0.95
    ) -> tuple[float, float]:
        """Return the confidence interval.

        ``logit`` (shares, default) and ``beta`` (Korn-Graubard) follow R's ``svyciprop`` with the
        design's degrees of freedom (a share of exactly 0 or 1 gets the Korn-Graubard interval,
        whose bounds stay finite); ``wilson`` uses the effective sample size; ``wald`` and
        ``normal`` are the normal interval of R's ``confint()``, the default for means and totals.
        A share strictly between 0 and 1 whose SE is a rounding residue (one that raking fixed)
        gets the degenerate interval (the estimate itself), as R's logit interval does, where
        R's ``beta`` would give NaN. Without degrees of freedom (``df == 0``), ``wilson`` gives
        NaN bounds, like ``logit`` and ``beta``: no design-based interval exists. A quantile's
        interval is the one :func:`alliance.survey.quantile` computed (Woodruff's), whatever the
        method, and only at its level.
        """
        alpha = 1 - level
        p, se = self.estimate, self.se
        if self.interval is not None:
            if self.interval_level is not None and abs(level - self.interval_level) > 1e-12:
                raise ValueError(
                    f"this interval was computed at level {self.interval_level}: "
                    "ask quantile() for another level"
                )
            return self.interval
        if self.empty or np.isnan(p):
            return float("nan"), float("nan")
        if self.statistic != "share" or method in ("wald", "normal"):
            z = normal_quantile(1 - alpha / 2)
            return p - z * se, p + z * se
        if method == "logit" and not 0 < p < 1:
            method = "beta"  # the logit of 0 or 1 is infinite: Korn-Graubard handles the edges
        if method == "logit":
            t = t_quantile(1 - alpha / 2, self.df)
            logit_se = se / (p * (1 - p)) if self.logit_se is None else self.logit_se
            if logit_se == np.inf:  # a replicate's share of 0 or 1: its logit is infinite
                return 0.0, 1.0
            centre, half = np.log(p / (1 - p)), t * logit_se
            return _expit(centre - half), _expit(centre + half)
        if method == "wilson" and self.df <= 0:
            return float("nan"), float("nan")  # no degrees of freedom: no design-based interval
        if 0 < p < 1 and (se == 0 or p * (1 - p) / se**2 > DEGENERATE_SAMPLE_SIZE):
            return p, p  # an SE that is a rounding residue (a share raking fixed): no width
        n_eff = p * (1 - p) / se**2 if se > 0 else float(self.n)
        if method == "beta":
            n_eff *= (
                t_quantile(alpha / 2, self.rows_in_design - 1) / t_quantile(alpha / 2, self.df)
            ) ** 2
            low = beta_quantile(alpha / 2, n_eff * p, n_eff * (1 - p) + 1) if p > 0 else 0.0
            high = beta_quantile(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p)) if p < 1 else 1.0
            return float(low), float(high)
        z = normal_quantile(1 - alpha / 2)
        denominator = 1 + z**2 / n_eff
        centre = (p + z**2 / (2 * n_eff)) / denominator
        half = z * np.sqrt(p * (1 - p) / n_eff + z**2 / (4 * n_eff**2)) / denominator
        return float(centre - half), float(centre + half)


def _expit(x: float) -> float:
    return float(1 / (1 + np.exp(-x)))


def domain_label(by: str | tuple[str, ...] | None, group: Any, lang: Lang | None = None) -> str:
    """Name a domain as ``column=value``, one pair per column (empty for the whole sample).

    With ``lang``, for people, a column of places shows the place's name
    (:func:`~alliance.territory.geography.place_value`): ``region=Hauts-de-France``.

    Examples
    --------
    >>> domain_label(("sex", "region"), ("F", "N"))
    'sex=F, region=N'
    >>> domain_label("wave", 2018), domain_label(None, None)
    ('wave=2018', '')
    >>> domain_label(("sex", "region"), ("F", "HDF"), "fr")
    'sex=F, region=Hauts-de-France'
    """
    if by is None:
        return ""
    names, values = ((by,), (group,)) if isinstance(by, str) else (by, group)
    return ", ".join(
        f"{name}={value if lang is None else place_value(name, value, lang)}"
        for name, value in zip(names, values, strict=True)
    )


@dataclass(frozen=True)
class Linearised:
    """Ratio estimates ``Σ w y / Σ w`` in each domain, reduced to what their variance needs.

    ``psu_influence`` is None when the variances were computed without it, by the fast path of
    designs whose PSUs are single rows (:mod:`alliance.survey.singletons`); ``variances`` then
    holds them.
    """

    domains: Domains
    values: FloatArray
    spread: FloatArray
    psu_influence: FloatArray | None
    cell_influence: FloatArray | None
    weight_sums: FloatArray | None = None
    variances: FloatArray | None = None

    @property
    def influence(self) -> FloatArray:
        """The influence totals per PSU and domain (always there unless ``influence=False``)."""
        if self.psu_influence is None:
            raise ValueError("linearise(influence=False) computed the variances only")
        return self.psu_influence


def linearise(
    design: Design,
    variable: str,
    y: FloatArray,
    domains: Domains,
    *,
    binary: bool = False,
    influence: bool = True,
) -> Linearised:
    """Ratio estimate of ``y`` in each domain, with its influence totals.

    The influence value of row i in domain d is ``w_i (y_i - R_d) / W_d``; only its sums per PSU
    (and, after raking, per weighting cell) are computed, never the n × domains matrix. An empty
    domain (no row) gets a NaN value and zero influence, so it leaves the others' variances alone.
    With ``influence=False`` (only the variances are wanted) on a design whose PSUs are single
    rows, the variances are computed directly (:mod:`alliance.survey.singletons`), without the
    million-row table of influence totals.
    """
    if not influence and design.rows_are_psus:
        fast = _linearise_rows(design, y, domains, binary=binary)
        if fast is not None:
            return fast
    n = domains.n
    empty = n == 0
    numerator_psu, numerator_cell = design.sums(y, domains)
    denominator_psu, denominator_cell = design.sums(np.ones(len(design)), domains)
    weight_sum = np.where(empty, 1.0, denominator_psu.sum(axis=0))
    centre = np.where(empty, 0.0, numerator_psu.sum(axis=0) / weight_sum)
    if binary:  # y² = y
        square_sums = numerator_psu.sum(axis=0)
    else:
        square_sums = design.sums(y * y, domains)[0].sum(axis=0)
    counted = domains.n_weighted  # R's svyvar counts the rows of non-zero weight
    spread = (square_sums / weight_sum - centre**2) * counted / np.maximum(counted - 1, 1)
    cell_influence = None
    if numerator_cell is not None and denominator_cell is not None:
        cell_influence = (numerator_cell - centre * denominator_cell) / weight_sum
    return Linearised(
        domains=domains,
        values=np.where(empty, np.nan, centre),
        spread=np.where(empty, np.nan, spread),
        psu_influence=(numerator_psu - centre * denominator_psu) / weight_sum,
        cell_influence=cell_influence,
        weight_sums=np.where(empty, np.nan, weight_sum),
    )


def _linearise_rows(
    design: Design, y: FloatArray, domains: Domains, *, binary: bool
) -> Linearised | None:
    """:func:`linearise` with the variances, on a design whose PSUs are single rows."""
    sums = singletons.ratio(design, y, domains, binary=binary)
    if sums is None or sums.variances is None:
        return None
    empty = domains.n == 0
    weight_sum = sums.weight_sum
    centre = np.where(empty, 0.0, sums.numerator / weight_sum)
    counted = domains.n_weighted
    spread = (sums.square_sums / weight_sum - centre**2) * counted / np.maximum(counted - 1, 1)
    return Linearised(
        domains=domains,
        values=np.where(empty, np.nan, centre),
        spread=np.where(empty, np.nan, spread),
        psu_influence=None,
        cell_influence=None,
        weight_sums=np.where(empty, np.nan, weight_sum),
        variances=sums.variances,
    )


def _ratio_estimates(
    design: Design,
    variable: str,
    y: FloatArray,
    answered: NDArray[np.bool_],
    statistic: Statistic,
    by: By,
) -> list[Estimate]:
    domains = design.domains(answered, by)
    ratio = linearise(design, variable, y, domains, binary=statistic == "share", influence=False)
    logit_ses: FloatArray | None = None
    if design.replicates is None:
        variances = variances_of(design, ratio)
        degrees = domain_degrees_of_freedom(design, domains)
    else:
        replicates = design.replicates
        thetas = replicates.ratios(y, np.ones(len(design)), domains)
        variances = replicates.variance(thetas)
        degrees = replicates.degrees_of_freedom(domains)
        if statistic == "share":
            with np.errstate(divide="ignore", invalid="ignore"):
                logits = np.log(thetas / (1 - thetas))
                finite = np.isfinite(logits).all(axis=0)
                logit_ses = np.where(
                    finite, np.sqrt(replicates.variance(np.where(finite, logits, 0.0))), np.inf
                )
    counted = ratio.domains.n_weighted
    results = []
    nan = float("nan")
    for j, group in enumerate(ratio.domains.levels):
        n = int(ratio.domains.n[j])
        spread = float(ratio.spread[j])
        results.append(
            Estimate(
                variable=variable,
                statistic=statistic,
                estimate=float(ratio.values[j]),
                se=float(np.sqrt(variances[j])) if n else float("nan"),
                n=n,
                deff=float(variances[j] / (spread / counted[j])) if spread > 0 else nan,
                df=int(degrees[j]),
                rows_in_design=n if design.calibration is None else len(design),
                by=ratio.domains.by,
                group=group,
                weight_sum=float(ratio.weight_sums[j]) if ratio.weight_sums is not None else nan,
                weighted_n=int(counted[j]),
                logit_se=None if logit_ses is None else float(logit_ses[j]),
            )
        )
    return results


def variances_of(design: Design, ratio: Linearised) -> FloatArray:
    """Linearisation variances of :func:`linearise`'s estimates, however it computed them."""
    if ratio.variances is not None:
        return ratio.variances
    return design.variance_of_sums(ratio.influence, ratio.cell_influence, domains=ratio.domains)


def domain_degrees_of_freedom(design: Design, domains: Domains) -> IntArray:
    """R's ``degf`` of each domain's subset (linearisation), without PSU tables when possible."""
    if design.rows_are_psus:
        return singletons.degrees_of_freedom(design, domains)
    return design.degrees_of_freedom(domains.counted_rows)


def indicator(design: Design, variable: str, codes: Iterable[Any]) -> FloatArray:
    """Return 1.0 where the answer is one of ``codes``, else 0.0 (codes as numbers or texts)."""
    matches = design.frame.select(code_matches(design, variable, codes)).to_series()
    return matches.to_numpy().astype(np.float64)


def code_matches(design: Design, variable: str, codes: Iterable[Any]) -> pl.Expr:
    """:func:`indicator` as a Polars expression (true or false, never null).

    A numeric column matches the codes as numbers (``"1"`` is 1), any other as texts (1 and 1.0
    are ``"1"``); a code that is not a number, for a numeric column, is an error.
    """
    values = design.series(variable)
    wanted = list(codes)
    column = pl.col(variable)
    if values.dtype.is_numeric():
        numbers = []
        for code in wanted:
            try:
                numbers.append(float(code))
            except (TypeError, ValueError):
                raise SurveyError(
                    "survey.code_not_numeric", variable=variable, code=str(code)
                ) from None
        matches = column.cast(pl.Float64).is_in(numbers)
    else:
        texts = {str(code) for code in wanted} | {code_text(code) for code in wanted}
        matches = column.cast(pl.String).is_in(sorted(texts))
    return matches.fill_null(False)


def numeric(design: Design, variable: str) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Return a numeric answer column with missing answers as 0, and which rows answered."""
    values = design.series(variable)
    if not values.dtype.is_numeric():
        raise SurveyError("survey.not_numeric", variable=variable, dtype=str(values.dtype))
    answered = ~missing_mask(values)
    y = values.cast(pl.Float64).fill_null(0.0).fill_nan(0.0).to_numpy().astype(np.float64)
    return y, answered


def design_effect(variances: FloatArray, srs_variances: FloatArray) -> FloatArray:
    """Divide variances by a simple random sample's, as R does.

    A positive variance over a zero one (every answer alike, yet a random domain size) is
    infinite; zero over zero is NaN.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio: FloatArray = np.asarray(variances / srs_variances, dtype=np.float64)
    return ratio


def share(design: Design, variable: str, codes: Iterable[Any], *, by: By = None) -> list[Estimate]:
    """Share of non-missing answers in ``codes`` (e.g. 1 and 2: « fort + très fort »).

    For many items, :func:`alliance.survey.batch.shares` gives the same estimates, reading each
    item's answers once for everyone and every domain.

    Examples
    --------
    >>> import polars as pl
    >>> frame = pl.DataFrame({"q": [1, 2, 3, 4, None], "w": [1.0, 1, 1, 1, 1]})
    >>> [round(e.estimate, 3) for e in share(Design.from_frame(frame, weights="w"), "q", [1, 2])]
    [0.5]
    >>> frame = frame.with_columns(sex=pl.Series(["F", "M", "F", "M", "F"]), wave=2022)
    >>> crossed = share(Design.from_frame(frame), "q", [1], by=["sex", "wave"])
    >>> [(e.group, e.estimate) for e in crossed]
    [(('F', 2022), 0.5), (('M', 2022), 0.0)]
    """
    wanted = list(codes)
    try:
        key: tuple[Any, ...] = ("share", variable, tuple(wanted))
        hash(key)
    except TypeError:
        key = ("share", variable, repr(wanted))
    y, answered = design.remember(
        key,
        lambda: (indicator(design, variable, wanted), ~missing_mask(design.series(variable))),
    )
    return _ratio_estimates(design, variable, y, answered, "share", by)


def mean(design: Design, variable: str, *, by: By = None) -> list[Estimate]:
    """Mean of a numeric variable among non-missing answers."""
    y, answered = design.remember(("numeric", variable), lambda: numeric(design, variable))
    return _ratio_estimates(design, variable, y, answered, "mean", by)


def total(design: Design, variable: str, *, by: By = None) -> list[Estimate]:
    """Estimate the population total of a numeric variable (missing answers count as absent).

    A domain without answers is marked empty (NaN), like shares and means, where R's ``svyby``
    with ``svytotal(na.rm = TRUE)`` would report 0 with an SE of 0: nobody answered, so nothing
    was measured. The design effect compares with ``W² s² / n`` (R's ``deff = "replace"``), ``s²``
    the weighted variance of the variable among the domain's answers and ``W`` their weights.
    """
    y, answered = numeric(design, variable)
    domains = design.domains(answered, by)
    psu_totals, cell_sums = design.sums(y, domains)
    if design.replicates is None:
        variances = design.variance_of_sums(psu_totals, cell_sums, domains=domains)
        degrees = design.degrees_of_freedom(domains.counted_rows)
    else:
        variances = design.replicates.variance(design.replicates.totals(y, domains))
        degrees = design.replicates.degrees_of_freedom(domains)
    spread = linearise(design, variable, y, domains)
    weight_sums = spread.weight_sums if spread.weight_sums is not None else spread.spread
    srs = spread.spread * weight_sums**2 / np.maximum(domains.n_weighted, 1)
    deff = design_effect(variances, srs)
    nan = float("nan")
    return [
        Estimate(
            variable=variable,
            statistic="total",
            estimate=float(psu_totals[:, j].sum()) if domains.n[j] else nan,
            se=float(np.sqrt(variances[j])) if domains.n[j] else nan,
            n=int(domains.n[j]),
            deff=float(deff[j]),
            df=int(degrees[j]),
            rows_in_design=len(design),
            by=domains.by,
            group=group,
            weight_sum=float(weight_sums[j]),
            weighted_n=int(domains.n_weighted[j]),
        )
        for j, group in enumerate(domains.levels)
    ]
