"""Agreement with R's survey package on the likert-4000 reference (see data/README.md).

Every estimate, standard error, interval bound, test statistic and p-value, on the base design and
after raking, overall and by region, must agree with R to 1e-6 relative; so must the raked and
trimmed weights.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from alliance.survey import Design, Estimate, difference, mean, rake, rao_scott, share, total, trim

pytestmark = pytest.mark.integration

DATA = Path(__file__).parent / "data"
RELATIVE = 1e-6


@pytest.fixture(scope="module")
def designs() -> dict[str, Design]:
    frame = pl.read_csv(DATA / "responses.csv")
    base = Design.from_frame(frame, weights="base_weight", strata="stratum", psu="psu", nest=True)
    margins = json.loads((DATA / "margins.json").read_text())
    total = margins.pop("population_total")
    raked, _ = rake(base, margins, population_total=total, tolerance=1e-13)
    return {"base": base, "raked": raked}


def reference_rows(*, tests: bool = False) -> list[dict[str, str]]:
    """Rows of ``expected.csv``: estimates, or (``tests``) the Rao-Scott tests."""
    with (DATA / "expected.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row for row in rows if ("raoscott" in row["indicator"]) == tests]


def row_id(row: dict[str, str]) -> str:
    return "-".join(
        part for part in (row["design"], row["indicator"], row["group"], row["ci_method"]) if part
    )


def our_estimate(design: Design, row: dict[str, str]) -> Estimate:
    variable, _, kind = row["indicator"].partition("_")
    if kind == "mean":
        return mean(design, variable)[0]
    estimates = share(design, variable, [1, 2], by=row["by"] or None)
    return next(e for e in estimates if not row["by"] or e.group == row["group"])


@pytest.mark.parametrize("row", reference_rows(), ids=row_id)
def test_estimate_se_and_interval_agree_with_r(designs, row):
    estimate = our_estimate(designs[row["design"]], row)

    assert estimate.estimate == pytest.approx(float(row["estimate"]), rel=RELATIVE)
    assert estimate.se == pytest.approx(float(row["se"]), rel=RELATIVE)
    if row["ci_method"] in ("logit", "beta"):
        low, high = estimate.ci(row["ci_method"])
        assert low == pytest.approx(float(row["ci_low"]), rel=RELATIVE)
        assert high == pytest.approx(float(row["ci_high"]), rel=RELATIVE)


def test_raked_weights_agree_with_r(designs):
    expected = pl.read_csv(DATA / "raked_weights.csv")["weight"].to_numpy()

    np.testing.assert_allclose(designs["raked"].weights, expected, rtol=RELATIVE)


def test_raked_design_keeps_its_history(designs):
    assert designs["raked"].history == (
        "design(weights=base_weight, strata=stratum, psu=psu)",
        "rake(sex, age, region; 7 iterations)",
    )


def extra_rows() -> dict[tuple[str, str, str], dict[str, float]]:
    """``extra_expected.csv`` as {(case, design, item): {statistic: value}}."""
    table: dict[tuple[str, str, str], dict[str, float]] = {}
    with (DATA / "extra_expected.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["case"], row["design"], row["item"])
            table.setdefault(key, {})[row["statistic"]] = float(row["value"])
    return table


EXTRA = extra_rows()


def extra_cases(prefix: str) -> list[tuple[str, str, str]]:
    return [key for key in EXTRA if key[0].startswith(prefix)]


@pytest.mark.parametrize("key", extra_cases("difference_sex"), ids="-".join)
def test_difference_of_domain_shares_agrees_with_svyttest(designs, key):
    _, design, item = key
    expected = EXTRA[key]

    result = difference(designs[design], item, by="sex", first="F", second="M", codes=[1, 2])

    assert result.estimate == pytest.approx(expected["estimate"], rel=RELATIVE)
    assert result.se == pytest.approx(expected["se"], rel=RELATIVE)
    assert result.df == expected["df"]
    assert result.p_value == pytest.approx(expected["p_value"], rel=RELATIVE)


@pytest.mark.parametrize("key", extra_cases("raoscott_sex"), ids="-".join)
def test_rao_scott_f_agrees_with_svychisq(designs, key):
    _, design, item = key
    expected = EXTRA[key]

    result = rao_scott(designs[design], item, "sex")

    assert result.statistic == pytest.approx(expected["F"], rel=RELATIVE)
    assert result.ndf == pytest.approx(expected["ndf"], rel=RELATIVE)
    assert result.ddf == pytest.approx(expected["ddf"], rel=RELATIVE)
    assert result.p_value == pytest.approx(expected["p_value"], rel=RELATIVE)


@pytest.mark.parametrize("row", reference_rows(tests=True), ids=row_id)
def test_rao_scott_of_the_shared_reference(designs, row):
    variable = row["indicator"].partition("_")[0]

    result = rao_scott(designs["raked"], variable, "sex")

    assert result.statistic == pytest.approx(float(row["estimate"]), rel=RELATIVE)
    assert result.p_value == pytest.approx(float(row["ci_low"]), rel=RELATIVE)


@pytest.mark.parametrize("key", extra_cases("total"), ids="-".join)
def test_total_agrees_with_svytotal(designs, key):
    _, design, item = key

    result = total(designs[design], item)[0]

    assert result.estimate == pytest.approx(EXTRA[key]["estimate"], rel=RELATIVE)
    assert result.se == pytest.approx(EXTRA[key]["se"], rel=RELATIVE)


@pytest.mark.parametrize("key", extra_cases("mean_region_"), ids="-".join)
def test_mean_by_region_agrees_with_svyby(designs, key):
    case, design, item = key
    region = case.removeprefix("mean_region_")

    result = next(e for e in mean(designs[design], item, by="region") if e.group == region)

    assert result.estimate == pytest.approx(EXTRA[key]["estimate"], rel=RELATIVE)
    assert result.se == pytest.approx(EXTRA[key]["se"], rel=RELATIVE)


@pytest.mark.parametrize("strict", [False, True], ids=["once", "strict"])
def test_trimming_agrees_with_trim_weights(designs, strict):
    name = "strict" if strict else "trimmed"
    expected = pl.read_csv(DATA / "trimmed_weights.csv")[name].to_numpy()

    trimmed = trim(designs["raked"], lower=0.5, upper=2, strict=strict)
    estimate = share(trimmed, "q1", [1, 2])[0]

    np.testing.assert_allclose(trimmed.weights, expected, rtol=RELATIVE)
    assert estimate.estimate == pytest.approx(EXTRA["trim_share", name, "q1"]["estimate"])
    assert estimate.se == pytest.approx(EXTRA["trim_share", name, "q1"]["se"], rel=RELATIVE)


def test_fpc_agrees_with_r():
    frame = pl.read_csv(DATA / "responses.csv").with_columns(fpc=pl.lit(400))
    design = Design.from_frame(
        frame, weights="base_weight", strata="stratum", psu="psu", nest=True, fpc="fpc"
    )

    estimate = share(design, "q1", [1, 2])[0]

    assert estimate.estimate == pytest.approx(EXTRA["fpc_share", "fpc", "q1"]["estimate"])
    assert estimate.se == pytest.approx(EXTRA["fpc_share", "fpc", "q1"]["se"], rel=RELATIVE)


def test_lonely_psu_adjustment_agrees_with_r():
    kept = pl.read_csv(DATA / "lonely_ids.csv")
    frame = pl.read_csv(DATA / "responses.csv").join(kept, on="id", how="semi")
    design = Design.from_frame(
        frame, weights="base_weight", strata="stratum", psu="psu", nest=True, lonely_psu="adjust"
    )

    estimate = mean(design, "q1")[0]

    expected = EXTRA["lonely_adjust_mean", "lonely", "q1"]
    assert estimate.estimate == pytest.approx(expected["estimate"], rel=RELATIVE)
    assert estimate.se == pytest.approx(expected["se"], rel=RELATIVE)


def domain_rows(design: str, statistic: str) -> list[dict[str, str]]:
    """Rows of ``domains_expected.csv`` for one design and statistic, in svyby's order."""
    with (DATA / "domains_expected.csv").open(encoding="utf-8") as handle:
        rows = [
            row
            for row in csv.DictReader(handle)
            if (row["design"], row["statistic"]) == (design, statistic)
        ]
    return sorted(rows, key=lambda row: int(row["order"]))


@pytest.mark.parametrize("design", ["base", "raked"])
@pytest.mark.parametrize("statistic", ["share_q1", "mean_q2", "total_q3"])
def test_domains_by_two_columns_agree_with_svyby(designs, design, statistic):
    expected = domain_rows(design, statistic)
    kind, _, variable = statistic.partition("_")
    by = ["sex", "region"]

    if kind == "share":
        ours = share(designs[design], variable, [1, 2], by=by)
    elif kind == "mean":
        ours = mean(designs[design], variable, by=by)
    else:
        ours = total(designs[design], variable, by=by)

    assert [e.group for e in ours] == [(row["sex"], row["region"]) for row in expected]
    assert {e.by for e in ours} == {("sex", "region")}
    for estimate, row in zip(ours, expected, strict=True):
        assert estimate.estimate == pytest.approx(float(row["estimate"]), rel=RELATIVE)
        assert estimate.se == pytest.approx(float(row["se"]), rel=RELATIVE)
        if kind == "share":
            low, high = estimate.ci("logit")
            assert low == pytest.approx(float(row["ci_low"]), rel=RELATIVE)
            assert high == pytest.approx(float(row["ci_high"]), rel=RELATIVE)
