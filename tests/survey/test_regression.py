"""Regression on a design: coefficients, design-based SEs, t tests, factors and errors.

The R comparison (``svyglm``) on the api data is in test_estimators_reference.py.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from alliance.errors import SurveyError
from alliance.survey import Design, glm

pytestmark = pytest.mark.unit


def test_straight_line_through_points_has_zero_se():
    frame = pl.DataFrame({"y": [1.0, 3.0, 5.0, 7.0], "x": [0.0, 1.0, 2.0, 3.0]})

    model = glm(Design.from_frame(frame), "y ~ x")

    intercept, slope = model.coefficients
    assert (intercept.term, slope.term) == ("(Intercept)", "x")
    assert (intercept.estimate, slope.estimate) == (pytest.approx(1.0), pytest.approx(2.0))
    assert slope.se == pytest.approx(0.0, abs=1e-12)
    assert model.df == 4 - 1 + 1 - 2  # degf (n - 1) + 1 - p


def test_linear_model_se_is_the_sandwich_of_its_influence():
    rng = np.random.default_rng(3)
    x = rng.normal(size=40)
    frame = pl.DataFrame({"y": 2 + x + rng.normal(size=40), "x": x})

    model = glm(Design.from_frame(frame), "y ~ x")

    design_matrix = np.column_stack([np.ones(40), x])
    beta = np.linalg.lstsq(design_matrix, frame["y"].to_numpy(), rcond=None)[0]
    residuals = frame["y"].to_numpy() - design_matrix @ beta
    bread = np.linalg.inv(design_matrix.T @ design_matrix)
    meat = (design_matrix * residuals[:, None]).T @ (design_matrix * residuals[:, None])
    sandwich = 40 / 39 * bread @ meat @ bread  # HC1-like: n/(n-1), as a with-replacement design
    assert [c.se for c in model.coefficients] == pytest.approx(np.sqrt(np.diag(sandwich)))
    assert model.coefficients[1].p_value < 1e-6


def test_text_columns_get_treatment_contrasts_named_as_r():
    frame = pl.DataFrame(
        {"y": [1.0, 2.0, 3.0, 4.0, 5.0, 7.0], "kind": ["b", "a", "c", "a", "b", "c"]}
    )

    model = glm(Design.from_frame(frame), "y ~ kind")

    assert [c.term for c in model.coefficients] == ["(Intercept)", "kindb", "kindc"]
    assert [c.estimate for c in model.coefficients] == pytest.approx([3.0, 0.0, 2.0])


def test_logistic_model_recovers_its_coefficients():
    rng = np.random.default_rng(7)
    x = rng.normal(size=4000)
    outcome = (rng.uniform(size=4000) < 1 / (1 + np.exp(-(-0.5 + 1.5 * x)))).astype(float)
    frame = pl.DataFrame({"y": outcome, "x": x, "w": rng.uniform(0.5, 2, 4000)})

    model = glm(Design.from_frame(frame, weights="w"), "y ~ x", family="binomial")

    assert [c.estimate for c in model.coefficients] == pytest.approx([-0.5, 1.5], abs=0.15)
    assert model.iterations < 10


def test_rows_missing_a_column_are_left_out_but_stay_in_the_design():
    frame = pl.DataFrame({"y": [1.0, 2.0, None, 4.0, 5.0], "x": [1.0, 2.0, 3.0, None, 5.0]})

    model = glm(Design.from_frame(frame), "y ~ x")

    assert model.n == 3
    assert model.df == 2 + 1 - 2
    assert model.coefficients[1].estimate == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("formula", "family", "key"),
    [
        ("y ~ x", "binomial", "survey.binomial_outcome"),
        ("y ~ one", "gaussian", "survey.factor_one_level"),
        ("y ~ x + twice", "gaussian", "survey.model_aliased"),
        ("y ~ one_text", "gaussian", "survey.not_numeric"),
    ],
)
def test_models_that_cannot_be_fitted_say_why(formula, family, key):
    frame = pl.DataFrame(
        {
            "y": [1.0, 2.0, 3.0, 5.0],
            "x": [1.0, 2.0, 3.0, 4.0],
            "twice": [2.0, 4.0, 6.0, 8.0],
            "one": ["a", "a", "a", "a"],
            "one_text": ["a", "b", "a", "b"],
        }
    )
    if key == "survey.not_numeric":
        formula = "one_text ~ x"

    with pytest.raises(SurveyError) as caught:
        glm(Design.from_frame(frame), formula, family=family)

    assert caught.value.key == key


def test_separated_logistic_model_does_not_converge():
    frame = pl.DataFrame({"y": [0.0, 0.0, 1.0, 1.0], "x": [1.0, 2.0, 3.0, 4.0]})

    with pytest.raises(SurveyError) as caught:
        glm(Design.from_frame(frame), "y ~ x", family="binomial")

    assert caught.value.key == "survey.model_not_converged"


def test_no_degrees_of_freedom_no_p_value():
    frame = pl.DataFrame({"y": [1.0, 2.0], "x": [0.0, 1.0]})

    model = glm(Design.from_frame(frame), "y ~ x")

    assert model.df == 0
    assert math.isnan(model.coefficients[1].p_value)
