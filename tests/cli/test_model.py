"""``alliance survey model``: svyglm from the command line, on R's api data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl
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


def r_replicate_coefficients(
    design: str, estimator: str, formula: str
) -> dict[str, dict[str, float]]:
    """svyglm on R's replicate design (replicates_models_expected.csv): {term: {quantity: v}}."""
    table: dict[str, dict[str, float]] = {}
    with (DATA / "replicates_models_expected.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row["design"], row["estimator"], row["variable"]) == (design, estimator, formula):
                table.setdefault(row["key"], {})[row["quantity"]] = float(row["value"])
    return table


def with_yes(tmp_path: Path, name: str) -> str:
    """R's replicate data with ``yes`` (1 when awards is Yes), as R's script adds it."""
    frame = pl.read_csv(DATA / f"replicates_{name}.csv", infer_schema_length=None)
    path = tmp_path / f"{name}.csv"
    frame.with_columns(yes=(pl.col("awards") == "Yes").cast(pl.Int64)).write_csv(path)
    return str(path)


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("clus1_jk1", ["--replicate-type", "jk1"]),
        ("pairs_fay", ["--replicate-type", "fay", "--fay-rho", "0.5"]),
        ("clus1_boot", ["--replicate-type", "bootstrap"]),
    ],
)
@pytest.mark.parametrize(
    ("family", "formula"),
    [("gaussian", "api00 ~ enroll + stype"), ("binomial", "yes ~ api00 + enroll")],
)
def test_model_on_replicate_weights_is_svyglm_on_svrepdesign(
    tmp_path: Path, name: str, options: list[str], family: str, formula: str
):
    data = with_yes(tmp_path, name)

    result = run(
        formula, data, "--weights", "pw", "--replicates", "rep_", *options, "--family", family,
        "--format", "csv",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    theirs = r_replicate_coefficients(name, f"glm_{family}", formula)
    assert [row["term"] for row in rows] == list(theirs)
    for row in rows:
        for quantity in ("estimate", "se", "statistic", "p_value"):
            assert float(row[quantity]) == pytest.approx(theirs[row["term"]][quantity], rel=1e-6)
        assert float(row["df"]) == theirs[row["term"]]["df"]


def test_model_on_built_jackknife_is_r_s_as_svrepdesign():
    formula = "api00 ~ enroll + stype"
    data = str(DATA / "replicates_clus1_jk1.csv")

    result = run(
        formula, data, "--weights", "pw", "--psu", "dnum", "--to-replicates", "jk1",
        "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    theirs = r_replicate_coefficients("clus1_jk1", "glm_gaussian", formula)
    for row in json.loads(result.stdout):
        assert row["se"] == pytest.approx(theirs[row["term"]]["se"], rel=1e-6)
        assert row["df"] == theirs[row["term"]]["df"]


def test_separated_replicate_is_refused_in_both_languages(tmp_path: Path):
    data = with_yes(tmp_path, "clus1_boot")
    for lang, words in (("fr", "réplique 17"), ("en", "replicate 17")):
        result = run(
            "yes ~ api00 + stype", data, "--weights", "pw", "--replicates", "rep_",
            "--replicate-type", "bootstrap", "--family", "binomial", "--lang", lang,
        )  # fmt: skip

        assert result.exit_code == 1
        assert words in result.stderr
