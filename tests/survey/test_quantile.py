"""Quantiles: R's ``qrule = "math"`` and Woodruff's interval, on cases checkable by hand.

The R comparison on the api data is in test_estimators_reference.py.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from alliance.survey import Design, quantile
from alliance.survey.distributions import t_quantile
from alliance.survey.quantile import stable_order

pytestmark = pytest.mark.unit


def ten() -> Design:
    return Design.from_frame(pl.DataFrame({"x": [float(v) for v in range(1, 11)]}))


def test_the_smallest_value_whose_cumulative_share_reaches_p():
    estimates = quantile(ten(), "x", [0.1, 0.5, 0.55, 0.9])

    assert [e.estimate for e in estimates] == [1.0, 5.0, 6.0, 9.0]
    assert {e.statistic for e in estimates} == {"quantile"}
    assert [e.probability for e in estimates] == [0.1, 0.5, 0.55, 0.9]


def test_weights_move_the_quantile():
    frame = pl.DataFrame({"x": [3.0, 1.0, 2.0], "w": [2.0, 1.0, 1.0]})
    design = Design.from_frame(frame, weights="w")

    # cumulative weights in order 1, 2, 3: 1, 2, 4 of 4; 0.5 is reached exactly at 2.
    assert [e.estimate for e in quantile(design, "x", [0.5, 0.6])] == [2.0, 3.0]


def test_below_the_first_share_r_gives_the_second_value():
    # R's qrule_math: no cumulative share ≤ p·Σw, so it starts from the first row and, the share
    # not being exactly p, returns the next value (survey 4.1.1 does the same: 2, not 1).
    (estimate,) = quantile(ten(), "x", [0.05])

    assert estimate.estimate == 2.0


def test_woodruff_interval_and_its_se():
    (median,) = quantile(ten(), "x", [0.5])

    # p̂ = share of x ≤ 5 = 0.5, its SE √(0.5·0.5/9·10/10)… = √(0.25·10/9/10) = 0.1667; t on 9 df.
    t = t_quantile(0.975, 9)
    low_share, high_share = 0.5 - t * (2.5 / 90) ** 0.5, 0.5 + t * (2.5 / 90) ** 0.5
    assert 0.12 < low_share < 0.13
    assert 0.87 < high_share < 0.88
    assert median.interval == (2.0, 9.0)  # first values whose share reaches 0.123 and 0.877
    assert median.se == pytest.approx((9.0 - 2.0) / (2 * t))
    assert median.ci("normal") == median.ci("logit") == (2.0, 9.0)
    assert median.df == 9


def test_a_bound_whose_share_leaves_zero_one_is_nan_and_so_is_the_se():
    (low,) = quantile(ten(), "x", [0.05])

    lower, upper = low.interval or (0.0, 0.0)
    assert math.isnan(lower)
    assert upper == 6.0
    assert math.isnan(low.se)


def test_the_interval_exists_only_at_its_level():
    (median,) = quantile(ten(), "x", [0.5], level=0.9)

    assert median.ci(level=0.9) == median.interval
    with pytest.raises(ValueError, match=r"computed at level 0\.9"):
        median.ci(level=0.95)


def test_domains_missing_answers_and_an_empty_domain():
    frame = pl.DataFrame(
        {"x": [1.0, 2.0, 3.0, None, 10.0, 20.0, None], "g": ["a", "a", "a", "a", "b", "b", "c"]}
    )

    estimates = quantile(Design.from_frame(frame), "x", [0.5], by="g")

    assert [(e.group, e.estimate, e.n) for e in estimates[:2]] == [("a", 2.0, 3), ("b", 10.0, 2)]
    assert estimates[2].empty
    assert math.isnan(estimates[2].estimate)


def test_probabilities_outside_zero_one_are_refused():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        quantile(ten(), "x", [1.5])


def test_answers_are_sorted_stably_whatever_their_values():
    rng = np.random.default_rng(4)
    n = 20_000
    y = np.round(rng.normal(0, 100, n), 1)  # many ties, negatives
    y[:50] = -0.0  # ties with 0.0, as in a comparison
    y[50:60] = 0.0
    y[100:400] = 1e9 + rng.integers(0, 4, 300) * 2.0**-20  # differ only in their last bits
    y[400:410] = np.inf
    rows = np.flatnonzero(rng.random(n) < 0.9)

    expected = rows[np.argsort(y[rows], kind="stable")]
    np.testing.assert_array_equal(stable_order(y, rows), expected)


def test_exact_shares_found_as_r_adds_weights():
    # Thirds: p · total falls within rounding of a cumulative weight, so R's extended-precision
    # sums decide; 1/3 + 1/3 + 1/3 reaches the median exactly at the third value, 0.5 · 2 = 1.
    frame = pl.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "w": [1 / 3] * 6})

    estimates = quantile(Design.from_frame(frame, weights="w"), "x", [0.5, 0.5 + 1e-12])

    assert [e.estimate for e in estimates] == [3.0, 4.0]
