"""Agreement with R's ``svrepdesign`` for replicate weight designs, on R's own ``api`` data.

R built the replicate weights (``as.svrepdesign``: JK1 on ``apiclus1``, JKn on ``apistrat``, BRR
and Fay on a two-PSUs-per-stratum version of ``apistrat``, the bootstrap on ``apiclus1``), wrote
them as analysis weights ``rep_1…`` and computed every statistic on ``svrepdesign(…,
combined.weights = TRUE)`` read back from the same CSV files that are read here with the
replicate columns' prefix. Regressions (``svyglm``) and design effects (``deff = TRUE``) on the
same designs are in ``replicates_models_expected.csv``. Every value must agree with R to 1e-6
relative. See data/README.md.
"""

from __future__ import annotations

import csv
import math
from dataclasses import replace
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl
import pytest

from alliance.errors import SurveyError
from alliance.survey import (
    CiMethod,
    Design,
    calibrate,
    count,
    difference,
    glm,
    mean,
    quantile,
    rake,
    rao_scott,
    ratio,
    share,
    total,
)

pytestmark = pytest.mark.integration

DATA = Path(__file__).parent / "data"
RELATIVE = 1e-6
TYPES = {"JK1": "jk1", "JKn": "jkn", "BRR": "brr", "Fay": "fay", "bootstrap": "bootstrap"}
RHO = {"pairs_fay": 0.5}
Reference = dict[tuple[str, str, str, str, str, str, str], float]


@pytest.fixture(scope="module")
def expected() -> Reference:
    with (DATA / "replicates_expected.csv").open(encoding="utf-8") as handle:
        return {
            (
                r["design"],
                r["estimator"],
                r["variable"],
                r["by"],
                r["group"],
                r["key"],
                r["quantity"],
            ): float(r["value"]) if r["value"] not in ("NA", "NaN") else math.nan
            for r in csv.DictReader(handle)
        }


@pytest.fixture(scope="module")
def models_expected() -> Reference:
    """svyglm and deff = TRUE on the same designs (make_replicates_models_reference.R)."""
    with (DATA / "replicates_models_expected.csv").open(encoding="utf-8") as handle:
        return {
            (
                r["design"],
                r["estimator"],
                r["variable"],
                r["by"],
                r["group"],
                r["key"],
                r["quantity"],
            ): float(r["value"])
            for r in csv.DictReader(handle)
        }


def _scales() -> dict[str, dict[str, str]]:
    with (DATA / "replicates_rscales.csv").open(encoding="utf-8") as handle:
        return {row["design"]: row for row in csv.DictReader(handle)}


def frame(name: str) -> pl.DataFrame:
    """The data R wrote, with ``yes`` (1 when ``awards`` is Yes) as R adds it."""
    data = pl.read_csv(DATA / f"replicates_{name}.csv", infer_schema_length=None)
    return data.with_columns(yes=(pl.col("awards") == "Yes").cast(pl.Float64))


def load(name: str) -> Design:
    """The replicate design of ``name`` from its CSV, as ``--replicates rep_`` builds it."""
    scales = _scales()[name]
    kind = TYPES[scales["type"]]
    rscales = [float(v) for v in scales["rscales"].split(";")] if kind == "jkn" else None
    return Design.from_frame(
        frame(name),
        weights="pw",
        replicates="rep_",
        replicate_type=kind,
        rho=RHO.get(name),
        rscales=rscales,
    )


@pytest.fixture(scope="module")
def designs() -> dict[str, Design]:
    built = {name: load(name) for name in _scales()}
    margins = {
        "stype": {"E": 4421, "H": 755, "M": 1018},
        "sch.wide": {"No": 1072, "Yes": 5122},
    }
    built["clus1_jk1_raked"] = rake(built["clus1_jk1"], margins, tolerance=1e-14)[0]
    return built


NAMES = [*_scales(), "clus1_jk1_raked"]


def close(found: float, wanted: float) -> None:
    assert found == pytest.approx(wanted, rel=RELATIVE, nan_ok=True)


@pytest.mark.parametrize("name", NAMES)
def test_means_totals_and_shares_agree_with_r(
    name: str, designs: dict[str, Design], expected: Reference
) -> None:
    design = designs[name]
    for by, key in ((None, ""), ("stype", "stype")):
        for e in mean(design, "api00", by=by):
            group = "" if by is None else str(e.group)
            close(e.estimate, expected[name, "mean", "api00", key, group, "", "estimate"])
            close(e.se, expected[name, "mean", "api00", key, group, "", "se"])
        for e in total(design, "enroll", by=by):
            group = "" if by is None else str(e.group)
            close(e.estimate, expected[name, "total", "enroll", key, group, "", "estimate"])
            close(e.se, expected[name, "total", "enroll", key, group, "", "se"])
        for e in share(design, "awards", ["Yes"], by=by):
            group = "" if by is None else str(e.group)
            methods: tuple[CiMethod, ...] = ("logit", "beta") if by is None else ("logit",)
            for method in methods:
                cell = (name, "share", "yes", key, group, method)
                close(e.estimate, expected[(*cell, "estimate")])
                close(e.se, expected[(*cell, "se")])
                if method == "logit" and e.logit_se == math.inf:
                    # A replicate without a school of the domain, or with a share of 0 or 1:
                    # R's glm stops short of an infinite logit; the interval here is [0, 1].
                    assert e.ci(method) == (0.0, 1.0)
                    continue
                low, high = e.ci(method)
                close(low, expected[(*cell, "ci_low")])
                close(high, expected[(*cell, "ci_high")])
            close(e.df, expected[name, "degf", "", key, group, "", "value"])


@pytest.mark.parametrize("name", NAMES)
def test_ratios_counts_and_quantiles_agree_with_r(
    name: str, designs: dict[str, Design], expected: Reference
) -> None:
    design = designs[name]
    (r,) = ratio(design, "api.stu", "enroll")
    close(r.estimate, expected[name, "ratio", "api.stu/enroll", "", "", "", "estimate"])
    close(r.se, expected[name, "ratio", "api.stu/enroll", "", "", "", "se"])
    for c in count(design, "awards"):
        close(c.estimate, expected[name, "count", "awards", "", "", str(c.category), "estimate"])
        close(c.se, expected[name, "count", "awards", "", "", str(c.category), "se"])
    for q in quantile(design, "api00", [0.25, 0.5, 0.75]):
        key = str(q.probability)
        close(q.estimate, expected[name, "quantile", "api00", "", "", key, "estimate"])
        low, high = q.ci()
        close(low, expected[name, "quantile", "api00", "", "", key, "ci_low"])
        close(high, expected[name, "quantile", "api00", "", "", key, "ci_high"])
        close(q.se, expected[name, "quantile", "api00", "", "", key, "se"])


@pytest.mark.parametrize("name", NAMES)
def test_differences_and_rao_scott_agree_with_r(
    name: str, designs: dict[str, Design], expected: Reference
) -> None:
    design = designs[name]
    for variable, codes in (("api00", None), ("awards", ["Yes"])):
        d = difference(design, variable, by="stype", first="E", second="H", codes=codes)
        key = (name, "difference", "api00" if codes is None else "yes", "stype", "E;H", "")
        close(d.estimate, expected[(*key, "estimate")])
        close(d.se, expected[(*key, "se")])
        assert d.df == expected[(*key, "df")]
        close(d.p_value, expected[(*key, "p")])
    test = rao_scott(design, "sch.wide", "stype")
    key = (name, "raoscott", "sch.wide", "stype", "", "")
    close(test.statistic, expected[(*key, "statistic")])
    close(test.ndf, expected[(*key, "ndf")])
    close(test.ddf, expected[(*key, "ddf")])
    close(test.p_value, expected[(*key, "p")])


def test_raked_replicate_weights_agree_with_r(designs: dict[str, Design]) -> None:
    raked = pl.read_csv(DATA / "replicates_raked_weights.csv")["weight"].to_numpy()
    np.testing.assert_allclose(designs["clus1_jk1_raked"].weights, raked, rtol=1e-10)


@pytest.mark.parametrize(
    ("name", "kind", "psu", "strata"),
    [
        ("clus1_jk1", "jk1", "dnum", None),
        ("strat_jkn", "jkn", None, "stype"),
    ],
)
def test_built_jackknife_is_r_s_as_svrepdesign(
    name: str,
    kind: str,
    psu: str | None,
    strata: str | None,
    designs: dict[str, Design],
    expected: Reference,
) -> None:
    data = frame(name)
    built = Design.from_frame(data, weights="pw", psu=psu, strata=strata).to_replicates(kind)
    mine_rep, theirs_rep = built.replicates, designs[name].replicates
    assert mine_rep is not None
    assert theirs_rep is not None
    mine = np.sort(mine_rep.weights, axis=1)
    theirs = np.sort(theirs_rep.weights, axis=1)
    np.testing.assert_allclose(mine, theirs, rtol=1e-12)
    for by, key in ((None, ""), ("stype", "stype")):
        for e in mean(built, "api00", by=by):
            group = "" if by is None else str(e.group)
            close(e.se, expected[name, "mean", "api00", key, group, "", "se"])
        for e in share(built, "awards", ["Yes"], by=by):
            group = "" if by is None else str(e.group)
            low = e.ci("logit")[0]
            close(low, expected[name, "share", "yes", key, group, "logit", "ci_low"])
            assert e.df == expected[name, "degf", "", key, group, "", "value"]


MODELS = [
    ("gaussian", "api00 ~ enroll + stype"),
    ("gaussian", "api00 ~ enroll_na + stype"),
    ("binomial", "yes ~ api00 + enroll"),
    ("binomial", "yes ~ api00 + stype"),
]


def with_missing_enroll(design: Design) -> Design:
    """Add R's ``enroll_na``: ``enroll`` missing on rows 7, 14, 21… (the model drops them)."""
    missing = pl.Series((np.arange(len(design)) + 1) % 7 == 0)
    column = pl.when(missing).then(None).otherwise(pl.col("enroll")).alias("enroll_na")
    return replace(design, frame=design.frame.with_columns(column))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("family", "formula"), MODELS)
def test_regressions_agree_with_svyglm_on_replicates(
    name: str,
    family: Literal["gaussian", "binomial"],
    formula: str,
    designs: dict[str, Design],
    models_expected: Reference,
) -> None:
    design = with_missing_enroll(designs[name])
    if (name, formula) == ("clus1_boot", "yes ~ api00 + stype"):
        # Replicate 17 has an award in every high school: its stypeH runs off to infinity. R's
        # IRLS stops where its deviance stops moving (29.7), and that arbitrary value makes
        # R's SE of stypeH; here the fit is refused, naming the replicate.
        with pytest.raises(SurveyError) as caught:
            glm(design, formula, family=family)
        assert caught.value.key == "survey.model_replicate_separated"
        assert "17" in str(caught.value)
        return

    model = glm(design, formula, family=family)

    cell = (name, f"glm_{family}", formula, "", "")
    terms = [key for (*where, key, quantity) in models_expected if tuple(where) == cell]
    assert [c.term for c in model.coefficients] == list(dict.fromkeys(terms))
    for c in model.coefficients:
        close(c.estimate, models_expected[(*cell, c.term, "estimate")])
        close(c.se, models_expected[(*cell, c.term, "se")])
        close(c.statistic, models_expected[(*cell, c.term, "statistic")])
        close(c.p_value, models_expected[(*cell, c.term, "p_value")])
        assert c.df == models_expected[(*cell, c.term, "df")]  # the whole design's degf + 1 - p
    assert model.discarded_replicates == 0


@pytest.mark.parametrize("name", NAMES)
def test_design_effects_are_the_replicate_variance_over_r_s_srs_variance(
    name: str, designs: dict[str, Design], models_expected: Reference
) -> None:
    design = designs[name]
    for by, key in ((None, ""), ("stype", "stype")):
        found = [
            ("mean", "api00", mean(design, "api00", by=by)),
            ("share", "yes", share(design, "awards", ["Yes"], by=by)),
            ("total", "enroll", total(design, "enroll", by=by)),
        ]
        for estimator, variable, estimates in found:
            for e in estimates:
                cell = (name, estimator, variable, key, "" if by is None else str(e.group), "")
                close(e.deff_srswor, models_expected[(*cell, "deff")])  # deff = TRUE
                close(e.deff, models_expected[(*cell, "deff_replace")])  # deff = "replace"
    for c in count(design, "awards"):
        cell = (name, "count", "awards", "", "", str(c.category))
        close(c.deff_srswor, models_expected[(*cell, "deff")])
        close(c.deff, models_expected[(*cell, "deff_replace")])


CALIBRATED = {
    "linear": ("linear", None),
    "raking": ("raking", None),
    "logit": ("logit", (0.5, 2.5)),
    "linear_bounded": ("linear", (0.5, 2.5)),
}


@pytest.fixture(scope="module")
def calibrated_expected() -> dict[tuple[str, str, str, str], float]:
    """make_replicates_calibration_reference.R: calibrate() on svrepdesign, every replicate too."""
    with (DATA / "replicates_calibrated_expected.csv").open(encoding="utf-8") as handle:
        return {
            (r["design"], r["estimator"], r["variable"], r["quantity"]): float(r["value"])
            for r in csv.DictReader(handle)
        }


@pytest.mark.parametrize("case", CALIBRATED)
@pytest.mark.parametrize("name", ["clus1_jk1", "strat_jkn"])
def test_calibrated_replicates_agree_with_r(
    name: str,
    case: str,
    designs: dict[str, Design],
    calibrated_expected: dict[tuple[str, str, str, str], float],
) -> None:
    method, bounds = CALIBRATED[case]
    targets = {"stype": {"E": 4421, "H": 755, "M": 1018}}
    design, _ = calibrate(
        designs[name],
        targets,
        {"enroll": 3811472.0},
        method=method,  # type: ignore[arg-type]
        bounds=bounds,
        population_total=6194.0,
        tolerance=1e-13,
    )
    key = f"{name}_{case}"
    weights = pl.read_csv(DATA / "replicates_calibrated_weights.csv").filter(design=key)
    np.testing.assert_allclose(design.weights, weights["weight"].to_numpy(), rtol=RELATIVE)
    assert design.replicates is not None
    assert design.calibration is None  # SEs come from the calibrated replicates, as in R
    close(
        float(design.replicates.weights.max()),
        calibrated_expected[key, "replicate_weights", "", "max"],
    )
    [m] = mean(design, "api00")
    close(m.estimate, calibrated_expected[key, "mean", "api00", "estimate"])
    close(m.se, calibrated_expected[key, "mean", "api00", "se"])
    [s] = share(design, "awards", ["Yes"])
    close(s.estimate, calibrated_expected[key, "share", "yes", "estimate"])
    close(s.se, calibrated_expected[key, "share", "yes", "se"])
    [t] = total(design, "enroll")
    close(t.estimate, calibrated_expected[key, "total", "enroll", "estimate"])
    # Calibrated to enrolment, every replicate has the same total: R's SE is rounding noise.
    assert t.se < 1e-6 * t.estimate
