"""``alliance survey estimate|rake|test|compare`` on the R reference data, as analysts call them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.cli.survey import ESTIMATE_COLUMNS

pytestmark = pytest.mark.integration

DATA = Path(__file__).parent.parent / "survey" / "data"
RESPONSES = str(DATA / "responses.csv")
DESIGN = ["--weights", "base_weight", "--strata", "stratum", "--psu", "psu", "--nest"]
RAKED = [*DESIGN, "--rake", str(DATA / "margins.json")]

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["survey", *args], env={"COLUMNS": "160"})


def expected(design: str, indicator: str, method: str = "logit") -> dict[str, str]:
    with (DATA / "expected.csv").open(encoding="utf-8") as handle:
        return next(
            row
            for row in csv.DictReader(handle)
            if (row["design"], row["indicator"], row["by"]) == (design, indicator, "")
            and row["ci_method"] == method
        )


def test_estimate_csv_has_the_columns_in_order_and_r_values():
    result = run("estimate", RESPONSES, *RAKED, "--share", "q1=1,2", "--format", "csv")

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ESTIMATE_COLUMNS
    reference = expected("raked", "q1_top2")
    assert rows[0]["variable"] == "q1"
    assert rows[0]["statistic"] == "share"
    assert (rows[0]["by"], rows[0]["group"]) == ("", "")
    for ours, theirs in (("estimate", "estimate"), ("se", "se"), ("ci_low", "ci_low")):
        assert float(rows[0][ours]) == pytest.approx(float(reference[theirs]), rel=1e-6)
    assert rows[0]["n"] == "3819"


def test_estimate_by_domain_gives_overall_then_each_group_as_json():
    result = run(
        "estimate", RESPONSES, *DESIGN, "--share", "q1=1,2", "--mean", "q2", "--by", "sex",
        "--ci", "beta", "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["variable"], r["statistic"], r["group"]) for r in rows] == [
        ("q1", "share", None),
        ("q1", "share", "F"),
        ("q1", "share", "M"),
        ("q2", "mean", None),
        ("q2", "mean", "F"),
        ("q2", "mean", "M"),
    ]
    reference = expected("base", "q1_top2", "beta")
    assert rows[0]["ci_high"] == pytest.approx(float(reference["ci_high"]), rel=1e-6)


def test_string_codes_and_output_file(tmp_path):
    data = tmp_path / "small.csv"
    data.write_text("answer,w\nYes,1\nNo,1\nYes,2\nNA,1\n,1\n", encoding="utf-8")
    out = tmp_path / "out.csv"

    result = run("estimate", str(data), "--weights", "w", "--share", "answer=Yes", "-o", str(out))

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert float(rows[0]["estimate"]) == pytest.approx(0.75)
    assert rows[0]["n"] == "3"


def test_estimate_table_for_people_in_french():
    result = run("estimate", RESPONSES, *RAKED, "--share", "q1=1,2", "--lang", "fr")

    assert result.exit_code == 0, result.output
    assert "q1 (part)" in result.stdout
    assert "ensemble" in result.stdout
    assert "Redressement : " in result.stdout


def test_rake_writes_the_weights_and_prints_diagnostics(tmp_path):
    out = tmp_path / "raked.parquet"

    result = run("rake", RESPONSES, *RAKED, "-o", str(out), "--lang", "en")

    assert result.exit_code == 0, result.output
    assert "Raking: " in result.stdout
    assert "4000 rows written to" in result.stdout
    written = pl.read_parquet(out)
    reference = pl.read_csv(DATA / "raked_weights.csv")
    assert written["id"].to_list() == reference["id"].to_list()
    assert written["weight"].to_list() == pytest.approx(reference["weight"].to_list(), rel=1e-6)


def test_rao_scott_test_as_json():
    result = run(
        "test", RESPONSES, *RAKED, "--crosstab", "q1", "--against", "sex", "--format", "json"
    )

    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    reference = expected("raked", "q1_x_sex_raoscott_F", "p_value")
    assert row["f"] == pytest.approx(float(reference["estimate"]), rel=1e-6)
    assert row["p_value"] == pytest.approx(float(reference["ci_low"]), rel=1e-6)


def test_compare_two_domains():
    result = run(
        "compare", RESPONSES, *RAKED, "--share", "q1=1,2", "--by", "sex", "--first", "F",
        "--second", "M", "--format", "csv",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (row["first"], row["second"], row["df"]) == ("F", "M", "74")
    assert float(row["difference"]) == pytest.approx(
        float(row["second_estimate"]) - float(row["first_estimate"])
    )


def test_missing_file_is_one_clear_line_and_exit_1():
    result = run("estimate", "nowhere.csv", "--share", "q=1", "--lang", "en")

    assert result.exit_code == 1
    assert result.stderr == "Error : File not found (file nowhere.csv)\n"


def test_unknown_weight_column_names_the_columns(tmp_path):
    result = run("estimate", RESPONSES, "--weights", "poids", "--share", "q1=1")

    assert result.exit_code == 1
    assert "Colonne 'poids' absente des données (colonnes : id, stratum" in result.stderr


def test_malformed_share_is_a_usage_error():
    result = run("estimate", RESPONSES, "--share", "q1", "--lang", "en")

    assert result.exit_code == 2
    assert "A share is expected as VAR=CODE[,CODE…]" in result.output


def test_nothing_to_estimate_is_a_usage_error():
    result = run("estimate", RESPONSES, "--lang", "en")

    assert result.exit_code == 2
    assert "Nothing to estimate" in result.output


def test_margins_without_a_target_category_name_it(tmp_path):
    margins = tmp_path / "margins.json"
    margins.write_text(json.dumps({"sex": {"F": 1.0}}), encoding="utf-8")

    result = run("estimate", RESPONSES, "--rake", str(margins), "--share", "q1=1", "--lang", "en")

    assert result.exit_code == 1
    assert result.stderr == "Error : Sample category sex='M' has no target\n"


def test_trim_and_bounds_are_parsed_with_decimal_commas(tmp_path):
    out = tmp_path / "raked.csv"

    result = run("rake", RESPONSES, *RAKED, "--bounds", "0,2:5", "--trim", ":3", "-o", str(out))

    assert result.exit_code == 0, result.output
    weights = pl.read_csv(out)["weight"].to_numpy()
    assert weights.max() <= 3 * weights.mean() + 1e-9
    assert "trim(-–3.0 × mean)" in result.stdout


def test_french_csv_with_decimal_comma_weights(tmp_path):
    data = tmp_path / "export.csv"
    data.write_bytes("q;poids\n1;1,5\n2;0,5\n3;1\n".encode("cp1252"))

    result = run("estimate", str(data), "--weights", "poids", "--share", "q=1", "--format", "csv")

    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert float(row["estimate"]) == pytest.approx(0.5)


def test_spss_file_with_user_missing_answer_and_weight(tmp_path):
    import pyreadstat

    data = tmp_path / "wave.sav"
    frame = pl.DataFrame({"q": [1.0, 2.0, 9.0, 1.0], "w": [1.0, 1.0, 1.0, -1.0]})
    pyreadstat.write_sav(frame, str(data), missing_ranges={"q": [9], "w": [-1]})

    result = run(
        "estimate", str(data), "--weights", "w", "--share", "q=1", "--format", "csv", "--lang", "en"
    )

    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (float(row["estimate"]), row["n"]) == (pytest.approx(0.5), "2")
    assert "1 rows whose weight (w) is a missing-value code (-1.0) are left out" in result.stderr


def test_a_domain_without_answers_is_empty_with_a_warning(tmp_path):
    data = tmp_path / "small.csv"
    data.write_text("q,g\n1,a\n2,a\n,b\n", encoding="utf-8")

    result = run(
        "estimate", str(data), "--share", "q=1", "--total", "q", "--by", "g", "--format", "csv",
        "--lang", "en",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["statistic"], r["group"], r["n"]) for r in rows] == [
        ("share", "", "2"),
        ("share", "a", "2"),
        ("share", "b", "0"),
        ("total", "", "2"),
        ("total", "a", "2"),
        ("total", "b", "0"),
    ]
    empty = [r for r in rows if r["group"] == "b"]
    assert {(r["estimate"], r["se"], r["ci_low"], r["ci_high"]) for r in empty} == {
        ("", "", "", "")
    }
    assert result.stderr.splitlines() == [
        "Warning: no answer to 'q' in domain g=b: empty estimate",
        "Warning: no answer to 'q' in domain g=b: empty estimate",
    ]


def test_estimate_by_two_columns_joined_by_plus():
    result = run(
        "estimate", RESPONSES, *DESIGN, "--mean", "q2", "--by", "sex+region", "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert (rows[0]["by"], rows[0]["group"]) == (None, None)
    assert [(r["by"], r["group"]) for r in rows[1:3]] == [
        ("sex+region", "F+ARA"),
        ("sex+region", "M+ARA"),
    ]
    assert len(rows) == 1 + 26


def test_table_names_each_column_of_a_crossed_domain():
    result = run(
        "estimate", RESPONSES, *DESIGN, "--mean", "q2", "--by", "sex+region", "--lang", "en"
    )

    assert result.exit_code == 0, result.output
    assert "sex=F, region=ARA" in result.stdout


def test_compare_two_crossed_domains():
    result = run(
        "compare", RESPONSES, *DESIGN, "--share", "q1=1,2", "--by", "sex+region", "--first",
        "F+IDF", "--second", "M+IDF", "--format", "csv",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (row["by"], row["first"], row["second"]) == ("sex+region", "F+IDF", "M+IDF")


@pytest.mark.parametrize("command", ["estimate", "rake", "test", "compare"])
def test_every_command_takes_the_same_design_options(command):
    result = runner.invoke(app, ["survey", command, "--help"], env={"COLUMNS": "200"})

    assert result.exit_code == 0
    for option in (
        "--weights", "--strata", "--psu", "--fpc", "--nest", "--adjust-lonely-psu", "--rake",
        "--bounds", "--trim",
    ):  # fmt: skip
        assert f" {option} " in result.stdout, option


def test_rake_requires_its_targets(tmp_path):
    result = run("rake", RESPONSES, "-o", str(tmp_path / "out.csv"))

    assert result.exit_code == 2
    assert "--rake" in result.output


def test_adjust_lonely_psu_reaches_the_design(tmp_path):
    data = tmp_path / "lonely.csv"
    data.write_text("q,h\n1,A\n2,A\n3,B\n", encoding="utf-8")

    refused = run("estimate", str(data), "--strata", "h", "--mean", "q", "--lang", "en")
    adjusted = run(
        "estimate", str(data), "--strata", "h", "--mean", "q", "--adjust-lonely-psu",
        "--format", "csv",
    )  # fmt: skip

    assert refused.exit_code == 1
    assert "single primary unit" in refused.stderr
    assert adjusted.exit_code == 0, adjusted.output
