"""Fragile and suppressed estimates: one rule for every output."""

from __future__ import annotations

import math

import pytest

from alliance.study.reliability import FRAGILE_BELOW, FRAGILE_WIDTH, Reliability
from alliance.study.results import Result
from alliance.survey import Estimate

pytestmark = pytest.mark.unit

RULE = Reliability(suppress_below=10)


def estimate(n: int, *, se: float = 0.02, value: float = 0.5, statistic="share", **domain):
    return Estimate(
        variable="q",
        statistic=statistic,
        estimate=value,
        se=se,
        n=n,
        deff=1.0,
        df=100,
        rows_in_design=120,
        **domain,
    )


def width(result: Result) -> float:
    assert result.ci_low is not None
    assert result.ci_high is not None
    return result.ci_high - result.ci_low


def test_thresholds():
    assert (FRAGILE_BELOW, FRAGILE_WIDTH) == (30, 0.20)
    assert (RULE.fragile_below, RULE.fragile_width) == (30, 0.20)


def test_an_estimate_on_30_respondents_with_a_narrow_interval_is_reliable():
    result = RULE.result("habitants", "2024", estimate(30), [1, 2])

    assert (result.fragile, result.suppressed, result.shown) == (False, False, True)
    assert (result.population, result.wave, result.variable, result.statistic) == (
        "habitants",
        "2024",
        "q",
        "share",
    )
    assert (result.estimate, result.se, result.n, result.codes) == (0.5, 0.02, 30, [1, 2])
    assert (result.ci_low, result.ci_high) == pytest.approx(estimate(30).ci("logit"))
    assert (result.by, result.group) == (None, None)


def test_fewer_than_30_respondents_is_fragile():
    result = RULE.result("habitants", "2024", estimate(29))

    assert (result.fragile, result.suppressed, result.estimate) == (True, False, 0.5)


def test_a_share_whose_interval_is_wider_than_20_points_is_fragile():
    narrow = RULE.result("p", "1", estimate(500, se=0.05))  # logit interval 40.2 % – 59.8 %
    wide = RULE.result("p", "1", estimate(500, se=0.06))  # 38.3 % – 61.7 %

    assert width(narrow) == pytest.approx(0.196, abs=1e-3)
    assert width(wide) == pytest.approx(0.234, abs=1e-3)
    assert (narrow.fragile, wide.fragile) == (False, True)
    assert RULE.is_fragile(500, 0.383, 0.617) is True
    assert RULE.is_fragile(500, 0.402, 0.598) is False
    assert RULE.is_fragile(29, 0.49, 0.51) is True


def test_the_width_of_a_mean_s_interval_does_not_count():
    result = RULE.result("p", "1", estimate(500, se=1.0, value=3.0, statistic="mean"))

    assert width(result) == pytest.approx(2 * 1.959964, rel=1e-6)  # normal
    assert result.fragile is False


def test_fewer_respondents_than_the_threshold_are_suppressed_values_and_all():
    hidden = RULE.result("p", "1", estimate(9), [1, 2])
    shown = RULE.result("p", "1", estimate(10), [1, 2])

    assert (hidden.estimate, hidden.se, hidden.ci_low, hidden.ci_high) == (None, None, None, None)
    assert (hidden.n, hidden.fragile, hidden.suppressed, hidden.shown) == (9, True, True, False)
    assert (shown.estimate, shown.suppressed, shown.shown) == (0.5, False, True)


def test_an_empty_domain_is_suppressed_even_without_a_threshold():
    rule = Reliability(suppress_below=0)

    result = rule.result("p", "1", estimate(0, value=math.nan, se=math.nan))

    assert (result.suppressed, result.estimate, result.ci_low, result.n) == (True, None, None, 0)
    assert rule.result("p", "1", estimate(3)).suppressed is False


def test_groups_are_written_as_text():
    result = RULE.result("p", "1", estimate(50, by="taille", group=2.0))

    assert (result.by, result.group) == ("taille", "2")
    assert RULE.result("p", "1", estimate(50, by="age", group="65+")).group == "65+"
