"""Agreement with R's survey package on the likert-4000 reference (see data/README.md).

Every estimate, standard error and interval bound, on the base design and after raking, overall and
by region, must agree with R to 1e-6 relative; so must the raked weights.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from alliance.survey import Design, Estimate, mean, rake, share

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


def reference_rows() -> list[dict[str, str]]:
    with (DATA / "expected.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row for row in rows if "raoscott" not in row["indicator"]]


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
