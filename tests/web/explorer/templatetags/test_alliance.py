"""Template filters in the page's language: statuses, percentages, links, localised texts."""

from __future__ import annotations

import pytest
from django.template import engines
from django.utils import translation

from alliance.web.examples.models import InspiringExample
from alliance.web.explorer.templatetags.alliance import (
    get,
    is_url,
    label,
    localised,
    percent,
    practice_sheet,
    status_label,
    target_label,
    target_url,
)
from alliance.web.results.models import Estimate

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("status", "french", "english"),
    [
        ("notebook", "carnet", "notebook"),
        ("confirmed", "confirmé", "confirmed"),
        ("inferred", "déduit", "inferred"),
        ("unknown", "inconnu", "unknown"),
    ],
)
def test_status_label(status, french, english):
    with translation.override("fr"):
        assert status_label(status) == french
    with translation.override("en"):
        assert status_label(status) == english


def test_status_label_of_an_unknown_status_fails_loudly():
    with translation.override("fr"), pytest.raises(KeyError):
        status_label("rumoured")


@pytest.mark.parametrize(
    ("share", "french", "english"),
    [
        (0.558, "55,8\u202f%", "55.8%"),
        (0.56, "56,0\u202f%", "56.0%"),
        (0.0, "0,0\u202f%", "0.0%"),
        (1.0, "100,0\u202f%", "100.0%"),
    ],
)
def test_percent(share, french, english):
    with translation.override("fr"):
        assert percent(share) == french
    with translation.override("en"):
        assert percent(share) == english


def test_percent_of_nothing_is_empty():
    with translation.override("fr"):
        assert percent(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.lerameau.fr/le-programme-impact/", True),
        ("http://docplayer.fr/59823475.html", True),
        ("ftp://example.org/file", False),
        ("www.lerameau.fr", False),
        ("Carnet de recherche « ODD 17 : Alliance & Performance »", False),
        ("", False),
        (None, False),
        (42, False),
    ],
)
def test_is_url(text, expected):
    assert is_url(text) is expected


def test_localised_calls_the_method_in_the_page_language():
    example = InspiringExample(
        title_fr="Titre", title_en="Title", summary_fr="Résumé", summary_en="Summary"
    )
    result = Estimate(label_fr="Territoires", label_en="Territories", group_label_fr="Femme",
                      group_label_en="Woman")  # fmt: skip

    with translation.override("fr"):
        assert localised(example, "title") == "Titre"
        assert localised(example, "summary") == "Résumé"
        assert localised(result, "group_label") == "Femme"
    with translation.override("en"):
        assert localised(example, "title") == "Title"
        assert localised(result, "label") == "Territories"
        assert localised(result, "group_label") == "Woman"
    with translation.override("de"):
        assert localised(example, "title") == "Titre"


def test_filters_in_a_template():
    template = engines["django"].from_string(
        "{% load alliance %}"
        "{{ s|status_label }} {{ x|percent }} {{ u|is_url }} {{ e|localised:'title' }}"
    )
    context = {
        "s": "confirmed",
        "x": 0.42,
        "u": "https://example.org",
        "e": InspiringExample(title_fr="Titre", title_en="Title"),
    }

    with translation.override("en"):
        assert template.render(context) == "confirmed 42.0% True Title"
    with translation.override("fr"):
        assert template.render(context) == "confirmé 42,0\u202f% True Titre"


def test_get_looks_a_key_up_in_a_dictionary_only():
    assert get({"skills": 4}, "skills") == 4
    assert get({"skills": 4}, "engagement") is None
    assert get(None, "skills") is None
    assert get("text", "skills") is None


def test_label_of_a_referential_code_in_the_page_language():
    with translation.override("fr"):
        assert label("mecenat", "partnership-categories") == "Mécénat"
        assert label("contrat_alliance", "contract-types") == "Contrat alliance"
    with translation.override("en"):
        assert label("mecenat", "partnership-categories") == "Corporate philanthropy"


def test_label_of_a_code_the_referential_does_not_have_is_the_code():
    assert label("disparu", "partnership-categories") == "disparu"


def test_target_url_and_label_of_a_referential_target():
    assert target_url("levers/alliances") == "/referential/levers/#alliances"
    with translation.override("fr"):
        assert target_label("levers/alliances") == "Alliances"
        assert target_label("objectives/business_model") == "Business model"


def test_a_profile_links_its_practice_sheet_or_its_parents():
    employer = practice_sheet("associations_employeuses")
    companies = practice_sheet("pme")

    assert employer["known"] is True
    assert str(employer["url"]).endswith("Fiches-Pratiques-Associations-EXE.pdf")
    assert (companies["known"], companies["url"]) == (True, None)
    assert practice_sheet("citoyens") == {"known": False}
    assert practice_sheet("profil_disparu") == {"known": False}
