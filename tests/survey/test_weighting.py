"""Raking: targets reached, diagnostics, and errors naming the variable and the category."""

from __future__ import annotations

import polars as pl
import pytest

from alliance.errors import ConvergenceError, MarginError
from alliance.survey import Design, rake

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

    assert caught.value.key == "survey.margin_invalid"


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
