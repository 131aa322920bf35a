"""Estimators: shares, means and totals by domain, intervals, and missing answers as a domain."""

from __future__ import annotations

import math

import polars as pl
import pytest

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


def test_domain_without_answers_is_empty_and_the_others_are_kept():
    frame = pl.DataFrame({"q": [1.0, 0.0, None], "g": ["a", "a", "b"]})
    design = Design.from_frame(frame)

    for estimates in (
        share(design, "q", [1], by="g"),
        mean(design, "q", by="g"),
        total(design, "q", by="g"),
    ):
        kept, empty = estimates
        assert (kept.group, kept.n, kept.empty) == ("a", 2, False)
        assert kept.estimate == pytest.approx(1.0 if kept.statistic == "total" else 0.5)
        assert (empty.group, empty.n, empty.empty) == ("b", 0, True)
        assert math.isnan(empty.estimate)
        assert math.isnan(empty.se)
        assert all(math.isnan(bound) for bound in empty.ci())


def test_an_empty_domain_leaves_the_others_standard_errors_alone():
    frame = pl.DataFrame({"q": [1.0, 2, 3, 4, None, None], "g": ["a", "a", "b", "b", "c", "c"]})
    answered = frame.with_columns(q=pl.Series([1.0, 2, 3, 4, 5, 6]))

    with_empty = mean(Design.from_frame(frame), "q", by="g")
    reference = mean(Design.from_frame(answered), "q", by="g")

    for ours, theirs in zip(with_empty[:2], reference[:2], strict=True):
        assert (ours.estimate, ours.se, ours.df) == (theirs.estimate, theirs.se, theirs.df)
    assert with_empty[2].empty


def test_no_answer_at_all_is_an_empty_overall_estimate():
    frame = pl.DataFrame(
        {"q": [None, None], "w": [1.0, 2.0]}, schema={"q": pl.Float64, "w": pl.Float64}
    )

    (estimate,) = mean(Design.from_frame(frame, weights="w"), "q")

    assert estimate.empty
    assert math.isnan(estimate.estimate)
    assert estimate.domain == ""


def test_several_by_columns_give_tuples_in_r_order():
    frame = pl.DataFrame(
        {
            "q": [1, 2, 1, 1, 2, None, 1],
            "sex": ["F", "M", "F", "M", "F", "M", None],
            "wave": [2018, 2018, 2022, 2022, 2022, 2018, 2022],
        }
    )

    estimates = share(Design.from_frame(frame), "q", [1], by=["sex", "wave"])

    assert [(e.by, e.group, e.n) for e in estimates] == [
        (("sex", "wave"), ("F", 2018), 1),
        (("sex", "wave"), ("M", 2018), 1),
        (("sex", "wave"), ("F", 2022), 2),
        (("sex", "wave"), ("M", 2022), 1),
    ]
    assert [e.estimate for e in estimates] == pytest.approx([1.0, 0.0, 0.5, 1.0])
    assert estimates[2].domain == "sex=F, wave=2022"


def test_crossed_domains_match_a_column_built_by_hand():
    frame = FRAME.with_columns(sex=pl.Series(["F", "M", "M", "F", "F", "M"]))
    by_hand = frame.with_columns(cell=pl.col("sex") + "|" + pl.col("region"))
    design, reference = (
        Design.from_frame(frame, weights="w"),
        Design.from_frame(by_hand, weights="w"),
    )

    crossed = mean(design, "q", by=("sex", "region"))
    built = {e.group: e for e in mean(reference, "q", by="cell")}

    for estimate in crossed:
        twin = built["|".join(estimate.group)]
        assert (estimate.estimate, estimate.se, estimate.n, estimate.df) == (
            twin.estimate, pytest.approx(twin.se), twin.n, twin.df,
        )  # fmt: skip


def test_one_column_in_a_list_is_a_tuple_too():
    (first, *_) = share(Design.from_frame(FRAME), "q", [1], by=["region"])

    assert (first.by, first.group) == (("region",), ("N",))


def test_share_of_one_gets_a_finite_interval():
    estimate = Estimate("q", "share", 1.0, 0.0, n=3, deff=float("nan"), df=2, rows_in_design=3)

    low, high = estimate.ci()

    assert high == 1.0
    assert 0 < low < 1


@pytest.mark.parametrize("method", ["logit", "beta", "wilson"])
def test_a_share_whose_se_is_a_rounding_residue_gets_the_degenerate_interval(method):
    for se in (0.0, 1e-17):
        estimate = make_share(0.7137552470133047, se)

        assert estimate.ci(method) == (pytest.approx(0.7137552470133047, rel=1e-12),) * 2


def test_shares_of_zero_keep_their_korn_graubard_interval():
    estimate = Estimate("q", "share", 0.0, 0.0, n=3, deff=float("nan"), df=2, rows_in_design=3)

    low, high = estimate.ci("beta")

    assert low == 0.0
    assert 0 < high < 1


def test_wilson_gives_no_interval_without_degrees_of_freedom():
    estimate = Estimate("q", "share", 0.5, 0.0, n=4, deff=float("nan"), df=0, rows_in_design=4)

    assert all(math.isnan(bound) for bound in estimate.ci("wilson"))
    assert all(math.isnan(bound) for bound in estimate.ci("logit"))


def test_zero_weights_leave_degrees_of_freedom_and_design_effect_counts():
    frame = pl.DataFrame({"y": [1.0, 2, 3, 4, 5], "w": [1.0, 1, 1, 1, 0]})

    weighted = mean(Design.from_frame(frame, weights="w"), "y")[0]

    # R: degf counts the 4 rows of non-zero weight (4 PSUs, 1 stratum); svyvar's s² = 5/3 on
    # them, and the simple random sample's variance s²/4.
    assert (weighted.n, weighted.df) == (5, 3)
    assert weighted.deff == pytest.approx(weighted.se**2 / (5 / 3 / 4))
