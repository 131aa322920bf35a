"""Skip logic on a delivered file: skipped items left empty, asked ones answered, constraints kept.

Strict refuses the rows (errors), lenient keeps the wave going on its valid rows and reports the
same problems as warnings, each with its row, column and value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from alliance.study.check import check_wave
from alliance.survey.io.responses import Responses
from alliance.survey.questionnaire import Questionnaire
from alliance.survey.validation import check_responses

pytestmark = pytest.mark.unit

YES_NO = {
    "name": "yes_no",
    "choices": [
        {"code": 1, "label": {"fr": "Oui", "en": "Yes"}},
        {"code": 2, "label": {"fr": "Non", "en": "No"}},
    ],
}
CATEGORIES = {
    "name": "categories",
    "choices": [
        {"code": "mecenat", "label": {"fr": "Mécénat", "en": "Sponsorship"}},
        {"code": "pratiques", "label": {"fr": "Pratiques responsables", "en": "Practices"}},
    ],
}
FOLLOW_UP = Questionnaire.model_validate(
    {
        "questionnaire": "follow-up",
        "version": "1",
        "population": "associations",
        "title": {"fr": "Suivi", "en": "Follow-up"},
        "scales": [YES_NO, CATEGORIES],
        "items": [
            {"name": "id", "type": "text", "label": {"fr": "Id", "en": "Id"}, "role": "id"},
            {
                "name": "has_partnerships",
                "type": "select_one",
                "scale": "yes_no",
                "label": {"fr": "Avez-vous des partenariats ?", "en": "Any partnerships?"},
                "required": True,
            },
            {
                "name": "partnership_count",
                "type": "integer",
                "label": {"fr": "Combien ?", "en": "How many?"},
                "relevant": "${has_partnerships} = 1",
                "required": True,
                "constraint": ". >= 1 and . <= 500",
                "constraint_message": {"fr": "de 1 à 500", "en": "from 1 to 500"},
            },
            {
                "name": "categories",
                "type": "select_multiple",
                "scale": "categories",
                "label": {"fr": "Lesquels ?", "en": "Which?"},
                "relevant": "${partnership_count} >= 2",
            },
            {
                "name": "sponsorship_note",
                "type": "text",
                "label": {"fr": "Précisez", "en": "Say more"},
                "relevant": "selected(${categories}, 'mecenat')",
            },
        ],
    }
)


def delivery(**columns: Any) -> Responses:
    return Responses(
        pl.DataFrame(columns, strict=False), Path("vague.csv"), "csv", first_row=2, row_unit="line"
    )


def messages(problems, lang="fr") -> list[str]:
    return [p.message(lang) for p in problems]


def test_a_clean_file_has_no_problem():
    responses = delivery(
        id=["1", "2", "3"],
        has_partnerships=["Oui", "2", "1"],
        partnership_count=[3, None, 1],
        **{"categories.mecenat": [1, None, None], "categories.pratiques": [0, None, None]},
        sponsorship_note=["des dons", "", None],
    )

    checked = check_responses(responses, FOLLOW_UP)

    assert checked.problems == []
    assert checked.responses.frame.height == 3


def test_answers_that_should_not_exist_and_missing_ones_are_located():
    responses = delivery(
        id=["1", "2", "3", "4"],
        has_partnerships=[2, 1, 1, 1],
        partnership_count=[4, None, 1, 900],
        **{"categories.mecenat": [None, None, 1, 0], "categories.pratiques": [None, None, 0, 1]},
        sponsorship_note=[None, None, None, "oups"],
    )

    checked = check_responses(responses, FOLLOW_UP)

    assert messages(checked.problems) == [
        "Réponse à une question qui aurait dû être sautée (posée seulement si "
        "${has_partnerships} = 1) (fichier vague.csv, ligne 2, champ 'partnership_count', "
        "valeur 4)",
        "Réponse manquante à une question obligatoire qui était posée (${has_partnerships} = 1) "
        "(fichier vague.csv, ligne 3, champ 'partnership_count')",
        "Réponse hors de la contrainte . >= 1 and . <= 500 : de 1 à 500 (fichier vague.csv, "
        "ligne 5, champ 'partnership_count', valeur 900)",
        "Réponse à une question qui aurait dû être sautée (posée seulement si "
        "${partnership_count} >= 2) (fichier vague.csv, ligne 4, champ 'categories.mecenat', "
        "valeur 1)",
        "Réponse à une question qui aurait dû être sautée (posée seulement si "
        "selected(${categories}, 'mecenat')) (fichier vague.csv, ligne 5, "
        "champ 'sponsorship_note', valeur 'oups')",
    ]
    assert messages(checked.problems, "en")[2] == (
        "Answer outside the constraint . >= 1 and . <= 500: from 1 to 500 (file vague.csv, "
        "line 5, field 'partnership_count', value 900)"
    )
    assert checked.responses.frame.height == 0
    assert checked.rejected["reasons"][0].startswith("partnership_count: Réponse à une question")


def test_a_skipped_multiple_choice_of_zeros_is_no_answer():
    responses = delivery(
        id=["1"],
        has_partnerships=[2],
        partnership_count=[None],
        **{"categories.mecenat": [0], "categories.pratiques": [0]},
        sponsorship_note=[""],
    )

    assert check_responses(responses, FOLLOW_UP).problems == []


def test_skip_logic_reads_recoded_labels_and_a_text_column_of_codes():
    responses = delivery(
        id=["1", "2"],
        has_partnerships=["Non", "Oui"],
        partnership_count=[None, 2],
        categories=["", "pratiques mecenat"],
        sponsorship_note=["", ""],
    )

    assert check_responses(responses, FOLLOW_UP).problems == []


def test_strict_refuses_and_lenient_reports():
    responses = delivery(
        id=["1", "2"],
        has_partnerships=[2, 1],
        partnership_count=[5, 3],
        **{"categories.mecenat": [None, 0], "categories.pratiques": [None, 1]},
        sponsorship_note=[None, None],
    )

    strict = check_wave(responses, FOLLOW_UP, None, "strict")
    lenient = check_wave(responses, FOLLOW_UP, None, "lenient")

    assert [(p.severity, p.key) for p in strict.problems] == [
        ("error", "validation_rows.not_relevant")
    ]
    assert [(p.severity, p.key) for p in lenient.problems] == [
        ("warning", "validation_rows.not_relevant")
    ]
    assert lenient.responses.frame["id"].to_list() == ["2"]


def test_a_required_item_without_skip_logic_is_still_required():
    responses = delivery(
        id=["1"],
        has_partnerships=[None],
        partnership_count=[None],
        **{"categories.mecenat": [None], "categories.pratiques": [None]},
        sponsorship_note=[None],
    )

    problems = check_responses(responses, FOLLOW_UP).problems

    assert [p.key for p in problems] == ["validation_rows.required"]
