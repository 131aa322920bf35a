"""Raking: targets reached, diagnostics, and errors naming the variable and the category."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from alliance.errors import ConvergenceError, MarginError, SurveyError
from alliance.survey import Design, diagnose, rake, trim
from alliance.survey.calibration import Raking
from alliance.survey.columns import column_sums

pytestmark = pytest.mark.unit

FRAME = pl.DataFrame(
    {
        "sex": ["F", "F", "F", "M", "M", "M"],
        "age": ["young", "old", "old", "young", "young", "old"],
        "w": [1.0] * 6,
    }
)


def test_one_margin_is_post_stratification():
    design = Design.from_frame(FRAME, weights="w")

    raked, diagnostics = rake(design, {"sex": {"F": 0.5, "M": 0.5}}, population_total=60)

    assert raked.weights.tolist() == pytest.approx([10.0] * 6)
    assert diagnostics.iterations == 1
    assert diagnostics.effective_n == pytest.approx(6)
    assert diagnostics.efficiency == pytest.approx(1)
    assert diagnostics.weight_ratio == pytest.approx(1)


def test_two_margins_are_both_reached():
    design = Design.from_frame(FRAME, weights="w")

    raked, diagnostics = rake(
        design, {"sex": {"F": 0.6, "M": 0.4}, "age": {"young": 30, "old": 70}}, population_total=100
    )

    weights = dict(zip(range(6), raked.weights, strict=True))
    assert sum(weights[i] for i in (0, 1, 2)) == pytest.approx(60)
    assert sum(weights[i] for i in (0, 3, 4)) == pytest.approx(30)
    assert diagnostics.largest_gap < 1e-10
    assert raked.history[-1] == f"rake(sex, age; {diagnostics.iterations} iterations)"


def test_target_for_a_category_absent_from_the_sample():
    with pytest.raises(MarginError) as caught:
        rake(Design.from_frame(FRAME), {"sex": {"F": 0.5, "M": 0.4, "X": 0.1}})

    assert caught.value.message("en") == "Target sex='X' matches no respondent in the sample"


def test_sample_category_without_target():
    with pytest.raises(MarginError) as caught:
        rake(Design.from_frame(FRAME), {"age": {"young": 1.0}})

    assert caught.value.message("fr") == "La catégorie age='old' de l'échantillon n'a pas de cible"


def test_targets_must_be_proportions_or_totals():
    with pytest.raises(MarginError) as caught:
        rake(Design.from_frame(FRAME), {"sex": {"F": 3, "M": 4}}, population_total=10)

    assert caught.value.key == "survey.margin_sum"
    assert caught.value.message("fr") == (
        "Les cibles de 'sex' totalisent 7 : ni 1 (des proportions) ni la population totale 10"
    )


def test_no_convergence_names_the_worst_category():
    frame = pl.DataFrame({"a": ["x", "x", "y"], "b": ["u", "v", "v"]})

    with pytest.raises(ConvergenceError) as caught:
        rake(
            Design.from_frame(frame),
            {"a": {"x": 0.5, "y": 0.5}, "b": {"u": 0.9, "v": 0.1}},
            max_iterations=3,
        )

    assert caught.value.message("en").startswith(
        "Raking did not converge in 3 iterations: largest gap"
    )


def test_bounded_raking_keeps_adjustments_within_bounds():
    frame = pl.DataFrame({"sex": ["F", "M", "M", "M", "M", "M"], "age": ["y", "o"] * 3})

    raked, _ = rake(
        Design.from_frame(frame),
        {"sex": {"F": 0.3, "M": 0.7}, "age": {"y": 0.5, "o": 0.5}},
        bounds=(0.5, 2.0),
    )

    assert raked.weights.min() >= 0.5
    assert raked.weights.max() <= 2.0 + 1e-12
    assert raked.weights[0] == pytest.approx(1.8)
    assert raked.history[-1].endswith("; bounds 0.5–2)")


def test_bounds_that_cannot_hold_the_targets_do_not_converge():
    frame = pl.DataFrame({"sex": ["F", "M", "M", "M"]})

    with pytest.raises(ConvergenceError) as caught:
        rake(Design.from_frame(frame), {"sex": {"F": 0.5, "M": 0.5}}, bounds=(0.8, 1.25))

    assert caught.value.key == "survey.rake_bounds_infeasible"
    assert caught.value.message("en").startswith(
        "The bounds 0.8–1.25 keep the targets out of reach"
    )
    assert "sex=" in caught.value.message("en")


def test_trimming_shares_the_excess_equally():
    design = Design.from_frame(pl.DataFrame({"w": [1.0, 1.0, 2.0, 12.0]}), weights="w")

    trimmed = trim(design, upper=2.0)  # mean 4: the bound is 8; 4 to share among 3 weights

    assert trimmed.weights.tolist() == pytest.approx([7 / 3, 7 / 3, 10 / 3, 8.0])
    assert trimmed.history[-1] == "trim(-–2.0 × mean)"
    assert diagnose(trimmed).max_weight == pytest.approx(8.0)


def test_strict_trimming_repeats_until_every_weight_is_inside():
    design = Design.from_frame(pl.DataFrame({"w": [1.0, 1.0, 1.0, 3.0, 14.0]}), weights="w")

    trimmed = trim(design, upper=5.0, lower=None, relative=False, strict=True)

    assert trimmed.weights.max() <= 5.0 + 1e-12
    assert trimmed.weights.sum() == pytest.approx(20.0)


@pytest.mark.parametrize(("lower", "upper"), [(2.0, None), (None, 0.5), (1.0, 1.0 - 1e-9)])
def test_trimming_that_cannot_keep_the_total_says_so(lower, upper):
    design = Design.from_frame(pl.DataFrame({"w": [1.0, 1.0, 2.0, 12.0]}), weights="w")

    with pytest.raises(SurveyError) as caught:
        trim(design, lower=lower, upper=upper)

    assert caught.value.key == "survey.trim_infeasible"
    assert "mean weight (4)" in caught.value.message("en")
    assert "poids moyen (4)" in caught.value.message("fr")


def test_raking_corrections_per_category_equal_those_per_cell():
    """Few groups (PSUs): each group's weight per category; many: per cell, sparse. Same sums."""
    rng = np.random.default_rng(7)
    n = 400
    frame = pl.DataFrame(
        {
            "sex": rng.choice(["F", "M"], n),
            "age": rng.choice(["a", "b", "c"], n),
            "region": rng.choice(["N", "S", "E", "W"], n),
            "w": rng.uniform(0.5, 2.0, n),
        }
    )
    margins = {
        "sex": {"F": 0.5, "M": 0.5},
        "age": {"a": 0.3, "b": 0.3, "c": 0.4},
        "region": {"N": 0.25, "S": 0.25, "E": 0.25, "W": 0.25},
    }
    raked, _ = rake(Design.from_frame(frame, weights="w"), margins)
    raking = raked.calibration
    assert isinstance(raking, Raking)
    statistics = rng.normal(size=(raking.n_cells, 3))
    few = rng.integers(0, 10, n)  # 10 groups × 9 categories < 400 rows

    by_category = raking.correction(statistics, few, 10)
    by_cell = raking._group_weights(np.arange(n), n) @ raking._projection(statistics)[0]

    np.testing.assert_allclose(by_category, column_sums(by_cell, few, 10), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(raking.correction(statistics, np.arange(n), n), by_cell)
