"""Answers collected on the platform: which items apply, how answers are read, the wave's file."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from alliance.errors import RequestError
from alliance.study.collection import (
    applicable,
    asked_items,
    quota_progress,
    read_answer,
    responses_frame,
    write_wave,
)
from alliance.study.margins import PopulationMargins, VariableMargins
from alliance.survey.io.reading import read_responses
from alliance.survey.io.responses import Responses
from alliance.survey.problems import Problem
from alliance.survey.questionnaire.model import Questionnaire
from alliance.survey.validation import check_responses
from tests.study.collected import FOLLOW_UP, RESPONDENT, conditional_public

pytestmark = pytest.mark.unit


def check_frame(questionnaire: Questionnaire, frame: pl.DataFrame, file: str) -> list[Problem]:
    """Check a collected frame as a delivered file is checked (the study does, once stored)."""
    return check_responses(
        Responses(frame=frame, path=Path(file), format="csv"), questionnaire
    ).problems


def test_the_id_and_weight_are_never_asked():
    names = [item.name for item in asked_items(conditional_public())]
    assert names[:2] == ["sex", "age"]
    assert "respondent_id" not in names
    assert "weight" not in names
    assert len(names) == 14


def test_a_follow_up_applies_only_when_its_condition_holds_and_its_answer_is_cleared():
    questionnaire = conditional_public()
    shown, kept = applicable(questionnaire, RESPONDENT | {"volunteer": 2, FOLLOW_UP: 1})
    assert FOLLOW_UP not in [item.name for item in shown]
    assert FOLLOW_UP not in kept
    shown, kept = applicable(questionnaire, RESPONDENT | {"volunteer": 1, FOLLOW_UP: 1})
    assert FOLLOW_UP in [item.name for item in shown]
    assert kept[FOLLOW_UP] == 1
    shown, _kept = applicable(questionnaire, {})
    assert FOLLOW_UP not in [item.name for item in shown]  # unanswered: '' = 1 is false


def test_answers_are_read_as_codes_numbers_and_texts():
    questionnaire = conditional_public()
    assert read_answer(questionnaire, questionnaire.item("sex"), ["F"], {}) == "F"
    assert read_answer(questionnaire, questionnaire.item("volunteer"), ["1"], {}) == 1
    assert read_answer(questionnaire, questionnaire.item("agglomeration"), [""], {}) is None


@pytest.mark.parametrize(
    ("item", "values", "key"),
    [
        ("sex", [""], "collection.required"),
        ("sex", ["X"], "collection.unknown_choice"),
        ("volunteer", ["3"], "collection.unknown_choice"),
    ],
)
def test_a_wrong_answer_is_refused_with_its_item(item, values, key):
    questionnaire = conditional_public()
    with pytest.raises(RequestError) as refused:
        read_answer(questionnaire, questionnaire.item(item), values, {})
    assert refused.value.key == key
    assert refused.value.location.field == item


def test_a_constraint_refuses_with_its_own_message():
    questionnaire = conditional_public(
        extra={
            "name": "partners", "type": "integer",
            "label": {"fr": "Partenaires", "en": "Partners"},
            "constraint": ". >= 0 and . <= 50",
            "constraint_message": {"fr": "Entre 0 et 50", "en": "Between 0 and 50"},
        }
    )  # fmt: skip
    item = questionnaire.item("partners")
    assert read_answer(questionnaire, item, ["12"], {}) == 12
    with pytest.raises(RequestError) as refused:
        read_answer(questionnaire, item, ["51"], {})
    assert refused.value.key == "collection.constraint_own"
    assert refused.value.message("fr") == (
        "Réponse refusée : Entre 0 et 50 (champ 'partners', valeur 51)"
    )
    with pytest.raises(RequestError) as refused:
        read_answer(questionnaire, item, ["1,5"], {})
    assert refused.value.key == "collection.not_an_integer"


def test_the_wave_file_has_one_row_per_response_and_checks_like_a_delivered_file(tmp_path: Path):
    questionnaire = conditional_public()
    collected = [
        RESPONDENT | {"volunteer": 1, FOLLOW_UP: 2},
        RESPONDENT | {"sex": "M", "volunteer": 2, FOLLOW_UP: 1},  # a stale answer: cleared
    ]
    frame = responses_frame(questionnaire, collected)
    assert frame["respondent_id"].to_list() == ["1", "2"]
    assert frame["weight"].to_list() == [1.0, 1.0]
    assert frame[FOLLOW_UP].to_list() == ["2", None]
    assert frame["sex"].to_list() == ["F", "M"]
    assert check_frame(questionnaire, frame, "collecte.csv") == []
    path = tmp_path / "collecte.csv"
    write_wave(questionnaire, collected, path)
    delivered = read_responses(path)
    assert delivered.frame.height == 2
    assert check_frame(questionnaire, delivered.frame, "collecte.csv") == []


def test_a_stale_answer_left_in_the_file_is_a_row_problem():
    questionnaire = conditional_public()
    frame = responses_frame(questionnaire, [RESPONDENT | {"volunteer": 2}])
    frame = frame.with_columns(frame[FOLLOW_UP].fill_null("1"))
    problems = check_frame(questionnaire, frame, "collecte.csv")
    assert [p.key for p in problems] == ["validation_rows.not_relevant"]


def test_quotas_count_complete_responses_per_level_against_the_goal():
    questionnaire = conditional_public()
    margins = PopulationMargins(variables={"sex": VariableMargins(targets={"F": 0.52, "M": 0.48})})
    rows = quota_progress(
        questionnaire, margins, [{"sex": "F"}, {"sex": "F"}, {"sex": "M"}, {}], goal=100
    )
    assert [(r.level, r.count, r.expected) for r in rows] == [("F", 2, 52.0), ("M", 1, 48.0)]
    assert rows[0].label == {"fr": "Femme", "en": "Woman"}
    assert rows[1].to_json() == {
        "variable": "sex", "variable_label": {"fr": "Sexe", "en": "Sex"},
        "level": "M", "label": {"fr": "Homme", "en": "Man"},
        "target": 0.48, "count": 1, "expected": 48.0, "filled": 0.0208,
    }  # fmt: skip


def test_a_typed_text_cannot_run_in_a_spreadsheet():
    questionnaire = conditional_public(
        extra={"name": "comment", "type": "text", "label": {"fr": "Remarque", "en": "Remark"}}
    )
    item = questionnaire.item("comment")
    typed = read_answer(questionnaire, item, ['=HYPERLINK("https://evil.invalid")'], {})
    frame = responses_frame(questionnaire, [RESPONDENT | {"comment": typed}])
    assert frame["comment"].to_list() == ['\'=HYPERLINK("https://evil.invalid")']


def test_a_whole_number_item_is_a_whole_number_column_and_a_decimal_one_a_decimal_column():
    questionnaire = conditional_public(
        extra={"name": "partners", "type": "integer",
               "label": {"fr": "Partenaires", "en": "Partners"}}
    )  # fmt: skip
    frame = responses_frame(
        questionnaire, [RESPONDENT | {"partners": 12}, RESPONDENT | {"partners": None}]
    )
    assert frame.schema["partners"] == pl.Int64
    assert frame["partners"].to_list() == [12, None]
    assert frame.schema["weight"] == pl.Float64
    assert check_frame(questionnaire, frame, "collecte.csv") == []
