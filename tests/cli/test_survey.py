"""``alliance survey estimate|rake|test|compare`` on the R reference data, as analysts call them."""

from __future__ import annotations

import csv
import io
import json
import re
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
    assert result.stderr == "Error: File not found (file nowhere.csv)\n"


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
    assert result.stderr == "Error: Sample category sex='M' has no target\n"


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


def test_estimate_by_two_columns_separated_by_a_comma():
    result = run(
        "estimate", RESPONSES, *DESIGN, "--mean", "q2", "--by", "sex,region", "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert (rows[0]["by"], rows[0]["group"]) == (None, None)
    assert [(r["by"], r["group"]) for r in rows[1:3]] == [
        ("sex,region", "sex=F;region=ARA"),
        ("sex,region", "sex=M;region=ARA"),
    ]
    assert len(rows) == 1 + 26


def test_table_names_each_column_of_a_crossed_domain_and_each_region_by_its_name():
    result = run(
        "estimate", RESPONSES, *DESIGN, "--mean", "q2", "--by", "sex,region", "--lang", "en"
    )

    assert result.exit_code == 0, result.output
    assert "sex=F, region=Auvergne-Rhône-Alpes" in result.stdout
    assert "sex=M, region=Brittany" in result.stdout
    assert "region=ARA" not in result.stdout


def test_the_csv_keeps_the_region_codes_for_scripts():
    result = run("estimate", RESPONSES, *DESIGN, "--mean", "q2", "--by", "region", "--format",
                 "csv")  # fmt: skip

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["group"] for r in rows} >= {"ARA", "HDF", "IDF"}


def test_the_compare_table_names_the_regions():
    result = run(
        "compare", RESPONSES, *DESIGN, "--share", "q1=1,2", "--by", "region", "--first", "HDF",
        "--second", "IDF", "--lang", "fr",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "│ Hauts-de-Fr" in result.stdout  # the table may shorten a long name with « … »
    assert "│ Île-de-Fran" in result.stdout
    assert " HDF " not in result.stdout


@pytest.mark.parametrize(
    ("first", "second"), [("F,IDF", "M,IDF"), ("sex=F;region=IDF", "region=IDF;sex=M")]
)
def test_compare_two_crossed_domains(first, second):
    result = run(
        "compare", RESPONSES, *DESIGN, "--share", "q1=1,2", "--by", "sex,region", "--first",
        first, "--second", second, "--format", "csv",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (row["by"], row["first"], row["second"]) == (
        "sex,region",
        "sex=F;region=IDF",
        "sex=M;region=IDF",
    )


@pytest.mark.parametrize("command", ["estimate", "rake", "test", "compare", "model"])
def test_every_command_takes_the_same_design_options(command):
    result = runner.invoke(app, ["survey", command, "--help"], env={"COLUMNS": "200"})

    assert result.exit_code == 0
    for option in (
        "--weights", "--strata", "--psu", "--fpc", "--nest", "--lonely-psu",
        "--adjust-lonely-psu", "--rake", "--margins", "--calibrate", "--bounds", "--trim",
    ):  # fmt: skip
        assert re.search(rf"[ ,]{option}[ ,]", result.stdout), option  # --rake,--margins


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


def test_psu_and_fpc_take_one_column_per_stage_as_r():
    data = str(DATA / "designs_apiclus2.csv")
    expected_rows = {}
    with (DATA / "designs_expected.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row["case"], row["design"]) == ("two_stage", "mean_api00"):
                expected_rows[row["statistic"]] = float(row["value"])

    result = run(
        "estimate", data, "--psu", "dnum,snum", "--fpc", "fpc1,fpc2", "--mean", "api00",
        "--format", "csv",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert float(row["se"]) == pytest.approx(expected_rows["se"], rel=1e-6)


def test_first_stage_fpc_alone_is_refused_naming_the_options():
    data = str(DATA / "designs_apiclus2.csv")

    result = run(
        "estimate", data, "--psu", "dnum,snum", "--fpc", "fpc1", "--mean", "api00", "--lang", "en"
    )

    assert result.exit_code == 1
    assert "--fpc gives 1 column(s) for 2 sampling stage(s) in --psu" in result.stderr


@pytest.mark.parametrize("rule", ["adjust", "remove", "certainty", "average"])
def test_lonely_psu_rules_reach_the_design(tmp_path, rule):
    data = tmp_path / "lonely.csv"
    data.write_text("q,h\n1,A\n2,A\n3,B\n", encoding="utf-8")

    result = run(
        "estimate", str(data), "--strata", "h", "--mean", "q", "--lonely-psu", rule,
        "--format", "csv",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert float(row["se"]) == pytest.approx(
        {"adjust": 2**0.5 / 3, "average": 2**0.5 / 3}.get(rule, 1 / 3)
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--lonely-psu", "adjsut"], "Unknown rule 'adjsut' for --lonely-psu"),
        (
            ["--adjust-lonely-psu", "--lonely-psu", "remove"],
            "--adjust-lonely-psu means --lonely-psu adjust",
        ),
    ],
)
def test_lonely_psu_mistakes_are_usage_errors(tmp_path, options, message):
    data = tmp_path / "lonely.csv"
    data.write_text("q,h\n1,A\n2,A\n3,B\n", encoding="utf-8")

    result = run("estimate", str(data), "--strata", "h", "--mean", "q", *options, "--lang", "en")

    assert result.exit_code == 2
    assert message in " ".join(result.output.replace("│", " ").split())


def test_a_share_without_degrees_of_freedom_says_why_it_has_no_interval(tmp_path):
    data = tmp_path / "one.csv"
    data.write_text("q,psu\n1,a\n2,a\n1,b\n", encoding="utf-8")

    result = run(
        "estimate", str(data), "--psu", "psu", "--share", "q=1", "--ci", "wilson", "--by", "psu",
        "--format", "csv", "--lang", "en",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["ci_low"] for row in rows[1:]] == ["", ""] or all(
        row["ci_low"] in ("", "nan", "NaN") for row in rows[1:]
    )
    assert "Warning: no degrees of freedom for 'q' in domain psu=a" in result.stderr


# Issue 12's estimators, on R's api data (tests/survey/data/make_estimators_reference.R).
STRAT = [str(DATA / "api_strat.csv"), "--weights", "pw", "--strata", "stype", "--fpc", "fpc"]
CLUS1 = [str(DATA / "api_clus1.csv"), "--weights", "pw", "--psu", "dnum", "--fpc", "fpc"]
CALIBRATION = str(DATA / "api_calibration.json")


def r_values(
    design: str, estimator: str, variable: str, by: str = ""
) -> dict[tuple[str, str], dict[str, float]]:
    """R's values as {(group, key): {quantity: value}} (see test_estimators_reference.py)."""
    table: dict[tuple[str, str], dict[str, float]] = {}
    with (DATA / "estimators_expected.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row["design"], row["estimator"], row["variable"], row["by"]) == (
                design, estimator, variable, by,
            ):  # fmt: skip
                value = float(row["value"]) if row["value"] else float("nan")
                table.setdefault((row["group"], row["key"]), {})[row["quantity"]] = value
    return table


def assert_like_r(
    row: dict[str, str],
    theirs: dict[str, float],
    quantities=("estimate", "se", "ci_low", "ci_high"),
):
    for quantity in quantities:
        assert float(row[quantity]) == pytest.approx(theirs[quantity], rel=1e-6), quantity


def test_quantiles_one_row_per_probability_with_woodruff_intervals():
    result = run(
        "estimate", *STRAT, "--quantile", "api00=0.25,0.5,0.75", "--by", "stype", "--format", "csv"
    )

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [*ESTIMATE_COLUMNS, "probability"]
    assert [(r["statistic"], r["group"], r["probability"]) for r in rows[:4]] == [
        ("quantile", "", "0.25"),
        ("quantile", "", "0.5"),
        ("quantile", "", "0.75"),
        ("quantile", "E", "0.25"),
    ]
    overall, by_stype = (
        r_values("strat", "quantile", "api00"),
        r_values("strat", "quantile", "api00", "stype"),
    )
    for row in rows:
        theirs = (by_stype if row["by"] else overall)[
            row["group"], f"{float(row['probability']):g}"
        ]
        assert_like_r(row, theirs)


def test_ratio_by_two_columns_names_each_domain():
    result = run(
        "estimate", *CLUS1, "--ratio", "api.stu/enroll", "--by", "stype,sch.wide", "--format",
        "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {(r["variable"], r["statistic"]) for r in rows} == {("api.stu/enroll", "ratio")}
    assert [r["group"] for r in rows[:3]] == [None, "stype=E;sch.wide=No", "stype=H;sch.wide=No"]
    assert {r["by"] for r in rows[1:]} == {"stype,sch.wide"}
    theirs = r_values("clus1", "ratio", "api.stu/enroll", "stype,sch.wide")
    for row in rows[1:]:
        assert_like_r(row, theirs[row["group"], ""])


def test_counts_one_row_per_category_with_deff_and_df():
    result = run(
        "estimate", *CLUS1, "--count", "awards", "--by", "stype", "--deff", "--format", "csv"
    )

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [*ESTIMATE_COLUMNS, "category", "deff", "df"]
    assert [(r["group"], r["category"]) for r in rows] == [
        ("", "No"), ("", "Yes"), ("E", "No"), ("E", "Yes"), ("H", "No"), ("H", "Yes"),
        ("M", "No"), ("M", "Yes"),
    ]  # fmt: skip
    theirs = r_values("clus1", "count", "awards", "stype")
    for row in rows[2:]:
        assert_like_r(row, theirs[row["group"], row["category"]], ("estimate", "se", "deff"))
        assert row["df"] == f"{theirs[row['group'], row['category']]['df']:g}"


def test_deff_columns_come_after_the_nine_in_their_order():
    result = run(
        "estimate", *STRAT, "--mean", "api00", "--quantile", "api00=0.5", "--count", "stype",
        "--deff", "--format", "csv",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [*ESTIMATE_COLUMNS, "probability", "category", "deff", "df"]
    mean_row = rows[0]
    theirs = r_values("strat", "mean", "api00")["", ""]
    assert float(mean_row["deff"]) == pytest.approx(theirs["deff"], rel=1e-6)
    assert (mean_row["df"], mean_row["probability"], mean_row["category"]) == ("197", "", "")


@pytest.mark.parametrize(
    ("method", "bounds", "design"),
    [("linear", None, "clus1_linear"), ("logit", "0.7:1.7", "clus1_logit")],
)
def test_calibrate_to_margins_and_a_numeric_total(method, bounds, design):
    result = run(
        "estimate", *CLUS1, "--margins", CALIBRATION, "--calibrate", method,
        *(["--bounds", bounds] if bounds else []), "--mean", "api00", "--format", "csv",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    theirs = r_values(design, "mean", "api00")["", ""]
    assert float(row["estimate"]) == pytest.approx(theirs["estimate"], rel=1e-6)
    assert float(row["se"]) == pytest.approx(theirs["se"], rel=1e-6)


def test_calibration_is_in_the_tables_caption():
    result = run(
        "estimate", *CLUS1, "--rake", CALIBRATION, "--calibrate", "raking", "--total", "enroll",
        "--lang", "en",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "calibrate(raking; stype, enroll;" in result.stdout


def test_calibrate_needs_targets():
    result = run("estimate", *CLUS1, "--calibrate", "linear", "--mean", "api00", "--lang", "en")

    assert result.exit_code == 2
    assert "give them with --margins FILE.json" in result.output


def test_numeric_totals_need_calibrate():
    result = run("estimate", *CLUS1, "--rake", CALIBRATION, "--mean", "api00", "--lang", "en")

    assert result.exit_code == 2
    assert "raking only matches categories; add --calibrate" in result.output


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--quantile", "api00=0.5,2", "Quantiles are expected as VAR=P[,P…]"),
        ("--quantile", "api00", "Quantiles are expected as VAR=P[,P…]"),
        ("--ratio", "api.stu", "A ratio is expected as NUM/DEN"),
        ("--calibrate", "ipf", "Unknown calibration 'ipf'"),
    ],
)
def test_malformed_new_options_are_usage_errors(option, value, message):
    extra = ["--mean", "api00", "--rake", CALIBRATION] if option == "--calibrate" else []
    result = run("estimate", *CLUS1, option, value, *extra, "--lang", "en")

    assert result.exit_code == 2
    assert message in result.output


def test_quantile_table_names_the_probability_and_count_the_category():
    result = run("estimate", *STRAT, "--quantile", "api00=0.5", "--count", "stype", "--lang", "fr")

    assert result.exit_code == 0, result.output
    assert "api00 (quantile 0.5)" in result.stdout
    assert "stype=E (effectif)" in result.stdout


def test_an_empty_domain_is_reported_once_per_estimator(tmp_path):
    data = tmp_path / "small.csv"
    data.write_text("x,g\n1,a\n2,a\n,b\n", encoding="utf-8")

    result = run(
        "estimate", str(data), "--quantile", "x=0.25,0.5", "--count", "x", "--by", "g",
        "--format", "csv", "--lang", "en",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["statistic"], r["group"], r["n"]) for r in rows if r["group"] == "b"] == [
        ("quantile", "b", "0"),
        ("quantile", "b", "0"),
        ("count", "b", "0"),
        ("count", "b", "0"),
    ]
    assert result.stderr.splitlines() == [
        "Warning: no answer to 'x' in domain g=b: empty estimate",
        "Warning: no answer to 'x' in domain g=b: empty estimate",
    ]


def test_rake_command_writes_calibrated_weights(tmp_path):
    out = tmp_path / "calibrated.csv"

    result = run(
        "rake", *CLUS1, "--margins", CALIBRATION, "--calibrate", "raking", "-o", str(out),
        "--lang", "en",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Calibration: 5 iterations" in result.stdout
    written = pl.read_csv(out)["weight"].to_numpy()
    expected = pl.read_csv(DATA / "calibrated_weights.csv").filter(
        pl.col("design") == "clus1_raking"
    )["weight"]
    assert written.tolist() == pytest.approx(expected.to_list(), rel=1e-6)


REPLICATES = Path(__file__).parents[1] / "survey" / "data"


def _replicate_reference(design: str, estimator: str, variable: str, by: str, group: str) -> float:
    with (REPLICATES / "replicates_expected.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            wanted = (design, estimator, variable, by, group, "", "se")
            found = tuple(row[key] for key in ("design", "estimator", "variable", "by", "group"))
            if (*found, row["key"], row["quantity"]) == wanted:
                return float(row["value"])
    raise KeyError(design)


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("clus1_jk1", ["--replicate-type", "jk1"]),
        ("pairs_fay", ["--replicate-type", "fay", "--fay-rho", "0.5"]),
        ("pairs_brr", ["--replicate-type", "brr"]),
        ("clus1_boot", ["--replicate-type", "bootstrap"]),
    ],
)
def test_estimate_with_replicate_weights_agrees_with_r(name: str, options: list[str]) -> None:
    data = REPLICATES / f"replicates_{name}.csv"
    result = run(
        "estimate",
        str(data),
        "--weights",
        "pw",
        "--replicates",
        "rep_",
        *options,
        "--mean",
        "api00",
        "--by",
        "stype",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    for row in rows:
        wanted = _replicate_reference(name, "mean", "api00", row["by"], row["group"])
        assert float(row["se"]) == pytest.approx(wanted, rel=1e-6)


def test_to_replicates_jk1_and_raking_replicates_agree_with_r() -> None:
    data = REPLICATES / "replicates_clus1_jk1.csv"
    result = run(
        "estimate",
        str(data),
        "--weights",
        "pw",
        "--psu",
        "dnum",
        "--to-replicates",
        "jk1",
        "--total",
        "enroll",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert float(row["se"]) == pytest.approx(
        _replicate_reference("clus1_jk1", "total", "enroll", "", ""), rel=1e-6
    )


def test_jkn_replicates_need_their_rscales_in_both_languages() -> None:
    data = REPLICATES / "replicates_strat_jkn.csv"
    for lang, word in (("fr", "réplique"), ("en", "replicate")):
        result = run(
            "estimate",
            str(data),
            "--weights",
            "pw",
            "--replicates",
            "rep_",
            "--replicate-type",
            "jkn",
            "--mean",
            "api00",
            "--lang",
            lang,
        )
        assert result.exit_code != 0
        assert word in result.output


def _replicates_value(
    file: str, design: str, estimator: str, variable: str, by: str, group: str, quantity: str
) -> float:
    """One value of R's replicate references: ``replicates_expected.csv`` or its models file."""
    with (REPLICATES / file).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found = tuple(row[k] for k in ("design", "estimator", "variable", "by", "group"))
            if (*found, row["key"], row["quantity"]) == (
                design, estimator, variable, by, group, "", quantity,
            ):  # fmt: skip
                return float(row["value"])
    raise KeyError((design, estimator, variable, by, group, quantity))


def _replicate_options(name: str) -> list[str]:
    """``--replicates rep_`` and the type (with Fay's ρ, or JKn's rscales) of R's design."""
    with (REPLICATES / "replicates_rscales.csv").open(encoding="utf-8") as handle:
        scales = {row["design"]: row for row in csv.DictReader(handle)}[name]
    kind = {"JK1": "jk1", "JKn": "jkn", "BRR": "brr", "Fay": "fay", "bootstrap": "bootstrap"}
    options = ["--weights", "pw", "--replicates", "rep_"]
    options += ["--replicate-type", kind[scales["type"]]]
    if name == "pairs_fay":
        options += ["--fay-rho", "0.5"]
    if name == "strat_jkn":
        options += ["--replicate-rscales", scales["rscales"].replace(";", ",")]
    return options


REPLICATE_DESIGNS = ["clus1_jk1", "strat_jkn", "pairs_brr", "pairs_fay", "clus1_boot"]


def test_rake_with_replicates_writes_every_raked_weight_as_r(tmp_path) -> None:
    out = tmp_path / "raked.csv"
    data = str(REPLICATES / "replicates_clus1_jk1.csv")
    margins = str(REPLICATES / "api_rake.json")

    result = run("rake", data, *_replicate_options("clus1_jk1"), "--rake", margins, "-o", str(out))

    assert result.exit_code == 0, result.output
    written = pl.read_csv(out)
    raked = pl.read_csv(REPLICATES / "replicates_raked_weights.csv")["weight"].to_numpy()
    assert written["weight"].to_numpy() == pytest.approx(raked, rel=1e-6)
    original = pl.read_csv(data)
    assert written["rep_1"].to_list() != original["rep_1"].to_list()  # raked, not copied
    again = run(
        "estimate", str(out), "--weights", "weight", "--replicates", "rep_",
        "--replicate-type", "jk1", "--mean", "api00", "--by", "stype", "--format", "csv",
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    for row in csv.DictReader(io.StringIO(again.stdout)):  # the raked replicate design of R
        wanted = _replicates_value(
            "replicates_expected.csv", "clus1_jk1_raked", "mean", "api00", row["by"],
            row["group"], "se",
        )  # fmt: skip
        assert float(row["se"]) == pytest.approx(wanted, rel=1e-6)


@pytest.mark.parametrize("name", REPLICATE_DESIGNS)
def test_rao_scott_with_replicates_agrees_with_r(name: str) -> None:
    data = str(REPLICATES / f"replicates_{name}.csv")

    result = run(
        "test", data, *_replicate_options(name), "--crosstab", "sch.wide", "--against", "stype",
        "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    for column, quantity in (("f", "statistic"), ("ndf", "ndf"), ("ddf", "ddf"), ("p_value", "p")):
        wanted = _replicates_value(
            "replicates_expected.csv", name, "raoscott", "sch.wide", "stype", "", quantity
        )
        assert row[column] == pytest.approx(wanted, rel=1e-6)


@pytest.mark.parametrize("name", REPLICATE_DESIGNS)
@pytest.mark.parametrize(
    ("what", "variable"), [(["--mean", "api00"], "api00"), (["--share", "awards=Yes"], "yes")]
)
def test_compare_with_replicates_agrees_with_r(name: str, what: list[str], variable: str) -> None:
    data = str(REPLICATES / f"replicates_{name}.csv")

    result = run(
        "compare", data, *_replicate_options(name), *what, "--by", "stype", "--first", "E",
        "--second", "H", "--format", "csv",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))

    def r(quantity: str) -> float:
        return _replicates_value(
            "replicates_expected.csv", name, "difference", variable, "stype", "E;H", quantity
        )

    assert float(row["difference"]) == pytest.approx(r("estimate"), rel=1e-6)
    assert float(row["se"]) == pytest.approx(r("se"), rel=1e-6)
    assert int(row["df"]) == r("df")
    assert float(row["p_value"]) == pytest.approx(r("p"), rel=1e-6)


@pytest.mark.parametrize("name", REPLICATE_DESIGNS)
def test_deff_with_replicates_is_r_s_deff_true(name: str) -> None:
    data = str(REPLICATES / f"replicates_{name}.csv")

    result = run(
        "estimate", data, *_replicate_options(name), "--mean", "api00", "--total", "enroll",
        "--by", "stype", "--deff", "--format", "csv",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    for row in csv.DictReader(io.StringIO(result.stdout)):
        where = (name, row["statistic"], row["variable"], row["by"], row["group"])
        wanted = _replicates_value("replicates_models_expected.csv", *where, "deff")
        assert float(row["deff"]) == pytest.approx(wanted, rel=1e-6)
        degf = _replicates_value("replicates_expected.csv", name, "degf", "", *where[3:], "value")
        assert int(row["df"]) == degf


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_calibrating_replicate_weights_agrees_with_r(lang: str) -> None:
    """--calibrate with --bounds on a replicate design: R's calibrate on a svrepdesign."""
    data = REPLICATES / "replicates_clus1_jk1.csv"
    result = run(
        "estimate", str(data), "--weights", "pw", "--replicates", "rep_",
        "--replicate-type", "jk1", "--rake", CALIBRATION, "--calibrate", "logit",
        "--bounds", "0.5:2.5", "--mean", "api00", "--format", "csv", "--lang", lang,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    with (REPLICATES / "replicates_calibrated_expected.csv").open(encoding="utf-8") as handle:
        wanted = {
            r["quantity"]: float(r["value"])
            for r in csv.DictReader(handle)
            if r["design"] == "clus1_jk1_logit" and r["estimator"] == "mean"
        }
    assert float(row["estimate"]) == pytest.approx(wanted["estimate"], rel=1e-6)
    assert float(row["se"]) == pytest.approx(wanted["se"], rel=1e-6)
