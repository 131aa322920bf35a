"""Design features against R's survey package on its api data (see data/README.md).

Zero weights (R's ``degf`` and design effects count only non-zero weights), a two-stage design
with an fpc per stage (``svyrecvar``'s recursion), that design raked, Rao-Scott's degrees of
freedom on the full design and on a subset, and every ``survey.lonely.psu`` rule: each figure
agrees with ``make_designs_reference.R``'s to 1e-6 relative.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from alliance.errors import DesignError
from alliance.survey import (
    Design,
    Estimate,
    RaoScott,
    difference,
    mean,
    rake,
    rao_scott,
    share,
    total,
)

pytestmark = pytest.mark.integration

DATA = Path(__file__).parent / "data"
RELATIVE = 1e-6


def expected_table() -> dict[tuple[str, str, str], dict[str, float]]:
    """``designs_expected.csv`` as {(case, design, group): {statistic: value}}."""
    table: dict[tuple[str, str, str], dict[str, float]] = {}
    with (DATA / "designs_expected.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["case"], row["design"], row["group"])
            table.setdefault(key, {})[row["statistic"]] = float(row["value"])
    return table


EXPECTED = expected_table()


def read(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA / f"designs_{name}.csv", null_values="")


@pytest.fixture(scope="module")
def zero_weights() -> Design:
    return Design.from_frame(read("apistrat"), weights="pw0", strata="stype")


@pytest.fixture(scope="module")
def two_stage() -> Design:
    return Design.from_frame(read("apiclus2"), psu=["dnum", "snum"], fpc=["fpc1", "fpc2"])


@pytest.fixture(scope="module")
def raked_two_stage(two_stage: Design) -> Design:
    margins = json.loads((DATA / "designs_clus2_margins.json").read_text())
    population_total = margins.pop("population_total")
    raked, _ = rake(two_stage, margins, population_total=population_total, tolerance=1e-13)
    return raked


def agrees(estimate: Estimate, expected: dict[str, float]) -> None:
    assert estimate.estimate == pytest.approx(expected["estimate"], rel=RELATIVE)
    assert estimate.se == pytest.approx(expected["se"], rel=RELATIVE)
    if "deff" in expected:
        assert estimate.deff == pytest.approx(expected["deff"], rel=RELATIVE)


def by_group(estimates: list[Estimate], case: str, design: str) -> None:
    for estimate in estimates:
        agrees(estimate, EXPECTED[case, design, str(estimate.group)])


# Zero weights -------------------------------------------------------------------------------


def test_zero_weights_leave_the_degrees_of_freedom(zero_weights):
    assert int(zero_weights.degrees_of_freedom()[0]) == EXPECTED["zero_weights", "degf", ""]["df"]


@pytest.mark.parametrize(
    ("design", "estimator"),
    [
        ("mean_api00", lambda d: mean(d, "api00")[0]),
        ("total_enroll", lambda d: total(d, "enroll")[0]),
        ("share_wide", lambda d: share(d, "sch.wide", ["Yes"])[0]),
    ],
    ids=["mean", "total", "share"],
)
def test_zero_weights_design_effects_count_non_zero_weights(zero_weights, design, estimator):
    agrees(estimator(zero_weights), EXPECTED["zero_weights", design, ""])


@pytest.mark.parametrize("method", ["logit", "beta"])
def test_zero_weights_intervals_use_r_degrees_of_freedom(zero_weights, method):
    expected = EXPECTED["zero_weights", "share_wide", method]

    low, high = share(zero_weights, "sch.wide", ["Yes"])[0].ci(method)

    assert low == pytest.approx(expected["ci_low"], rel=RELATIVE)
    assert high == pytest.approx(expected["ci_high"], rel=RELATIVE)


def test_zero_weights_domains(zero_weights):
    estimates = mean(zero_weights, "api00", by="awards")

    by_group(estimates, "zero_weights", "mean_api00_by_awards")
    for estimate in estimates:
        assert estimate.df == EXPECTED["zero_weights", "df_by_awards", estimate.group]["df"]


def test_zero_weights_difference_agrees_with_svyttest(zero_weights):
    expected = EXPECTED["zero_weights", "ttest_api00_awards", ""]

    result = difference(zero_weights, "api00", by="awards", first="No", second="Yes")

    assert result.estimate == pytest.approx(expected["estimate"], rel=RELATIVE)
    assert result.se == pytest.approx(expected["se"], rel=RELATIVE)
    assert result.df == expected["df"]
    assert result.p_value == pytest.approx(expected["p_value"], rel=RELATIVE)


def chisq_agrees(result: RaoScott, expected: dict[str, float]) -> None:
    assert result.statistic == pytest.approx(expected["F"], rel=RELATIVE)
    assert result.ndf == pytest.approx(expected["ndf"], rel=RELATIVE)
    assert result.ddf == pytest.approx(expected["ddf"], rel=RELATIVE)
    assert result.p_value == pytest.approx(expected["p_value"], rel=RELATIVE)


def test_zero_weights_rao_scott_counts_every_psu_as_svychisq(zero_weights):
    result = rao_scott(zero_weights, "sch.wide", "awards")

    chisq_agrees(result, EXPECTED["zero_weights", "chisq_wide_awards", ""])


# Two stages ---------------------------------------------------------------------------------


def test_two_stage_weights_come_from_the_fpc_as_in_r(two_stage):
    np.testing.assert_allclose(two_stage.weights, read("apiclus2")["pw"].to_numpy(), rtol=1e-12)
    assert int(two_stage.degrees_of_freedom()[0]) == EXPECTED["two_stage", "degf", ""]["df"]
    assert two_stage.history == ("design(psu=dnum+snum, fpc=fpc1+fpc2)",)


def test_two_stage_mean_and_total(two_stage):
    agrees(mean(two_stage, "api00")[0], EXPECTED["two_stage", "mean_api00", ""])
    agrees(total(two_stage, "enroll")[0], EXPECTED["two_stage", "total_enroll", ""])


@pytest.mark.parametrize("method", ["logit", "beta"])
def test_two_stage_share_interval(two_stage, method):
    expected = EXPECTED["two_stage", "share_wide", method]
    estimate = share(two_stage, "sch.wide", ["Yes"])[0]

    low, high = estimate.ci(method)

    assert estimate.se == pytest.approx(expected["se"], rel=RELATIVE)
    assert low == pytest.approx(expected["ci_low"], rel=RELATIVE)
    assert high == pytest.approx(expected["ci_high"], rel=RELATIVE)


def test_two_stage_domains(two_stage):
    by_group(mean(two_stage, "api00", by="stype"), "two_stage", "mean_api00_by_stype")
    by_group(total(two_stage, "enroll", by="stype"), "two_stage", "total_enroll_by_stype")


def test_two_stage_difference_and_rao_scott(two_stage):
    expected = EXPECTED["two_stage", "ttest_api00_wide", ""]

    result = difference(two_stage, "api00", by="sch.wide", first="No", second="Yes")

    assert result.se == pytest.approx(expected["se"], rel=RELATIVE)
    assert result.df == expected["df"]
    assert result.p_value == pytest.approx(expected["p_value"], rel=RELATIVE)
    chisq_agrees(
        rao_scott(two_stage, "sch.wide", "stype"), EXPECTED["two_stage", "chisq_wide_stype", ""]
    )


def test_first_stage_fpc_alone_is_refused_as_in_r():
    assert EXPECTED["first_stage_only", "two_stage_ids_one_fpc", ""]["refused"] == 1

    with pytest.raises(DesignError) as caught:
        Design.from_frame(read("apiclus2"), psu=["dnum", "snum"], fpc="fpc1")

    assert caught.value.key == "survey.fpc_stages"
    assert "--fpc" in caught.value.message("en")


def test_first_stage_alone_is_r_one_stage_design():
    design = Design.from_frame(read("apiclus2"), psu="dnum", fpc="fpc1", weights="pw")

    agrees(mean(design, "api00")[0], EXPECTED["first_stage_only", "mean_api00", ""])
    agrees(total(design, "enroll")[0], EXPECTED["first_stage_only", "total_enroll", ""])


# Raking a two-stage design ------------------------------------------------------------------


def test_raked_two_stage_weights_and_estimates(raked_two_stage):
    expected_weights = read("apiclus2")["raked_weight"].to_numpy()

    np.testing.assert_allclose(raked_two_stage.weights, expected_weights, rtol=RELATIVE)
    agrees(mean(raked_two_stage, "api00")[0], EXPECTED["raked_two_stage", "mean_api00", ""])
    agrees(total(raked_two_stage, "enroll")[0], EXPECTED["raked_two_stage", "total_enroll", ""])
    by_group(mean(raked_two_stage, "api00", by="stype"), "raked_two_stage", "mean_api00_by_stype")


@pytest.mark.parametrize("method", ["logit", "beta", "wilson"])
def test_share_fixed_by_raking_has_the_degenerate_interval(raked_two_stage, method):
    expected = EXPECTED["raked_two_stage", "share_elementary", "logit"]
    estimate = share(raked_two_stage, "stype", ["E"])[0]

    low, high = estimate.ci(method)  # R's beta gives NaN here; its logit, the estimate itself

    assert EXPECTED["raked_two_stage", "share_elementary_beta", ""]["ci_low_is_nan"] == 1
    assert estimate.se < 1e-12
    assert low == pytest.approx(expected["ci_low"], rel=RELATIVE)
    assert high == pytest.approx(expected["ci_high"], rel=RELATIVE)


# Rao-Scott degrees of freedom ---------------------------------------------------------------


def test_rao_scott_counts_every_psu_of_the_full_design():
    frame = read("apiclus1")
    design = Design.from_frame(frame, psu="dnum", weights="pw", fpc="fpc")
    answered = frame["comp.imp"].is_not_null().to_numpy()

    full = rao_scott(design, "sch.wide", "comp.imp")
    restricted = rao_scott(design, "sch.wide", "comp.imp", subset=answered)

    chisq_agrees(full, EXPECTED["raoscott_full", "chisq_wide_compimp", ""])
    chisq_agrees(restricted, EXPECTED["raoscott_subset", "chisq_wide_compimp", ""])


# Lonely PSUs --------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", ["adjust", "remove", "certainty", "average"])
def test_lonely_psu_rules_agree_with_r(rule):
    frame = read("apistrat").filter(pl.col("lonely_subset"))
    design = Design.from_frame(frame, weights="pw", strata="stype", lonely_psu=rule)
    case = f"lonely_{rule}"

    agrees(mean(design, "api00")[0], EXPECTED[case, "mean_api00", ""])
    agrees(total(design, "enroll")[0], EXPECTED[case, "total_enroll", ""])
    by_group(mean(design, "api00", by="awards"), case, "mean_api00_by_awards")
    by_group(total(design, "enroll", by="awards"), case, "total_enroll_by_awards")


def test_lonely_adjust_total_of_a_domain_missing_the_lonely_stratum_is_r_41_and_43():
    frame = read("apistrat").filter(pl.col("lonely_subset"))
    design = Design.from_frame(frame, weights="pw", strata="stype", lonely_psu="adjust")

    absent = next(e for e in total(design, "enroll", by="awards") if e.group == "Yes")

    r41 = EXPECTED["lonely_adjust", "total_enroll_by_awards_r41", "Yes"]["se"]
    assert absent.se == pytest.approx(r41, rel=RELATIVE)
