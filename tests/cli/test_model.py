"""``alliance survey model``: svyglm from the command line, on R's api data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.cli.model import MODEL_COLUMNS

pytestmark = pytest.mark.integration

DATA = Path(__file__).parent.parent / "survey" / "data"
STRAT = [str(DATA / "api_strat.csv"), "--weights", "pw", "--strata", "stype", "--fpc", "fpc"]
CLUS1 = [str(DATA / "api_clus1.csv"), "--weights", "pw", "--psu", "dnum", "--fpc", "fpc"]

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["survey", "model", *args], env={"COLUMNS": "160"})


def r_coefficients(design: str, estimator: str, formula: str) -> dict[str, dict[str, float]]:
    """svyglm's summary in estimators_expected.csv: {term: {quantity: value}}."""
    table: dict[str, dict[str, float]] = {}
    with (DATA / "estimators_expected.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row["design"], row["estimator"], row["variable"]) == (design, estimator, formula):
                table.setdefault(row["key"], {})[row["quantity"]] = float(row["value"])
    return table


def test_linear_model_has_exactly_the_six_columns_and_r_values():
    formula = "api00 ~ ell + meals + stype"

    result = run(formula, *STRAT, "--format", "csv")

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (
        list(rows[0]) == MODEL_COLUMNS == ["term", "estimate", "se", "statistic", "df", "p_value"]
    )
    theirs = r_coefficients("strat", "glm_gaussian", formula)
    assert [row["term"] for row in rows] == list(theirs)
    for row in rows:
        for quantity in ("estimate", "se", "statistic", "p_value"):
            assert float(row[quantity]) == pytest.approx(theirs[row["term"]][quantity], rel=1e-6)
        assert row["df"] == "193"


def test_logistic_model_on_a_calibrated_design():
    formula = "wide ~ ell + meals + stype"

    result = run(
        formula, *CLUS1, "--margins", str(DATA / "api_calibration.json"), "--calibrate", "raking",
        "--family", "binomial", "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    theirs = r_coefficients("clus1_raking", "glm_binomial", formula)
    for row in rows:
        assert row["estimate"] == pytest.approx(theirs[row["term"]]["estimate"], rel=1e-6)
        assert row["se"] == pytest.approx(theirs[row["term"]]["se"], rel=1e-6)
        assert row["df"] == theirs[row["term"]]["df"]


def test_table_for_people_names_the_model():
    result = run("api00 ~ ell", *STRAT, "--lang", "en")

    assert result.exit_code == 0, result.output
    assert "Model api00 ~ ell (gaussian family)" in result.stdout
    assert "(Intercept)" in result.stdout


def test_unreadable_formula_says_where():
    result = run("api00 ~ ell * meals", *STRAT, "--lang", "en")

    assert result.exit_code == 1
    assert "cannot be read at character 13" in result.stderr


def test_unknown_family_is_a_usage_error():
    result = run("api00 ~ ell", *STRAT, "--family", "poisson", "--lang", "en")

    assert result.exit_code == 2
    assert "Unknown family 'poisson'" in result.output


def test_binomial_needs_a_zero_one_outcome():
    result = run("api00 ~ ell", *STRAT, "--family", "binomial", "--lang", "en")

    assert result.exit_code == 1
    assert "needs a 0/1 outcome: 'api00' has other values" in result.stderr
