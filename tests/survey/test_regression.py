"""Regression on a design: coefficients, design-based SEs, t tests, factors and errors.

The R comparison (``svyglm``) on the api data is in test_estimators_reference.py.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from alliance.errors import SurveyError
from alliance.survey import Design, glm, model_matrix

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


def _replicate_design(frame: pl.DataFrame, replicates: np.ndarray) -> Design:
    columns = {f"rep_{r + 1}": replicates[:, r] for r in range(replicates.shape[1])}
    return Design.from_frame(
        frame.with_columns(**columns), weights="w", replicates="rep_", replicate_type="bootstrap"
    )


def test_replicate_variance_refits_each_replicate_as_svrepglm():
    rng = np.random.default_rng(11)
    n, count = 300, 12
    x = rng.normal(size=n)
    kind = rng.choice(["a", "b", "c"], size=n)
    frame = pl.DataFrame({"y": 1 + x + rng.normal(size=n), "x": x, "kind": kind, "w": np.ones(n)})
    replicates = rng.poisson(1.0, size=(n, count)).astype(float)

    model = glm(_replicate_design(frame, replicates), "y ~ x + kind")

    matrix = np.column_stack([np.ones(n), x, kind == "b", kind == "c"]).astype(float)
    betas = np.array(
        [
            np.linalg.lstsq(
                matrix * np.sqrt(replicates[:, r])[:, None],
                frame["y"].to_numpy() * np.sqrt(replicates[:, r]),
                rcond=None,
            )[0]
            for r in range(count)
        ]
    )
    deviations = betas - betas.mean(axis=0)
    covariance = deviations.T @ deviations / (count - 1)  # bootstrap: scale 1/(R-1)
    np.testing.assert_allclose(model.covariance, covariance, rtol=1e-10)
    assert model.df == count - 1 + 1 - 4  # rank of the replicate weights - 1, + 1 - p


def test_a_replicate_without_a_category_is_discarded_as_r_does():
    rng = np.random.default_rng(5)
    n = 90
    kind = np.repeat(["a", "b", "c"], 30)
    frame = pl.DataFrame({"y": rng.normal(size=n), "kind": kind, "w": np.ones(n)})
    replicates = rng.uniform(0.5, 1.5, size=(n, 6))
    replicates[kind == "c", 2] = 0.0  # replicate 3 cannot estimate kindc: R's glm gives NA

    model = glm(_replicate_design(frame, replicates), "y ~ kind")

    assert model.discarded_replicates == 1
    kept = np.delete(replicates, 2, axis=1)
    full = glm(_replicate_design(frame, kept), "y ~ kind")
    np.testing.assert_allclose(model.covariance, full.covariance * 4 / 5)  # scale 1/(6-1)


def test_a_separated_replicate_is_refused_naming_it():
    rng = np.random.default_rng(2)
    n = 200
    x = rng.normal(size=n)
    group = np.where(np.arange(n) < 20, "rare", "common")
    outcome = (rng.uniform(size=n) < 0.5).astype(float)
    outcome[:2] = [0.0, 1.0]
    frame = pl.DataFrame({"y": outcome, "x": x, "group": group, "w": np.ones(n)})
    replicates = np.ones((n, 4))
    replicates[0, 1] = 0.0  # replicate 2: every weighted rare row has y = 1
    replicates[2:20, 1] = 0.0

    with pytest.raises(SurveyError) as caught:
        glm(_replicate_design(frame, replicates), "y ~ x + group", family="binomial")

    assert caught.value.key == "survey.model_replicate_separated"
    assert caught.value.params["replicate"] == 2


@pytest.mark.parametrize("family", ["gaussian", "binomial"])
def test_models_fitted_on_cells_equal_models_fitted_on_rows(family, monkeypatch):
    # A count and categories fold into cells (the fit then runs on cells' totals); with
    # folding off, the same model is fitted row by row: the numbers must not move.
    rng = np.random.default_rng(12)
    n = 3_000
    count = rng.poisson(4, n).astype(np.float64)
    kind = rng.choice(["a", "b", "c"], n)
    y = 1 + 0.3 * count + (kind == "b") + rng.normal(size=n)
    frame = pl.DataFrame(
        {
            "y": np.where(np.arange(n) % 50 == 0, np.nan, y),  # missing answers stay in
            "top": (y > 2.5).astype(np.float64),
            "count": count,
            "kind": kind,
            "h": np.arange(n) // 750,
            "psu": np.arange(n) // 10,
            "w": rng.uniform(1, 3, n),
        }
    )
    outcome = "y" if family == "gaussian" else "top"
    formula = f"{outcome} ~ count + kind"

    def fit() -> tuple[list[float], list[float], int]:
        design = Design.from_frame(frame, weights="w", strata="h", psu="psu")
        model = glm(design, formula, family=family)
        return (
            [c.estimate for c in model.coefficients],
            [c.se for c in model.coefficients],
            model.df,
        )

    on_cells = fit()
    monkeypatch.setattr(model_matrix, "FOLD_LEVELS", 0)
    on_rows = fit()

    assert on_cells[0] == pytest.approx(on_rows[0], rel=1e-10)
    assert on_cells[1] == pytest.approx(on_rows[1], rel=1e-10)
    assert on_cells[2] == on_rows[2]
