"""Qualifying a partnership: title, agreement and each side, cleaned or refused with a reason."""

from __future__ import annotations

import pytest

from alliance.errors import EvaluationError
from alliance.evaluation.qualification import (
    Agreement,
    Side,
    validate_agreement,
    validate_side,
    validate_title,
)

pytestmark = pytest.mark.unit

CATEGORIES = "mecenat, pratiques_responsables, cooperation_economique, innovation_societale"
CONTRACTS = "contrat_echange, contrat_alliance"
OBJECTIVES = "processus, positionnement, business_model, proposition_valeur"
CONTRIBUTIONS = "money, skills, in_kind, time"


def refused(function, *args) -> EvaluationError:
    with pytest.raises(EvaluationError) as caught:
        function(*args)
    return caught.value


@pytest.mark.parametrize(
    ("title", "expected"),
    [("  Mon partenariat  ", "Mon partenariat"), ("x" * 200, "x" * 200), ("\tA\n", "A")],
)
def test_title_is_trimmed(title, expected):
    assert validate_title(title) == expected


@pytest.mark.parametrize(
    ("title", "shown"), [("", ""), ("   ", ""), (None, ""), ("y" * 201, "y" * 40)]
)
def test_title_blank_or_over_200_characters_is_refused(title, shown):
    error = refused(validate_title, title)

    assert error.key == "qualification.title_invalid"
    assert (error.location.field, error.location.value) == ("title", shown)
    assert error.message("fr") == (
        "Intitulé de partenariat invalide : il faut de 1 à 200 caractères "
        f"(champ 'title', valeur {shown!r})"
    )
    assert error.message("en") == (
        "Invalid partnership title: 1 to 200 characters are needed "
        f"(field 'title', value {shown!r})"
    )


def test_title_length_is_counted_after_trimming():
    assert validate_title("  " + "z" * 200 + "  ") == "z" * 200


def test_agreement_is_cleaned():
    assert validate_agreement("mecenat", "  Un objectif commun  ", "contrat_alliance") == Agreement(
        "mecenat", "Un objectif commun", "contrat_alliance"
    )
    assert validate_agreement("innovation_societale", "o" * 300, "contrat_echange") == Agreement(
        "innovation_societale", "o" * 300, "contrat_echange"
    )


@pytest.mark.parametrize("blank", ["", None])
def test_agreement_may_be_left_blank(blank):
    assert validate_agreement(blank, blank, blank) == Agreement("", "", "")


@pytest.mark.parametrize("category", ["mecenat_financier", "Mecenat", "philanthropie"])
def test_unknown_category_names_the_four_roots(category):
    error = refused(validate_agreement, category, "", "")

    assert error.key == "qualification.category_unknown"
    assert (error.location.field, error.location.value) == ("category", category)
    assert error.message("fr") == (
        f"Catégorie de partenariat inconnue (connues : {CATEGORIES}) "
        f"(champ 'category', valeur {category!r})"
    )
    assert error.message("en") == (
        f"Unknown partnership category (known: {CATEGORIES}) (field 'category', value {category!r})"
    )


def test_unknown_contract_names_the_referential_contract_types():
    error = refused(validate_agreement, "mecenat", "", "contrat")

    assert error.key == "qualification.contract_unknown"
    assert (error.location.field, error.location.value) == ("contract", "contrat")
    assert error.message("fr") == (
        f"Type de contrat inconnu (connus : {CONTRACTS}) (champ 'contract', valeur 'contrat')"
    )
    assert error.message("en") == (
        f"Unknown contract type (known: {CONTRACTS}) (field 'contract', value 'contrat')"
    )


def test_common_objective_over_300_characters_is_refused_with_its_beginning():
    error = refused(validate_agreement, "mecenat", "  " + "o" * 301, "contrat_echange")

    shown = "o" * 40 + "…"
    assert error.key == "qualification.text_too_long"
    assert (error.location.field, error.location.value) == ("common_objective", shown)
    assert error.message("fr") == (
        f"Texte trop long : 300 caractères au plus (champ 'common_objective', valeur '{shown}')"
    )
    assert error.message("en") == (
        f"Text too long: 300 characters at most (field 'common_objective', value '{shown}')"
    )


def test_side_keeps_priorities_as_numbers_and_drops_blanks():
    side = validate_side(
        {"processus": "1", "positionnement": 2, "business_model": "", "proposition_valeur": None},
        {"money": "  10 000 € par an ", "skills": "", "in_kind": None, "time": "Deux jours"},
    )

    assert side == Side(
        objectives={"processus": 1, "positionnement": 2},
        contributions={"money": "10 000 € par an", "time": "Deux jours"},
    )


def test_side_accepts_every_priority_and_an_empty_side():
    assert validate_side({"processus": " 3 ", "business_model": "2", "positionnement": 1}, {}) == (
        Side({"processus": 3, "business_model": 2, "positionnement": 1}, {})
    )
    assert validate_side({}, {}) == Side({}, {})


@pytest.mark.parametrize("objective", ["vitesse", "Processus"])
def test_unknown_objective_names_the_magic_square(objective):
    error = refused(validate_side, {objective: 1}, {})

    assert error.key == "qualification.objective_unknown"
    assert (error.location.field, error.location.value) == ("objectives", objective)
    assert error.message("fr") == (
        f"Objectif du carré magique inconnu (connus : {OBJECTIVES}) "
        f"(champ 'objectives', valeur {objective!r})"
    )
    assert error.message("en") == (
        f"Unknown carré magique objective (known: {OBJECTIVES}) "
        f"(field 'objectives', value {objective!r})"
    )


def test_an_unknown_objective_is_refused_even_without_priority():
    error = refused(validate_side, {"vitesse": None}, {})

    assert error.key == "qualification.objective_unknown"


@pytest.mark.parametrize("priority", [True, False, 0, 4, "0", "4", "premier", 1.0, "1.5", -1])
def test_priority_other_than_1_2_or_3_is_refused(priority):
    error = refused(validate_side, {"positionnement": priority}, {})

    assert error.key == "qualification.priority_invalid"
    assert (error.location.field, error.location.value) == ("objectives.positionnement", priority)
    assert error.message("fr") == (
        "Priorité invalide : 1, 2 ou 3 (1 = la première) "
        f"(champ 'objectives.positionnement', valeur {priority!r})"
    )
    assert error.message("en") == (
        "Invalid priority: 1, 2 or 3 (1 = the first) "
        f"(field 'objectives.positionnement', value {priority!r})"
    )


def test_unknown_contribution_names_the_four_kinds():
    error = refused(validate_side, {"processus": 1}, {"gold": "un lingot"})

    assert error.key == "qualification.contribution_unknown"
    assert (error.location.field, error.location.value) == ("contributions", "gold")
    assert error.message("fr") == (
        f"Type d'apport inconnu (connus : {CONTRIBUTIONS}) (champ 'contributions', valeur 'gold')"
    )
    assert error.message("en") == (
        f"Unknown kind of contribution (known: {CONTRIBUTIONS}) "
        "(field 'contributions', value 'gold')"
    )


def test_contribution_over_300_characters_is_refused():
    error = refused(validate_side, {}, {"skills": "c" * 299 + "dé"})

    shown = "c" * 40 + "…"
    assert error.key == "qualification.text_too_long"
    assert (error.location.field, error.location.value) == ("contributions.skills", shown)
    assert error.message("fr") == (
        f"Texte trop long : 300 caractères au plus (champ 'contributions.skills', valeur '{shown}')"
    )
    assert error.message("en") == (
        f"Text too long: 300 characters at most (field 'contributions.skills', value '{shown}')"
    )


def test_a_contribution_of_exactly_300_characters_is_kept():
    assert validate_side({}, {"in_kind": "k" * 300}) == Side({}, {"in_kind": "k" * 300})


def test_common_objectives_come_from_the_referential():
    agreement = validate_agreement(
        "mecenat", "Former des jeunes", "", ["reduire_fragilites", "reduire_fragilites"]
    )

    assert agreement.common_objectives == ("reduire_fragilites",)
    assert agreement.common_objective == "Former des jeunes"
    with pytest.raises(EvaluationError) as refused:
        validate_agreement("", "", "", ["inventé"])
    assert refused.value.key == "qualification.common_objective_unknown"
    assert refused.value.location.value == "inventé"
