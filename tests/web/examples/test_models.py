"""An inspiring example: folded search text (accents, case, partners), texts in each language."""

from __future__ import annotations

from typing import Any

import pytest

from alliance.web.examples.models import InspiringExample

pytestmark = pytest.mark.integration


def example(**fields: Any) -> InspiringExample:
    values: dict[str, Any] = {
        "code": "ex-test",
        "title_fr": "Mécénat : l'École d'Été",
        "title_en": "Skills-based SPONSORSHIP",
        "summary_fr": "Résumé en français.",
        "summary_en": "English summary.",
        "partners": [
            {"name": "Café Lumière (fictive)", "profile": "pme"},
            {"name": "Association Les Îles", "profile": "associations"},
        ],
        "category": "mecenat_competences",
        "region": "BRE",
        "year": 2021,
    }
    return InspiringExample(**(values | fields))


def test_search_text_folds_accents_case_and_punctuation(db):
    saved = example()
    saved.save()

    assert saved.search_text == (
        "mecenat l ecole d ete skills based sponsorship resume en francais english summary "
        "cafe lumiere fictive association les iles"
    )


def test_search_text_includes_partner_names(db):
    saved = example(partners=[{"name": "Thermivolt Conseil SAS (fictive)", "profile": "pme"}])
    saved.save()

    assert saved.search_text.endswith("thermivolt conseil sas fictive")


def test_search_text_follows_changes(db):
    saved = example()
    saved.save()

    saved.title_fr = "Coopération économique"
    saved.partners = []
    saved.save()

    saved.refresh_from_db()
    assert saved.search_text == (
        "cooperation economique skills based sponsorship resume en francais english summary"
    )


def test_search_text_is_not_editable():
    field = InspiringExample._meta.get_field("search_text")

    assert field.editable is False


def test_search_text_of_the_demo_examples(db):
    ex01 = InspiringExample.objects.get(code="ex-01")

    assert ex01.search_text.startswith("mecenat de competences contre la precarite energetique")
    assert "association toits partages du rhone fictive" in ex01.search_text
    assert ex01.search_text == ex01.search_text.lower()
    assert "_" not in ex01.search_text


def test_title_and_summary_by_language():
    found = example()

    assert found.title("fr") == "Mécénat : l'École d'Été"
    assert found.title("en") == "Skills-based SPONSORSHIP"
    assert found.summary("fr") == "Résumé en français."
    assert found.summary("en") == "English summary."
    assert found.title("de") == found.title("fr")  # French unless English is asked
    assert str(found) == "Mécénat : l'École d'Été"


def test_profiles_of_the_partners():
    assert example().profiles == ["pme", "associations"]
    assert example(partners=[{"name": "Sans profil"}]).profiles == [""]


def test_defaults():
    found = InspiringExample()

    assert found.partners == []
    assert found.objectives == []
    assert found.sdg == []
    assert found.impacts == []
    assert found.sources == []
    assert found.synthetic is False
    assert found.search_text == ""


def test_latest_first_then_by_code(db):
    codes = list(InspiringExample.objects.values_list("code", flat=True)[:6])

    assert codes == ["ex-20", "ex-28", "ex-12", "ex-18", "ex-34", "ex-39"]
