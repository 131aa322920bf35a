"""The questionnaire model: items, scales, roles, and the mistakes it refuses, in both languages."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from alliance.messages import render
from alliance.survey.questionnaire import ItemType, Questionnaire, Role
from alliance.validation import message_for

pytestmark = pytest.mark.unit

VALID: dict[str, Any] = {
    "questionnaire": "small",
    "version": "1",
    "population": "people",
    "title": {"fr": "Petit questionnaire", "en": "Small questionnaire"},
    "scales": [
        {
            "name": "impact",
            "choices": [
                {"code": 1, "label": {"fr": "Fort", "en": "Strong"}},
                {"code": 2, "label": {"fr": "Faible", "en": "Weak"}},
                {"code": 9, "label": {"fr": "Ne sait pas", "en": "Does not know"}, "missing": True},
            ],
        }
    ],
    "items": [
        {
            "name": "id",
            "type": "text",
            "label": {"fr": "Identifiant", "en": "Identifier"},
            "required": True,
            "role": "id",
        },
        {
            "name": "w",
            "type": "decimal",
            "label": {"fr": "Poids", "en": "Weight"},
            "role": "weight",
        },
        {
            "name": "impact",
            "type": "select_one",
            "scale": "impact",
            "label": {"fr": "Impact", "en": "Impact"},
        },
    ],
}


def changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """VALID with the value at ``path`` replaced."""
    data = copy.deepcopy(VALID)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return data


def messages(data: dict[str, Any]) -> tuple[tuple[Any, ...], str, str]:
    """The first problem's place and its French and English texts."""
    with pytest.raises(ValidationError) as caught:
        Questionnaire.model_validate(data)
    first = caught.value.errors()[0]
    key, params = message_for(first)
    return tuple(first["loc"]), render(key, "fr", **params), render(key, "en", **params)


def test_valid_questionnaire_gives_its_items_scales_and_roles():
    questionnaire = Questionnaire.model_validate(VALID)

    impact = questionnaire.item("impact")
    scale = questionnaire.scale_of(impact)
    assert impact.type is ItemType.SELECT_ONE
    assert scale is not None
    assert scale.codes() == [1, 2, 9]
    assert scale.codes(missing=True) == [9]
    assert scale.codes(missing=False) == [1, 2]
    assert questionnaire.scale_of(questionnaire.item("w")) is None
    assert questionnaire.id_item == questionnaire.item("id")
    assert questionnaire.weight_item == questionnaire.item("w")
    assert questionnaire.item("w").role is Role.WEIGHT
    assert questionnaire.title("en") == "Small questionnaire"


def test_defaults_of_a_minimal_questionnaire():
    data = changed(("items",), [VALID["items"][2]])

    questionnaire = Questionnaire.model_validate(data)

    assert (questionnaire.id_item, questionnaire.weight_item) == (None, None)
    assert (questionnaire.synthetic, questionnaire.sources) == (False, [])
    item = questionnaire.items[0]
    assert (item.required, item.role, item.referential) == (False, None, [])


def test_duplicate_codes_in_a_scale():
    choices = [*VALID["scales"][0]["choices"], {"code": 1, "label": {"fr": "Un", "en": "One"}}]

    loc, fr, en = messages(changed(("scales", 0, "choices"), choices))

    assert loc == ("scales", 0)
    assert fr == "Code 1 en double dans l'échelle"
    assert en == "Duplicate code 1 in the scale"


def test_a_number_and_its_text_are_the_same_code():
    choices = [*VALID["scales"][0]["choices"], {"code": "2", "label": {"fr": "Deux", "en": "Two"}}]

    _, _, en = messages(changed(("scales", 0, "choices"), choices))

    assert en == "Duplicate code 2 in the scale"


def test_duplicate_items():
    items = [*VALID["items"], {**VALID["items"][2], "label": {"fr": "Encore", "en": "Again"}}]

    loc, fr, en = messages(changed(("items",), items))

    assert loc == ()
    assert fr == "Question impact en double"
    assert en == "Duplicate item impact"


def test_unknown_scale():
    loc, fr, en = messages(changed(("items", 2, "scale"), "effect"))

    assert loc == ()
    assert fr == "Échelle inconnue : effect"
    assert en == "Unknown scale: effect"


@pytest.mark.parametrize(
    ("index", "field", "value"),
    [(1, "scale", "impact"), (2, "scale", None)],
    ids=["scale-without-select", "select-without-scale"],
)
def test_scale_if_and_only_if_select(index, field, value):
    loc, fr, en = messages(changed(("items", index, field), value))

    assert loc == ("items", index)
    assert fr == "Les questions select_one et select_multiple, et elles seules, ont une échelle"
    assert en == "select_one and select_multiple items, and only they, need a scale"


def test_two_id_items():
    loc, fr, en = messages(changed(("items", 1, "role"), "id"))

    assert loc == ()
    assert fr == "Plusieurs questions ont le rôle « id »"
    assert en == "More than one item has the role 'id'"


def test_unknown_field_is_a_typo():
    data = changed(("items", 0, "requried"), True)

    loc, fr, en = messages(data)

    assert loc == ("items", 0, "requried")
    assert (fr, en) == ("Champ inconnu (faute de frappe ?)", "Unknown field (a typo?)")


def test_item_name_must_be_a_column_name():
    loc, _, en = messages(changed(("items", 2, "name"), "2nd impact"))

    assert loc == ("items", 2, "name")
    assert en == "Invalid format (expected: ^[A-Za-z_][A-Za-z0-9_.]*$)"


def test_unknown_item_type_lists_the_types():
    loc, fr, _ = messages(changed(("items", 0, "type"), "geopoint"))

    assert loc == ("items", 0, "type")
    assert fr == (
        "Valeur non admise (attendu : 'select_one', 'select_multiple', 'integer', 'decimal' "
        "or 'text')"
    )


def test_a_questionnaire_has_at_least_one_item():
    loc, _, en = messages(changed(("items",), []))

    assert loc == ("items",)
    assert en == "List too short (at least 1 item)"


def test_questionnaires_are_frozen():
    questionnaire = Questionnaire.model_validate(VALID)

    with pytest.raises(ValidationError):
        questionnaire.version = "2"  # type: ignore[misc]
