"""Next steps: which rule fires, and what each step links to."""

from __future__ import annotations

import pytest

from alliance.diagnostic import default_instrument, next_steps, score
from alliance.diagnostic.next_steps import rules
from alliance.referential import default_referential
from alliance.referential.model import Status

pytestmark = pytest.mark.unit


def steps(profile="associations", categories=None, **answers):
    scores = score(default_instrument(), profile, answers)
    return {s.code: s for s in next_steps(scores, profile, categories_used=categories)}


def test_weakest_lever_comes_first_with_its_components():
    found = next_steps(
        score(
            default_instrument(),
            "associations",
            {"skills": 5, "reserves_months": 1, "strategic": 4},
        ),
        "associations",
    )

    assert found[0].code == "lever-ressources_financieres"
    assert "levers/subventions" in found[0].targets
    assert found[0].title.fr == "Consolider vos ressources financières"


def test_dependence_evaluation_and_magic_square_rules():
    found = steps(largest_funder=80, evaluated_share=10, shared_objectives=2)

    assert {"funder-dependence", "evaluate", "magic-square"} <= set(found)
    assert found["funder-dependence"].examples == {"category": "mecenat"}
    assert found["evaluate"].targets[0] == "evaluation-objects/produit"


def test_unused_category_and_practice_sheet():
    found = steps(categories=["mecenat"], skills=5)

    assert found["new-category"].examples == {"category": "pratiques_responsables"}
    assert found["practice-sheet"].targets == ["actor-profiles/associations"]


def test_a_balanced_strong_organisation_gets_no_lever_step():
    found = steps(skills=5, reserves_months=12, strategic=5)

    assert not [code for code in found if code.startswith("lever-")]


def test_the_practice_sheet_step_leads_to_the_sheet_or_says_it_is_unknown():
    association = steps(profile="associations", skills=5)["practice-sheet"]
    company = steps(profile="entreprises", skills=5)["practice-sheet"]

    assert association.url is not None
    assert association.url.endswith("Fiches-Pratiques-Associations-EXE.pdf")
    assert association.note is None
    assert company.url is None
    assert company.note is not None
    assert company.note.fr.startswith("L'adresse de la fiche de votre profil n'est pas encore")
    assert (company.status, company.examples) == (Status.NOTEBOOK, {"profile": "entreprises"})


def test_every_rule_has_a_status_known_sources_and_both_languages():
    sources = default_referential().sources
    for rule in rules():
        assert Status(rule["status"])
        assert set(rule["sources"]) <= set(sources)
        for texts in rule.get("per_lever", {"": rule}).values():
            assert texts["title"]["fr"] != texts["title"]["en"]
            assert texts["why"]["fr"] != texts["why"]["en"]


def test_a_step_carries_its_rule_status_and_sources():
    found = steps(largest_funder=80)["funder-dependence"]

    assert (found.status, found.sources) == (Status.INFERRED, ["reconstruction"])
