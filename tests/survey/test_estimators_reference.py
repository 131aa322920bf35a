"""Agreement with R's survey package for issue 12's estimators, on R's own ``api`` data.

Quantiles with Woodruff intervals (``svyquantile``), ratios (``svyratio``), counts of categories
(``svytotal(~factor())``), domains crossing two columns (``svyby(~x, ~a + b)``), design effects
(``deff = TRUE``) and degrees of freedom (``degf``), regressions (``svyglm``), on a stratified
sample (also with eight zero weights) and a clustered sample, raked (``rake``) and calibrated
(``calibrate``, linear, raking and logit, with and without bounds). Every value must agree with R
to 1e-6 relative; a NaN in R (an interval bound outside [0, 1]) must be a NaN here. See
data/README.md for how the reference was made.
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from alliance.survey import (
    CalibrationMethod,
    Design,
    Estimate,
    calibrate,
    count,
    glm,
    mean,
    quantile,
    rake,
    ratio,
    share,
    total,
)

pytestmark = pytest.mark.integration

DATA = Path(__file__).parent / "data"
RELATIVE = 1e-6
PROBABILITIES = [0.25, 0.5, 0.75]
CALIBRATIONS: dict[str, tuple[CalibrationMethod, tuple[float, float] | None]] = {
    "clus1_linear": ("linear", None),
    "clus1_raking": ("raking", None),
    "clus1_logit": ("logit", (0.7, 1.7)),
    "clus1_linear_bounded": ("linear", (0.8, 1.6)),
    "clus1_raking_bounded": ("raking", (0.7, 1.7)),
}


@pytest.fixture(scope="module")
def designs() -> dict[str, Design]:
    strat = pl.read_csv(DATA / "api_strat.csv")
    clus1 = pl.read_csv(DATA / "api_clus1.csv")
    built = {
        "strat": Design.from_frame(strat, weights="pw", strata="stype", fpc="fpc"),
        "strat_zero": Design.from_frame(strat, weights="pw0", strata="stype", fpc="fpc"),
        "clus1": Design.from_frame(clus1, weights="pw", psu="dnum", fpc="fpc"),
    }
    margins = json.loads((DATA / "api_rake.json").read_text(encoding="utf-8"))
    population = margins.pop("population_total")
    built["clus1_raked"] = rake(
        built["clus1"], margins, population_total=population, tolerance=1e-13
    )[0]
    targets = json.loads((DATA / "api_calibration.json").read_text(encoding="utf-8"))
    population, enroll = targets.pop("population_total"), targets.pop("enroll")
    for name, (method, bounds) in CALIBRATIONS.items():
        built[name] = calibrate(
            built["clus1"],
            targets,
            {"enroll": enroll},
            method=method,
            bounds=bounds,
            population_total=population,
            tolerance=1e-13,
        )[0]
    return built


def reference() -> dict[tuple[str, str, str, str], dict[tuple[str, str], dict[str, float]]]:
    """``estimators_expected.csv``: {(design, estimator, variable, by): {(group, key): values}}."""
    table: dict[tuple[str, str, str, str], dict[tuple[str, str], dict[str, float]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    with (DATA / "estimators_expected.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            case = (row["design"], row["estimator"], row["variable"], row["by"])
            value = float(row["value"]) if row["value"] else math.nan
            table[case][row["group"], row["key"]][row["quantity"]] = value
    return table


REFERENCE = reference()


def cases(*estimators: str) -> list[tuple[str, str, str, str]]:
    return [case for case in REFERENCE if case[1] in estimators]


def group_text(estimate: Estimate) -> str:
    """The domain as the reference writes it: the value, or ``a=x;b=y``."""
    if estimate.by is None:
        return ""
    if isinstance(estimate.by, str):
        return str(estimate.group)
    return ";".join(f"{b}={g}" for b, g in zip(estimate.by, estimate.group, strict=True))


def key_text(estimate: Estimate) -> str:
    if estimate.probability is not None:
        return f"{estimate.probability:g}"
    return "" if estimate.category is None else str(estimate.category)


def agrees(ours: float, theirs: float, scale: float) -> bool:
    """Equal to 1e-6 relative; NaN where R has NaN (or NA).

    An SE that calibration makes zero (the count of a category raked to, a total calibrated to)
    is rounding noise in both engines, about 1e-14 of the estimate: it agrees when both are below
    1e-12 of the estimate's ``scale``; its design effect is then 1e-30 or so in both (``scale``
    1). Likewise a design effect over a zero variance (a domain where every answer is the same
    category) is infinite, or 1e31 when rounding leaves a residue.
    """
    if math.isnan(theirs):
        return math.isnan(ours)
    if abs(theirs) > 1e12:
        return abs(ours) > 1e12
    if abs(theirs) < 1e-12 * scale:
        return abs(ours) < 1e-12 * scale
    return ours == pytest.approx(theirs, rel=RELATIVE, abs=0)


def with_r_weights(design: Design, name: str) -> Design:
    """The design with R's raked or calibrated weights to the last bit, for quantiles.

    A quantile compares cumulative weights with ``p × Σw``: with equal weights in a domain (every
    school of clus1 weighs the same), the share reaches ``p`` exactly and R's own rounding decides
    between two neighbouring values. The engine repeats R's arithmetic, so it decides alike on the
    same weights; raked weights that differ from R's in the last bit (test_calibrated_weights…
    checks them to 1e-6) could decide the other way.
    """
    if name not in (*CALIBRATIONS, "clus1_raked"):
        return design
    frame = pl.read_csv(DATA / "calibrated_weights.csv").filter(pl.col("design") == name)
    return design.with_weights(frame["weight"].to_numpy(), step="R's weights")


def ours_for(design: Design, estimator: str, variable: str, by: str) -> list[Estimate]:
    domains = by.split(",") if "," in by else (by or None)
    if estimator == "quantile":
        return quantile(design, variable, PROBABILITIES, by=domains)
    if estimator == "ratio":
        numerator, denominator = variable.split("/")
        return ratio(design, numerator, denominator, by=domains)
    if estimator == "count":
        return count(design, variable, by=domains)
    if estimator == "share":
        return share(design, variable, ["Yes"], by=domains)
    if estimator == "mean":
        return mean(design, variable, by=domains)
    return total(design, variable, by=domains)


def quantities(estimate: Estimate) -> dict[str, float]:
    low, high = estimate.ci("normal")
    return {
        "estimate": estimate.estimate,
        "se": estimate.se,
        "ci_low": low,
        "ci_high": high,
        "deff": estimate.deff_srswor,
        "df": float(estimate.df),
    }


@pytest.mark.parametrize(
    "case", cases("quantile", "ratio", "count", "mean", "share", "total"), ids="-".join
)
def test_estimates_agree_with_r(designs, case):
    design, estimator, variable, by = case
    expected = REFERENCE[case]

    sample = with_r_weights(designs[design], design) if estimator == "quantile" else designs[design]
    ours = ours_for(sample, estimator, variable, by)
    found = {(group_text(e), key_text(e)): quantities(e) for e in ours}

    assert set(found) >= set(expected)
    in_order = list(dict.fromkeys(group_text(e) for e in ours))
    assert in_order == list(dict.fromkeys(group for group, _ in expected))  # svyby's order
    for where, values in expected.items():
        for quantity, theirs in values.items():
            scale = {"se": abs(values["estimate"]), "deff": 1.0}.get(quantity, abs(theirs))
            assert agrees(found[where][quantity], theirs, scale), (where, quantity, theirs)


@pytest.mark.parametrize("case", cases("glm_gaussian", "glm_binomial"), ids="-".join)
def test_regressions_agree_with_svyglm(designs, case):
    design, estimator, formula, _ = case
    expected = REFERENCE[case]

    model = glm(designs[design], formula, family=estimator.removeprefix("glm_"))

    assert [c.term for c in model.coefficients] == [key for _, key in expected]
    for coefficient in model.coefficients:
        theirs = expected["", coefficient.term]
        assert coefficient.estimate == pytest.approx(theirs["estimate"], rel=RELATIVE)
        assert coefficient.se == pytest.approx(theirs["se"], rel=RELATIVE)
        assert coefficient.statistic == pytest.approx(theirs["statistic"], rel=RELATIVE)
        assert coefficient.df == theirs["df"]
        assert coefficient.p_value == pytest.approx(theirs["p_value"], rel=RELATIVE)


@pytest.mark.parametrize("name", [*CALIBRATIONS, "clus1_raked"])
def test_calibrated_weights_agree_with_r(designs, name):
    frame = pl.read_csv(DATA / "calibrated_weights.csv").filter(pl.col("design") == name)

    np.testing.assert_allclose(designs[name].weights, frame["weight"].to_numpy(), rtol=RELATIVE)
