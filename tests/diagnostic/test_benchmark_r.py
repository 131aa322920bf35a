"""Agreement with R's survey package on the benchmark references (see data/README.md).

On each of the three levers (the number of regular volunteers; the main resource, one text code per
organisation; the number of partnerships, the categories and the evaluation), the means, weighted
distributions and shares of a wave, with their intervals, on the base design and after raking,
must agree with R to 1e-9 relative.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest

from alliance.diagnostic.benchmark import Reference, study_references
from alliance.survey import Design, rake

pytestmark = pytest.mark.integration

DATA = Path(__file__).parent / "data"
SURVEY_DATA = Path(__file__).parents[1] / "survey" / "data"
RELATIVE = 1e-9
RESOURCES = {1: "subventions", 2: "cotisations", 3: "dons", 4: "mecenat"}


@pytest.fixture(scope="module")
def references() -> dict[str, dict[str, Reference]]:
    frame = pl.read_csv(SURVEY_DATA / "responses.csv").with_columns(
        wave=pl.when(pl.col("sex") == "F").then(2022).otherwise(2018),
        partnership_count=pl.col("q1"),
        partnerships_evaluated=pl.col("q2"),
        **{"partnership_categories.mecenat": pl.col("q3").is_in([1, 2]).cast(pl.Int64)},
        volunteer_count=pl.col("q6"),
        main_resource=pl.col("q5").replace_strict(RESOURCES, default=None, return_dtype=pl.String),
    )
    base = Design.from_frame(frame, weights="base_weight", strata="stratum", psu="psu", nest=True)
    margins = json.loads((SURVEY_DATA / "margins.json").read_text())
    total = margins.pop("population_total")
    raked, _ = rake(base, margins, population_total=total, tolerance=1e-13)
    return {
        name: {r.item: r for r in study_references(design, "x", wave=2022, synthetic=False)}
        for name, design in (("base", base), ("raked", raked))
    }


def expected_rows() -> list[dict[str, str]]:
    with (DATA / "benchmark_expected.csv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["statistic"] != "se"]


@pytest.mark.parametrize(
    "row", expected_rows(), ids=lambda r: f"{r['design']}-{r['item']}-{r['key']}-{r['statistic']}"
)
def test_benchmark_reference_agrees_with_r(references, row):
    reference = references[row["design"]][row["item"]]
    expected = float(row["value"])

    if row["statistic"] == "cdf":
        at_most = dict(reference.distribution)[float(row["key"])]
        assert at_most == pytest.approx(expected, rel=RELATIVE)
    else:
        interval = reference.values[row["key"]]
        field = {"estimate": "estimate", "ci_low": "low", "ci_high": "high"}[row["statistic"]]
        assert getattr(interval, field) == pytest.approx(expected, rel=RELATIVE)


def test_every_reference_value_is_checked(references):
    checked = {(r["design"], r["item"], r["key"]) for r in expected_rows()}

    assert checked == {
        (design, item, key)
        for design in ("base", "raked")
        for item, key in (
            ("partnership_count", "mean"),
            ("partnership_count", "1"),
            ("partnership_count", "2"),
            ("partnership_count", "3"),
            ("partnership_count", "4"),
            ("partnerships_evaluated", "yes"),
            ("partnership_categories", "mecenat"),
            ("volunteer_count", "mean"),
            ("volunteer_count", "1"),
            ("volunteer_count", "2"),
            ("volunteer_count", "3"),
            ("volunteer_count", "4"),
            *(("main_resource", code) for code in RESOURCES.values()),
        )
    }


def test_a_choice_has_a_share_for_each_code_answered_and_no_distribution(references):
    resource = references["raked"]["main_resource"]

    assert resource.kind == "choice"
    assert sorted(resource.values) == sorted(RESOURCES.values())
    assert sum(v.estimate for v in resource.values.values()) == pytest.approx(1.0, rel=1e-12)
    assert resource.distribution == []
