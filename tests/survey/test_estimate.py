"""Estimators: shares, means and totals by domain, intervals, and missing answers as a domain."""

from __future__ import annotations

import polars as pl
import pytest

from alliance.errors import SurveyError
from alliance.survey import Design, Estimate, mean, share, total

pytestmark = pytest.mark.unit

FRAME = pl.DataFrame(
    {
        "q": [1, 2, 3, 4, None, 1],
        "answer": ["Yes", "No", "Yes", "Yes", None, "No"],
        "region": ["N", "N", "N", "S", "S", "S"],
        "w": [1.0, 1, 1, 1, 1, 1],
    }
)


def test_share_ignores_missing_answers_and_accepts_string_codes():
    design = Design.from_frame(FRAME, weights="w")

    assert share(design, "q", [1, 2])[0].estimate == pytest.approx(0.6)
    assert share(design, "answer", ["Yes"])[0].estimate == pytest.approx(0.6)
    assert share(design, "q", [1, 2])[0].n == 5


def test_share_by_domain_gives_one_estimate_per_group():
    estimates = share(Design.from_frame(FRAME), "q", ["1", "2"], by="region")

    assert [(e.group, e.estimate, e.n) for e in estimates] == [
        ("N", pytest.approx(2 / 3), 3),
        ("S", 0.5, 2),
    ]
    assert all(isinstance(e, Estimate) and e.by == "region" for e in estimates)


def test_total_of_a_simple_random_sample():
    frame = pl.DataFrame({"y": [1.0, 2, 3, 4], "w": [2.0] * 4})

    estimate = total(Design.from_frame(frame, weights="w"), "y")[0]

    assert (estimate.estimate, estimate.se) == (20.0, pytest.approx(5.163977794943222))


def test_normal_interval_for_means():
    estimate = mean(Design.from_frame(pl.DataFrame({"y": [1.0, 2, 3, 4]})), "y")[0]

    low, high = estimate.ci()

    assert (low, high) == (
        pytest.approx(2.5 - 1.959963984540054 * estimate.se),
        pytest.approx(2.5 + 1.959963984540054 * estimate.se),
    )


def make_share(p: float, se: float) -> Estimate:
    return Estimate("q", "share", p, se, n=100, deff=1.0, df=99, rows_in_design=100)


def test_wald_and_wilson_intervals_by_hand():
    estimate = make_share(0.5, 0.1)

    assert estimate.ci("wald") == (pytest.approx(0.3040036015), pytest.approx(0.6959963985))
    assert estimate.ci("wilson") == (
        pytest.approx(0.317523, rel=1e-5),
        pytest.approx(0.682477, rel=1e-5),
    )


def test_logit_interval_stays_inside_zero_one():
    low, high = make_share(0.02, 0.015).ci("logit")

    assert 0 < low < 0.02 < high < 1


def test_domain_without_answers_is_an_error():
    frame = pl.DataFrame({"q": [1.0, None], "g": ["a", "b"]})

    with pytest.raises(SurveyError) as caught:
        share(Design.from_frame(frame), "q", [1], by="g")

    assert caught.value.message("en") == "No non-missing answer to 'q' in domain 'b'"


def test_share_of_one_gets_a_finite_interval():
    estimate = Estimate("q", "share", 1.0, 0.0, n=3, deff=float("nan"), df=2, rows_in_design=3)

    low, high = estimate.ci()

    assert high == 1.0
    assert 0 < low < 1
