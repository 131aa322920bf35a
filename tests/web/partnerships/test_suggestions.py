"""A next step's examples: like the organisation (category, profile, region), as close as found."""

from __future__ import annotations

import pytest
from django.utils import translation

from alliance.diagnostic import NextStep
from alliance.referential.model import LocalizedText
from alliance.web.partnerships.suggestions import suggest

pytestmark = pytest.mark.integration

TEXT = LocalizedText(fr="Étape", en="Step")


def step(**examples: str) -> NextStep:
    return NextStep("x", TEXT, TEXT, [], examples)


def test_the_closest_search_keeps_category_profile_and_region(organisation):
    organisation.commune = "69266"  # Villeurbanne, Auvergne-Rhône-Alpes
    organisation.save()

    found = suggest(step(category="mecenat"), organisation, "fr")

    assert found is not None
    assert (found.query, found.count) == (
        {"category": "mecenat", "profile": "associations", "region": "ARA"}, 1,
    )  # fmt: skip
    assert found.reason == (
        "Exemples choisis pour vous (catégorie « Mécénat », profil « Associations », région "
        "« Auvergne-Rhône-Alpes ») : 1."
    )


def test_criteria_are_dropped_until_examples_are_found(organisation):
    organisation.commune = "97411"  # Saint-Denis, La Réunion: no example there
    organisation.save()

    found = suggest(step(category="cooperation_economique"), organisation, "en")

    assert found is not None
    assert (found.query, found.count) == (
        {"category": "cooperation_economique", "profile": "associations"}, 10,
    )  # fmt: skip


def test_without_commune_the_profile_still_counts_and_a_step_without_examples_has_none(
    organisation,
):
    found = suggest(step(profile="associations"), organisation, "fr")

    assert found is not None
    assert found.query == {"profile": "associations"}
    assert suggest(step(), organisation, "fr") is None


def test_the_reason_in_english(organisation):
    organisation.commune = "69266"
    organisation.save()

    with translation.override("en"):
        found = suggest(step(category="mecenat"), organisation, "en")

    assert found is not None
    assert found.reason == (
        "Examples chosen for you (category “Corporate philanthropy”, "
        "profile “Non-profit associations”, region “Auvergne-Rhône-Alpes”): 1."
    )
