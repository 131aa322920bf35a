"""Ratios of totals: estimate, linearised SE and design effect, checkable by hand.

The R comparison (``svyratio``) on the api data is in test_estimators_reference.py.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from alliance.survey import Design, ratio

pytestmark = pytest.mark.unit


def test_ratio_of_totals_and_its_linearised_se():
    frame = pl.DataFrame({"y": [1.0, 2.0, 6.0, 3.0], "x": [1.0, 2.0, 2.0, 3.0]})

    (estimate,) = ratio(Design.from_frame(frame), "y", "x")

    r = 12.0 / 8.0
    residuals = (frame["y"].to_numpy() - r * frame["x"].to_numpy()) / 8.0
    assert estimate.estimate == r
    assert estimate.se == pytest.approx(math.sqrt(4 / 3 * np.sum(residuals**2)))
    assert (estimate.variable, estimate.statistic) == ("y/x", "ratio")
    low, high = estimate.ci("logit")  # a ratio's interval is normal, whatever is asked
    assert (high - low) / 2 == pytest.approx(1.959963984540054 * estimate.se)


def test_rows_missing_either_side_are_left_out():
    frame = pl.DataFrame({"y": [1.0, None, 3.0], "x": [2.0, 5.0, None]})

    (estimate,) = ratio(Design.from_frame(frame), "y", "x")

    assert (estimate.estimate, estimate.n) == (0.5, 1)


def test_simple_random_sample_deff_is_one():
    rng = np.random.default_rng(1)
    frame = pl.DataFrame({"y": rng.normal(10, 2, 50), "x": rng.uniform(1, 3, 50)})

    (estimate,) = ratio(Design.from_frame(frame), "y", "x")

    assert estimate.deff == pytest.approx(1.0)
    assert estimate.weight_sum == 50


def test_by_domain_with_an_empty_one():
    frame = pl.DataFrame({"y": [1.0, 2.0, None], "x": [1.0, 1.0, 1.0], "g": ["a", "b", "c"]})

    estimates = ratio(Design.from_frame(frame), "y", "x", by="g")

    assert [e.estimate for e in estimates[:2]] == [1.0, 2.0]
    assert estimates[2].empty
    assert math.isnan(estimates[2].se)
