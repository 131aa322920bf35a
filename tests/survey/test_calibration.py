"""Calibration (R's calibrate) and the calibration-aware variance both calibrations share.

The R comparison (weights, and every estimator on calibrated designs) on the api data is in
test_estimators_reference.py; these cases are checkable by hand.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from alliance.errors import ConvergenceError, MarginError, SurveyError
from alliance.survey import Design, calibrate, calibration, mean, model_matrix, rake, total
from alliance.survey.calibration import Raking, Regression

pytestmark = pytest.mark.unit


@pytest.fixture
def sample() -> Design:
    rng = np.random.default_rng(11)
    n = 300
    frame = pl.DataFrame(
        {
            "sex": rng.choice(["F", "M"], n, p=[0.6, 0.4]),
            "age": rng.choice(["young", "old"], n),
            "size": rng.uniform(1, 50, n),
            "y": rng.normal(10, 3, n),
            "h": rng.choice(["a", "b", "c"], n),
            "w": rng.uniform(5, 15, n),
        }
    )
    return Design.from_frame(frame, weights="w", strata="h")


MARGINS = {"sex": {"F": 0.5, "M": 0.5}, "age": {"old": 1200.0, "young": 1800.0}}


@pytest.mark.parametrize(
    ("method", "bounds"),
    [("linear", None), ("raking", None), ("logit", (0.2, 5.0)), ("linear", (0.5, 2.0))],
)
def test_calibrated_weights_meet_margins_and_totals(sample, method, bounds):
    calibrated, diagnostics = calibrate(
        sample, MARGINS, {"size": 80_000.0}, method=method, bounds=bounds, population_total=3000
    )

    frame, w = calibrated.frame, calibrated.weights
    assert w.sum() == pytest.approx(3000)
    assert w[frame["sex"].to_numpy() == "F"].sum() == pytest.approx(1500)
    assert w[frame["age"].to_numpy() == "old"].sum() == pytest.approx(1200)
    assert (w * frame["size"].to_numpy()).sum() == pytest.approx(80_000)
    g = w / sample.weights
    if bounds is not None:
        assert g.min() >= bounds[0] - 1e-12
        assert g.max() <= bounds[1] + 1e-12
    assert diagnostics.largest_gap < 1e-10
    assert calibrated.history[-1].startswith(f"calibrate({method}; sex, age, size;")
    assert isinstance(calibrated.calibration, Regression)


def test_linear_g_weights_are_affine_in_the_model(sample):
    calibrated, _ = calibrate(sample, {"sex": {"F": 0.5, "M": 0.5}}, population_total=3000)

    g = calibrated.weights / sample.weights
    female = sample.frame["sex"].to_numpy() == "F"
    assert np.ptp(g[female]) < 1e-12
    assert np.ptp(g[~female]) < 1e-12


def test_raking_calibration_to_categories_gives_the_weights_of_rake(sample):
    raked, _ = rake(sample, MARGINS, population_total=3000, tolerance=1e-13)
    calibrated, _ = calibrate(sample, MARGINS, method="raking", population_total=3000)

    np.testing.assert_allclose(calibrated.weights, raked.weights, rtol=1e-9)
    assert isinstance(raked.calibration, Raking)


def test_variance_uses_residuals_on_the_calibration_model(sample):
    calibrated, _ = calibrate(sample, MARGINS, {"size": 80_000.0}, population_total=3000)

    estimate = total(calibrated, "y")[0]

    # By hand, row by row: x = w·y, residual of x/w on the model (design-weighted), times w.
    frame, w, d = calibrated.frame, calibrated.weights, sample.weights
    model = np.column_stack(
        [
            np.ones(len(frame)),
            frame["sex"].to_numpy() == "M",
            frame["age"].to_numpy() == "young",
            frame["size"].to_numpy(),
        ]
    ).astype(float)
    y = frame["y"].to_numpy()
    beta = np.linalg.solve(model.T @ (model * d[:, None]), model.T @ (d * y))
    z = w * (y - model @ beta)
    strata = frame["h"].to_numpy()
    variance = 0.0
    for h in np.unique(strata):
        zh = z[strata == h]
        variance += len(zh) / (len(zh) - 1) * ((zh - zh.mean()) ** 2).sum()
    assert estimate.se == pytest.approx(np.sqrt(variance), rel=1e-9)
    assert total(calibrated, "size")[0].se < 1e-6 * 80_000  # a calibrated total is exact


def test_covariance_of_influence_values_is_calibration_aware(sample):
    calibrated, _ = calibrate(sample, MARGINS, population_total=3000)
    y = calibrated.frame["y"].to_numpy()

    by_rows = calibrated.variance(calibrated.weights * y)[0]

    assert by_rows == pytest.approx(total(calibrated, "y")[0].se ** 2, rel=1e-9)
    assert mean(calibrated, "y")[0].se < mean(sample, "y")[0].se * 1.5


def test_bounds_interpreted_after_rs_rescaling_of_tiny_weights():
    frame = pl.DataFrame({"g": ["a", "b"] * 50})
    design = Design.from_frame(frame)  # weights 1, a population of 10,000: R rescales by 100

    calibrated, _ = calibrate(
        design, {"g": {"a": 0.4, "b": 0.6}}, population_total=10_000, bounds=(0.5, 2.0)
    )

    assert calibrated.weights.sum() == pytest.approx(10_000)
    assert set(np.round(calibrated.weights / 100, 9)) == {0.8, 1.2}


def test_logit_calibration_needs_finite_bounds(sample):
    with pytest.raises(SurveyError) as caught:
        calibrate(sample, MARGINS, method="logit", population_total=3000)

    assert caught.value.key == "survey.logit_bounds"


def test_unreachable_targets_within_bounds_do_not_converge(sample):
    with pytest.raises(ConvergenceError) as caught:
        calibrate(
            sample,
            {"sex": {"F": 0.95, "M": 0.05}},
            population_total=3000,
            bounds=(0.9, 1.1),
            max_iterations=20,
        )

    assert caught.value.key == "survey.calibration_not_converged"


def test_a_calibrated_design_is_not_calibrated_again(sample):
    calibrated, _ = calibrate(sample, MARGINS, population_total=3000)

    with pytest.raises(SurveyError) as caught:
        calibrate(calibrated, MARGINS, population_total=3000)

    assert caught.value.key == "survey.already_calibrated"


def test_a_numeric_total_needs_a_complete_numeric_column(sample):
    frame = sample.frame.with_columns(size=pl.when(pl.col("y") > 15).then(None).otherwise("size"))
    design = Design.from_frame(frame, weights="w")

    with pytest.raises(MarginError) as caught:
        calibrate(design, {}, {"size": 80_000.0})

    assert caught.value.key == "survey.margin_value_missing"
    with pytest.raises(MarginError):
        calibrate(design, {}, {"sex": 10.0})


@pytest.mark.parametrize("method", ["linear", "raking"])
def test_calibration_on_cells_equals_calibration_on_rows(sample, method, monkeypatch):
    # A count total joins the margins' cells: Newton then runs on the cells' totals; with
    # folding off it runs on the rows. Weights and calibration-aware SEs must not move.
    counts = np.arange(len(sample)) % 3 + 1.0
    design = Design.from_frame(
        sample.frame.with_columns(staff=pl.Series(counts)), weights="w", strata="h"
    )

    def run() -> tuple[np.ndarray, list[float]]:
        calibrated, _ = calibrate(
            design, MARGINS, {"staff": 6_200.0}, method=method, population_total=3000
        )
        estimates = mean(calibrated, "y", by="age") + total(calibrated, "y")
        return calibrated.weights, [e.se for e in estimates]

    weights, ses = run()
    monkeypatch.setattr(model_matrix, "FOLD_LEVELS", 0)
    row_weights, row_ses = run()

    np.testing.assert_allclose(weights, row_weights, rtol=1e-12)
    assert ses == pytest.approx(row_ses, rel=1e-10)


def test_calibration_correction_row_by_row_or_per_psu_alike(sample, monkeypatch):
    # A few domains: the correction is summed row by row; many: from each PSU's Σ w X, kept.
    calibrated, _ = calibrate(sample, MARGINS, {"size": 80_000.0}, population_total=3000)
    monkeypatch.setattr(calibration, "ROW_PASSES", 100)
    by_rows = [e.se for e in mean(calibrated, "y", by="h")]
    monkeypatch.setattr(calibration, "ROW_PASSES", 0)
    per_psu = [e.se for e in mean(calibrated, "y", by="h")]

    assert by_rows == pytest.approx(per_psu, rel=1e-12)
