"""The « how to ally » chain on the demo partnership: proposals, the gap, the contract's rule."""

from __future__ import annotations

import pytest

from alliance.evaluation.guidance import contract_for, guide, propose, rules
from alliance.evaluation.qualification import Agreement, Side
from alliance.referential import default_referential

pytestmark = pytest.mark.unit

#: The demo partnership's sides (alliance.web.demo_content): an association and a bakery.
ASSOCIATION = Side({"positionnement": 1, "processus": 2}, {})
BAKERY = Side({"processus": 1, "proposition_valeur": 2}, {})
AGREED = Agreement("mecenat", "", "", ("reduire_fragilites",))


def test_each_priority_points_to_the_category_the_referential_links_it_to():
    association, bakery = (propose(side, "fr") for side in (ASSOCIATION, BAKERY))

    assert association is not None
    assert bakery is not None
    assert (association.objective, association.category, association.category_label) == (
        "positionnement", "mecenat", "Mécénat",
    )  # fmt: skip
    assert (bakery.objective, bakery.category) == ("processus", "pratiques_responsables")
    assert (bakery.badge.status, bakery.badge.text) == ("inferred", "déduit")
    link = next(
        link
        for link in default_referential().item("objectives/processus").links
        if link.rel == "activates_category"
    )
    assert [s.title for s in bakery.sources] == [
        default_referential().sources[code].title for code in link.sources
    ]
    assert bakery.rule.startswith("Catégorie déduite de votre objectif prioritaire")


def test_the_demo_partners_are_told_their_priorities_point_to_different_categories():
    guidance = guide([ASSOCIATION, BAKERY], AGREED, "en")

    assert guidance.gap
    assert guidance.verdict is not None
    assert guidance.verdict.startswith(
        "Your priority objectives call for two different categories (Corporate philanthropy and "
        "Responsible practices)"
    )


def test_same_priorities_say_so_and_a_missing_priority_says_nothing_yet():
    same = guide([BAKERY, BAKERY], AGREED, "fr")
    waiting = guide([ASSOCIATION, Side({}, {})], AGREED, "fr")

    assert not same.gap
    assert (
        same.verdict
        == "Vos objectifs prioritaires appellent la même catégorie : Pratiques responsables."
    )
    assert waiting.proposals[1] is None
    assert (waiting.gap, waiting.verdict) == (False, None)


def test_ties_go_to_the_first_objective_of_the_square():
    tied = propose(Side({"proposition_valeur": 1, "positionnement": 1}, {}), "fr")

    assert tied is not None
    assert tied.objective == "positionnement"


@pytest.mark.parametrize(
    ("agreement", "contract"),
    [
        (Agreement("", "", "", ("reduire_fragilites",)), "contrat_alliance"),
        (Agreement("", "Former des jeunes du quartier", ""), "contrat_alliance"),
        (Agreement("mecenat", "", ""), "contrat_echange"),
    ],
)
def test_the_contract_follows_from_a_common_objective(agreement: Agreement, contract: str):
    assert contract_for(agreement) == contract


def test_the_contract_rule_is_shown_with_its_status():
    guidance = guide([ASSOCIATION, BAKERY], Agreement("", "", ""), "fr")

    assert (guidance.contract, guidance.contract_label) == ("contrat_echange", "Contrat échange")
    assert guidance.contract_rule.startswith("Règle : un partenariat devient un contrat alliance")
    assert guidance.contract_badge.status == rules()["contract"]["status"] == "notebook"


def test_every_rule_names_known_sources_and_both_languages():
    sources = default_referential().sources
    for part in ("proposal", "gap", "contract"):
        rule = rules()[part]
        assert set(rule["sources"]) <= set(sources)
        assert rule["text"]["fr"] != rule["text"]["en"]
