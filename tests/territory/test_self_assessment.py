"""The self-assessment's items from the referential, its levels as placeholders, its checks."""

from __future__ import annotations

import pytest

from alliance.errors import RequestError
from alliance.territory.self_assessment import (
    MATURITY,
    NOTE_LIMIT,
    assessment_items,
    clean_assessment,
    levels,
)

pytestmark = pytest.mark.unit


def test_items_are_the_three_engineerings_the_three_dimensions_and_maturity():
    items = assessment_items("fr")
    assert [i.key for i in items] == [
        "territorial-engineerings/publique",
        "territorial-engineerings/projet",
        "territorial-engineerings/catalyse",
        "co-construction-dimensions/animation_territoire",
        "co-construction-dimensions/experimentations_collectives",
        "co-construction-dimensions/accompagnement_partenariats_innovants",
        MATURITY,
    ]
    assert items[2].label == "Ingénierie de « catalyse »"
    assert items[-1].label == "Maturité de la co-construction sur le territoire (dans son ensemble)"


def test_levels_stay_honest_placeholders():
    assert levels("en") == [
        (f"niveau_{n}", f"Maturity level no. {n} [unknown]", "unknown") for n in range(1, 5)
    ]


def test_clean_answers_drop_empty_ones():
    answers, notes = clean_assessment(
        {"territorial-engineerings/publique": "niveau_3", MATURITY: None},
        {"territorial-engineerings/publique": "  Une agence départementale  ", MATURITY: " "},
    )
    assert answers == {"territorial-engineerings/publique": "niveau_3"}
    assert notes == {"territorial-engineerings/publique": "Une agence départementale"}


@pytest.mark.parametrize(
    ("answers", "notes", "key", "where"),
    [
        ({"levers/alliances": "niveau_1"}, {}, "territories.unknown_item", "levers/alliances"),
        ({MATURITY: "niveau_5"}, {}, "territories.unknown_level", "niveau_5"),
        ({}, {MATURITY: "x" * (NOTE_LIMIT + 1)}, "territories.invalid_note", MATURITY),
        ({}, {MATURITY: ["a list"]}, "territories.invalid_note", MATURITY),
        (["not", "a", "mapping"], {}, "territories.not_a_mapping", "answers"),
    ],
)
def test_bad_answers_are_located_bilingual_errors(answers, notes, key, where):
    with pytest.raises(RequestError) as refused:
        clean_assessment(answers, notes)
    assert refused.value.key == key
    assert where in refused.value.message("fr")
    assert refused.value.message("fr") != refused.value.message("en")
