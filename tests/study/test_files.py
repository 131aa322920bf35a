"""One file of a study checked in its context: how it was read, its problems, its rejected rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.study.check import prepare_study
from alliance.study.definition import load_definition
from alliance.study.editing import set_validation
from alliance.study.files import NamedFile, check_file, named_files
from alliance.survey.io import read_responses, write_responses
from tests.study.conftest import edit
from tests.study.defects import defective_csv

pytestmark = pytest.mark.unit

CSV = "data/habitants-2024.csv"


def test_the_files_study_yaml_names(hand_study: Path):
    definition, problems, _doc = load_definition(hand_study)
    assert definition is not None
    assert problems == []

    assert named_files(definition) == [
        NamedFile("study.yaml", "definition"),
        NamedFile("questionnaires/habitants.yaml", "questionnaire", "habitants"),
        NamedFile("margins/habitants.json", "margins", "habitants"),
        NamedFile("data/habitants-2023.sav", "wave", "habitants", "2023"),
        NamedFile("data/habitants-2024.csv", "wave", "habitants", "2024"),
    ]


def test_how_a_french_csv_was_read(hand_study: Path):
    report = check_file(hand_study, "./" + CSV)

    assert (report.path, report.role, report.population, report.wave) == (
        CSV, "wave", "habitants", "2024",
    )  # fmt: skip
    assert {k: v for k, v in report.reading.items() if k != "column_names"} == {
        "format": "csv", "encoding": "windows-1252", "separator": ";", "decimal": ",",
        "sheet": None, "rows": 350, "columns": 9,
        "description": "csv, encoding=windows-1252, separator=;, decimal=,",
    }  # fmt: skip
    assert report.problems == []
    assert report.rejected is not None
    assert report.rejected.height == 0


def test_how_an_spss_file_was_read(hand_study: Path):
    report = check_file(hand_study, "data/habitants-2023.sav")

    assert (report.reading["format"], report.reading["rows"], report.reading["columns"]) == (
        "spss", 400, 9,
    )  # fmt: skip
    assert report.problems == []


def test_a_defective_wave_every_problem_with_row_and_column(hand_study: Path):
    (hand_study.parent / CSV).write_bytes(defective_csv())

    report = check_file(hand_study, CSV)

    assert [(p.severity, p.key, p.location.line, p.location.field, p.location.value)
            for p in report.problems] == [
        ("error", "validation_rows.column_unknown", None, "remarque", None),
        ("error", "validation_rows.code_outside_scale", 3, "q_impact", "Énorme"),
    ]  # fmt: skip
    assert report.unknown_columns == ["remarque"]
    assert report.rejected is not None
    assert report.rejected["id_repondant"].to_list() == ["H24-0002"]
    assert report.rejected["line"].to_list() == [3]
    assert "q_impact" in report.rejected["reasons"][0]
    assert "q_impact" in report.items
    assert report.reading["columns"] == 10


def test_strict_refuses_the_wave_lenient_leaves_its_bad_rows_out(hand_study: Path):
    (hand_study.parent / CSV).write_bytes(defective_csv())
    strict = prepare_study(hand_study)
    assert {p.key for p in strict.errors} == {
        "validation_rows.column_unknown", "validation_rows.code_outside_scale",
    }  # fmt: skip
    assert strict.populations == []

    set_validation(hand_study, CSV, "lenient")
    lenient = prepare_study(hand_study)
    report = check_file(hand_study, CSV)

    assert lenient.errors == []
    assert [(p.severity, p.key) for p in report.problems] == [
        ("warning", "validation_rows.column_unknown"),
        ("warning", "validation_rows.code_outside_scale"),
    ]
    (population,) = lenient.populations
    wave = next(w for w in population.waves if w.wave == "2024")
    assert wave.frame.height == 349
    assert "remarque" not in wave.frame.columns


def test_a_missing_column_still_refuses_a_lenient_wave(hand_study: Path):
    set_validation(hand_study, CSV, "lenient")
    path = hand_study.parent / CSV
    text = path.read_bytes().decode("cp1252").replace("id_repondant;", "identifiant;", 1)
    path.write_bytes(text.encode("cp1252"))

    report = check_file(hand_study, CSV)

    assert ("error", "validation_rows.column_missing") in {
        (p.severity, p.key) for p in report.problems
    }
    assert prepare_study(hand_study).errors != []


def test_other_files_are_loaded_and_unnamed_ones_not_checked(hand_study: Path):
    (hand_study.parent / "margins" / "habitants.json").write_text("{", encoding="utf-8")

    margins = check_file(hand_study, "margins/habitants.json")
    other = check_file(hand_study, "notes.txt")

    assert margins.role == "margins"
    assert len(margins.errors) == 1
    assert margins.errors[0].location.file == "margins/habitants.json"
    assert (other.role, other.problems) == (None, [])


def test_a_missing_wave_is_one_problem(hand_study: Path):
    (hand_study.parent / CSV).unlink()

    report = check_file(hand_study, CSV)

    assert [p.key for p in report.problems] == ["study.file_missing"]
    assert report.reading == {}


def test_an_unreadable_definition_is_the_report(tmp_path: Path):
    study = tmp_path / "study.yaml"
    study.write_text("study: [", encoding="utf-8")

    report = check_file(study, "study.yaml")

    assert report.role == "definition"
    assert [p.key for p in report.problems] == ["yaml.invalid"]


def test_how_an_xlsx_wave_was_read(hand_study: Path):
    responses = read_responses(hand_study.parent / CSV)
    write_responses(responses, hand_study.parent / "data" / "habitants-2024.xlsx")
    edit(hand_study, f"file: {CSV}", "file: data/habitants-2024.xlsx")

    report = check_file(hand_study, "data/habitants-2024.xlsx")

    reading = {k: v for k, v in report.reading.items() if k in ("format", "rows", "columns")}
    assert reading == {"format": "xlsx", "rows": 350, "columns": 9}
    assert report.reading["sheet"] is not None
    assert report.problems == []
