"""Counts of each category: weighted totals of indicators, checkable by hand.

The R comparison (``svytotal(~factor())``) on the api data is in test_estimators_reference.py.
"""

from __future__ import annotations

import math

import polars as pl
import pytest

from alliance.survey import Design, count

pytestmark = pytest.mark.unit


def test_weighted_count_of_each_category_in_order():
    frame = pl.DataFrame({"profile": ["b", "a", "b", None], "w": [1.0, 2.0, 3.0, 4.0]})

    estimates = count(Design.from_frame(frame, weights="w"), "profile")

    assert [(e.category, e.estimate, e.n) for e in estimates] == [("a", 2.0, 3), ("b", 4.0, 3)]
    assert {e.statistic for e in estimates} == {"count"}


def test_se_is_that_of_a_total_of_the_indicator():
    frame = pl.DataFrame({"q": [1, 1, 2, 2, 2]})

    ones, _ = count(Design.from_frame(frame), "q")

    # z = (1, 1, 0, 0, 0): V = n/(n-1) Σ (z - z̄)² = 5/4 · (2 · 0.36 + 3 · 0.16) = 1.5
    assert ones.estimate == 2.0
    assert ones.se == pytest.approx(math.sqrt(1.5))
    low, high = ones.ci()
    assert (low + high) / 2 == pytest.approx(2.0)


def test_every_domain_gets_every_category_an_empty_domain_is_nan():
    frame = pl.DataFrame({"q": ["x", "y", "x", None], "g": ["a", "a", "b", "c"]})

    estimates = count(Design.from_frame(frame), "q", by="g")

    assert [(e.group, e.category, e.estimate) for e in estimates[:4]] == [
        ("a", "x", 1.0),
        ("a", "y", 1.0),
        ("b", "x", 1.0),
        ("b", "y", 0.0),
    ]
    assert estimates[3].se == 0.0
    assert all(e.empty and math.isnan(e.estimate) for e in estimates[4:])


def test_design_effect_without_replacement_needs_a_population_larger_than_the_sample():
    frame = pl.DataFrame({"q": ["x", "y", "x", "y"], "w": [10.0, 10.0, 10.0, 10.0]})

    first, _ = count(Design.from_frame(frame, weights="w"), "q")
    normalised, _ = count(Design.from_frame(frame), "q")

    assert first.deff_srswor == pytest.approx(first.deff * 40 / 36)
    assert math.isnan(normalised.deff_srswor)  # Σw = n: R says NA
