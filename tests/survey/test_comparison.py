"""Differences between domains and the Rao-Scott test: hand-checked cases and clear errors.

Agreement with R's ``svyttest`` and ``svychisq`` is in test_reference_r.py.
"""

from __future__ import annotations

import polars as pl
import pytest

from alliance.errors import SurveyError
from alliance.survey import Design, difference, rao_scott

pytestmark = pytest.mark.unit

WAVES = pl.DataFrame(
    {
        "q": [1, 2, 3, 1, 1, 4, None],
        "score": [1.0, 2, 3, 2, 3, 4, 5],
        "wave": [2018, 2018, 2018, 2022, 2022, 2022, 2022],
    }
)


def test_difference_of_shares_between_waves():
    result = difference(
        Design.from_frame(WAVES), "q", by="wave", first=2018, second=2022, codes=[1]
    )

    assert (result.first, result.second) == (2018, 2022)
    assert (result.first_estimate, result.second_estimate) == (
        pytest.approx(1 / 3),
        pytest.approx(2 / 3),
    )
    assert result.estimate == pytest.approx(1 / 3)
    # Influence values ±1/9, ±2/9 (SE² = 7/6 · 12/81 with the missing row in the design).
    assert result.se == pytest.approx((7 / 6 * 12 / 81) ** 0.5)
    assert result.df == 4  # 6 answering PSUs - 1 stratum - 1, as svyttest
    low, high = result.ci()
    assert low < result.estimate < high


def test_difference_of_means_without_codes():
    result = difference(Design.from_frame(WAVES), "score", by="wave", first=2018, second=2022)

    assert result.statistic == "mean"
    assert result.estimate == pytest.approx(3.5 - 2.0)


def test_unknown_domain_lists_the_known_ones():
    with pytest.raises(SurveyError) as caught:
        difference(Design.from_frame(WAVES), "q", by="wave", first=2018, second=2020, codes=[1])

    assert caught.value.message("en") == "No domain '2020' in 'wave' (domains: 2018, 2022)"


def test_independent_table_has_zero_statistic():
    frame = pl.DataFrame({"a": ["x", "x", "y", "y"] * 2, "b": ["u", "v"] * 4})

    result = rao_scott(Design.from_frame(frame), "a", "b")

    assert result.pearson == pytest.approx(0)
    assert result.proportions.tolist() == [[0.25, 0.25], [0.25, 0.25]]
    assert (result.row_levels, result.column_levels) == (["x", "y"], ["u", "v"])


def test_table_needs_two_rows_and_two_columns():
    frame = pl.DataFrame({"a": ["x", "x"], "b": ["u", "v"]})

    with pytest.raises(SurveyError) as caught:
        rao_scott(Design.from_frame(frame), "a", "b")

    assert caught.value.message("fr") == (
        "Le tableau 'a' × 'b' doit avoir au moins deux lignes et deux colonnes"
    )


def test_difference_between_crossed_domains():
    frame = WAVES.with_columns(sex=pl.Series(["F", "M", "F", "F", "M", "F", "M"]))
    by_hand = frame.with_columns(cell=pl.col("wave").cast(pl.String) + "|" + pl.col("sex"))

    crossed = difference(
        Design.from_frame(frame),
        "score",
        by=["wave", "sex"],
        first=(2018, "F"),
        second=("2022", "F"),
    )
    built = difference(
        Design.from_frame(by_hand), "score", by="cell", first="2018|F", second="2022|F"
    )

    assert (crossed.by, crossed.first, crossed.second) == (
        ("wave", "sex"),
        (2018, "F"),
        (2022, "F"),
    )
    assert (crossed.estimate, crossed.se, crossed.df) == (
        pytest.approx(built.estimate),
        pytest.approx(built.se),
        built.df,
    )


def test_unknown_crossed_domain_lists_the_known_ones():
    frame = WAVES.with_columns(sex=pl.Series(["F", "M", "F", "F", "M", "F", "M"]))

    with pytest.raises(SurveyError) as caught:
        difference(Design.from_frame(frame), "q", by=["wave", "sex"], first=2018, second=2022)

    assert caught.value.message("en") == (
        "No domain '2018' in 'wave + sex' (domains: 2018, F; 2022, F; 2018, M; 2022, M)"
    )


def test_comparing_an_empty_domain_is_an_error():
    frame = pl.DataFrame({"q": [1.0, 2.0, None], "g": ["a", "a", "b"]})

    with pytest.raises(SurveyError) as caught:
        difference(Design.from_frame(frame), "q", by="g", first="a", second="b")

    assert caught.value.message("en") == "No non-missing answer to 'q' in domain 'g=b'"
