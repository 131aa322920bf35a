"""Many shares at once: the same estimates as share() item by item, and as R's."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from alliance.errors import SurveyError
from alliance.survey import CiMethod, Design, Estimate, calibrate, rake, share, trim
from alliance.survey.batch import shares
from alliance.survey.design import By

pytestmark = pytest.mark.integration

DATA = Path(__file__).parent / "data"
ITEMS = [(f"q{i}", [1, 2]) for i in range(1, 7)]
CI_METHODS: list[CiMethod] = ["logit", "beta", "wilson", "wald"]


@pytest.fixture(scope="module")
def likert() -> dict[str, Design]:
    """The likert-4000 reference (stratified clusters), raked as R raked it, and trimmed."""
    frame = pl.read_csv(DATA / "responses.csv")
    base = Design.from_frame(frame, weights="base_weight", strata="stratum", psu="psu", nest=True)
    margins = json.loads((DATA / "margins.json").read_text())
    total = margins.pop("population_total")
    raked, _ = rake(base, margins, population_total=total, tolerance=1e-13)
    return {"base": base, "raked": raked, "trimmed": trim(raked, lower=0.5, upper=2.0)}


def one_by_one(
    design: Design, items: Sequence[tuple[str, Sequence[Any]]], by: Sequence[By]
) -> list[Estimate]:
    return [
        e for variable, codes in items for b in by for e in share(design, variable, codes, by=b)
    ]


def assert_same(found: list[Estimate], expected: list[Estimate]) -> None:
    """Same domains and counts; the same numbers to rounding (sums added in another order)."""
    assert len(found) == len(expected)
    for ours, theirs in zip(found, expected, strict=True):
        assert (ours.variable, ours.by, ours.group) == (theirs.variable, theirs.by, theirs.group)
        counts = ("n", "df", "weighted_n", "rows_in_design", "statistic", "logit_se")
        assert [getattr(ours, name) for name in counts] == [getattr(theirs, n) for n in counts]
        numbers = ["estimate", "se", "deff", "weight_sum"]
        for name in numbers:
            mine, reference = getattr(ours, name), getattr(theirs, name)
            assert mine == pytest.approx(reference, rel=1e-12, abs=1e-15, nan_ok=True), name
        for method in CI_METHODS:
            assert ours.ci(method) == pytest.approx(theirs.ci(method), rel=1e-9, nan_ok=True)


@pytest.mark.parametrize("name", ["base", "raked", "trimmed"])
@pytest.mark.parametrize(
    "by",
    [[None, "region"], ["region", None], [None], ["sex"], [["sex", "region"], None, "age"]],
    ids=["overall-region", "region-overall", "overall", "sex", "crossed-overall-age"],
)
def test_equals_share_item_by_item(likert, name, by):
    design = likert[name]

    assert_same(shares(design, ITEMS, by=by), one_by_one(design, ITEMS, by))


def reference_rows() -> list[dict[str, str]]:
    with (DATA / "expected.csv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["indicator"].endswith("_top2")]


def test_agrees_with_r_overall_and_by_region(likert):
    """R's ``svyciprop`` and ``svyby`` on the base and raked designs, to 1e-6 (as the engine)."""
    found = {
        (name, e.variable, e.group): e
        for name in ("base", "raked")
        for e in shares(likert[name], ITEMS, by=[None, "region"])
    }
    rows = reference_rows()
    assert rows
    for row in rows:
        variable = row["indicator"].removesuffix("_top2")
        estimate = found[row["design"], variable, row["group"] or None]
        assert estimate.estimate == pytest.approx(float(row["estimate"]), rel=1e-6)
        assert estimate.se == pytest.approx(float(row["se"]), rel=1e-6)
        for method in ("logit", "beta"):
            if row["ci_method"] != method:
                continue
            low, high = estimate.ci(method)
            assert low == pytest.approx(float(row["ci_low"]), rel=1e-6)
            assert high == pytest.approx(float(row["ci_high"]), rel=1e-6)


def read_designs(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA / f"designs_{name}.csv", null_values="")


def test_two_stage_designs_raked_or_not():
    """Later stages count (variance units are schools, not districts), before and after raking."""
    design = Design.from_frame(read_designs("apiclus2"), psu=["dnum", "snum"], fpc=["fpc1", "fpc2"])
    margins = json.loads((DATA / "designs_clus2_margins.json").read_text())
    population_total = margins.pop("population_total")
    raked, _ = rake(design, margins, population_total=population_total, tolerance=1e-13)
    items = [("sch.wide", ["Yes"]), ("stype", ["E", "M"])]

    for sample in (design, raked):
        assert sample.unit_psu is not None
        by = [None, "stype", "sch.wide"]
        assert_same(shares(sample, items, by=by), one_by_one(sample, items, by))


SYNTHETIC = pl.DataFrame(
    {
        "stratum": [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3],
        "psu": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 5],
        "w": [1.0, 2.0, 0.0, 1.5, 2.0, 1.0, 3.0, 0.0, 1.0, 1.0, 2.0, 2.5],
        "g": ["a", "b", "a", None, "b", "b", "a", "a", "c", "c", "a", "b"],
        "h": ["x", "x", "y", "y", "x", "y", "x", "y", "x", "y", "x", "y"],
        "q": [1, 2, None, 3, 4, 1, 1, 2, None, 3, 1, 4],
        "f": [1.0, float("nan"), 2.0, 3.0, None, 1.0, 2.0, 2.0, 1.0, 4.0, 1.0, 2.0],
        "s": ["Yes", "No", "", "Yes", None, "No", "Yes", "Yes", "No", "No", "Yes", "No"],
    }
)
SYNTHETIC_ITEMS: list[tuple[str, list[Any]]] = [
    ("q", [1, 2]),
    ("q", ["1"]),
    ("f", [1.0]),
    ("s", ["Yes"]),
    ("q", [9]),  # nobody: every domain empty
]


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # (a, y): all weights zero
@pytest.mark.parametrize("lonely_psu", ["remove", "adjust", "average", "certainty"])
def test_zero_weights_missing_domains_and_lonely_psus(lonely_psu):
    """Stratum 3 has one PSU; g is missing once; weights are zero twice; f has a NaN, s a ""."""
    design = Design.from_frame(
        SYNTHETIC, weights="w", strata="stratum", psu="psu", lonely_psu=lonely_psu
    )
    by = [None, "g", ["g", "h"]]

    assert design.has_zero_weights
    assert_same(shares(design, SYNTHETIC_ITEMS, by=by), one_by_one(design, SYNTHETIC_ITEMS, by))


def test_a_raked_design_with_zero_weights_and_an_empty_domain():
    design = Design.from_frame(
        SYNTHETIC, weights="w", strata="stratum", psu="psu", lonely_psu="adjust"
    )
    raked, _ = rake(design, {"h": {"x": 0.5, "y": 0.5}})

    found = shares(raked, SYNTHETIC_ITEMS, by=["g", None])

    assert_same(found, one_by_one(raked, SYNTHETIC_ITEMS, ["g", None]))
    assert all(e.empty and math.isnan(e.estimate) for e in found if e.variable == "q" and e.n == 0)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Design.from_frame(SYNTHETIC, weights="w", strata="stratum"),  # rows are PSUs
        lambda: Design.from_frame(SYNTHETIC, weights="w", psu="psu").to_replicates("jk1"),
        lambda: calibrate(
            Design.from_frame(SYNTHETIC.filter(pl.col("w") > 0), weights="w", psu="psu"),
            {"h": {"x": 0.5, "y": 0.5}},
        )[0],
    ],
    ids=["rows-are-psus", "replicates", "calibrated"],
)
def test_other_designs_take_share_item_by_item(make):
    design = make()
    by = [None, "g"]

    assert_same(shares(design, SYNTHETIC_ITEMS, by=by), one_by_one(design, SYNTHETIC_ITEMS, by))


def test_items_are_summed_in_chunks_when_their_tables_are_large(likert, monkeypatch):
    from alliance.survey import batch

    monkeypatch.setattr(batch, "TABLE_CELLS", 1)  # one item at a time
    design = likert["raked"]

    assert_same(
        shares(design, ITEMS, by=[None, "region"]), one_by_one(design, ITEMS, [None, "region"])
    )


def test_a_code_that_is_not_a_number_is_refused_as_by_share():
    design = Design.from_frame(SYNTHETIC, weights="w", psu="psu")

    with pytest.raises(SurveyError, match="yes"):
        shares(design, [("q", ["yes"])])


def test_no_item_gives_no_estimate(likert):
    assert shares(likert["raked"], [], by=[None, "region"]) == []
    assert np.isfinite([e.se for e in shares(likert["base"], ITEMS[:1])]).all()


def test_one_by_is_given_in_a_list(likert):
    with pytest.raises(TypeError, match="region"):
        shares(likert["base"], ITEMS[:1], by="region")
