"""Problems found in responses: what is wrong, where, how serious, in French and English."""

from __future__ import annotations

import pytest

from alliance.errors import Location
from alliance.survey.problems import PROBLEM_COLUMNS, Problem

pytestmark = pytest.mark.unit

OUTSIDE = Problem(
    "validation_rows.code_outside_scale",
    Location(file="wave.csv", line=3, field="q1", value="7"),
    params={"codes": "1, 2, 9"},
)


def test_text_says_what_is_wrong_without_the_place():
    assert OUTSIDE.text("fr") == "Code hors de l'échelle (codes permis : 1, 2, 9)"
    assert OUTSIDE.text("en") == "Code outside the scale (allowed codes: 1, 2, 9)"


def test_message_adds_the_place_in_each_language():
    assert OUTSIDE.message("fr") == (
        "Code hors de l'échelle (codes permis : 1, 2, 9) "
        "(fichier wave.csv, ligne 3, champ 'q1', valeur '7')"
    )
    assert OUTSIDE.message("en") == (
        "Code outside the scale (allowed codes: 1, 2, 9) "
        "(file wave.csv, line 3, field 'q1', value '7')"
    )


def test_message_without_a_place_is_the_text_alone():
    problem = Problem("validation_rows.weight_negative", Location())

    assert problem.message("fr") == "Poids négatif"
    assert problem.message("en") == "Negative weight"


def test_problems_are_errors_unless_told_otherwise():
    warning = Problem(
        "validation_rows.column_unknown",
        Location(file="wave.csv", field="extra"),
        severity="warning",
        params={"column": "extra"},
    )

    assert OUTSIDE.severity == "error"
    assert warning.severity == "warning"
    assert warning.message("en") == (
        "Column 'extra' matches no item (map it or ignore it in a mapping file) "
        "(file wave.csv, field 'extra')"
    )


def test_record_is_one_report_row_in_the_column_order():
    record = OUTSIDE.record("en")

    assert list(record) == PROBLEM_COLUMNS
    assert record == {
        "severity": "error",
        "file": "wave.csv",
        "line": 3,
        "row": None,
        "column": "q1",
        "value": "7",
        "message": "Code outside the scale (allowed codes: 1, 2, 9)",
    }


def test_record_of_a_spreadsheet_row_in_french():
    problem = Problem(
        "validation_rows.duplicate_id", Location(file="wave.xlsx", row=12, field="id", value="R7")
    )

    record = problem.record("fr")

    assert (record["line"], record["row"]) == (None, 12)
    assert record["message"] == "Identifiant de répondant en double"


def test_problems_are_values():
    same = Problem(
        "validation_rows.code_outside_scale",
        Location(file="wave.csv", line=3, field="q1", value="7"),
        params={"codes": "1, 2, 9"},
    )

    assert same == OUTSIDE
