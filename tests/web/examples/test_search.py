"""Searching the catalogue: words (case and accents ignored) and each facet, with sub-codes."""

from __future__ import annotations

import pytest

from alliance.web.examples.models import InspiringExample
from alliance.web.examples.search import Filters, search

pytestmark = pytest.mark.integration


def codes(filters: Filters) -> list[str]:
    return [e.code for e in search(filters)]


def test_no_filter_finds_every_example(db):
    assert search(Filters()).count() == 40


@pytest.mark.parametrize("q", ["mecenat", "mécénat", "MÉCÉNAT", "Mécénat", "  mecenat  "])
def test_words_ignore_case_and_accents(db, q):
    assert sorted(codes(Filters(q=q))) == [
        "ex-01", "ex-05", "ex-09", "ex-13", "ex-17", "ex-21", "ex-25", "ex-29", "ex-33", "ex-37",
    ]  # fmt: skip


def test_accented_plural_word(db):
    assert (
        sorted(codes(Filters(q="écoles")))
        == sorted(codes(Filters(q="ecoles")))
        == [
            "ex-09",
            "ex-12",
            "ex-22",
        ]
    )


def test_every_word_must_appear_as_a_word(db):
    assert codes(Filters(q="vélo")) == ["ex-03"]  # not « développement »
    assert codes(Filters(q="velo insertion")) == ["ex-03"]
    assert codes(Filters(q="velo insertion zzz")) == []


def test_words_find_partner_names_and_english_texts(db):
    assert codes(Filters(q="Thermivolt")) == ["ex-01"]
    assert codes(Filters(q="thermivolt conseil")) == ["ex-01"]
    assert codes(Filters(q="fuel poverty")) == ["ex-01"]
    assert search(Filters(q="fictive")).count() == 40


@pytest.mark.parametrize("q", ["", "   ", "_", "« »"])
def test_no_word_means_no_text_filter(db, q):
    assert search(Filters(q=q)).count() == 40


def test_category_includes_its_sub_categories(db):
    mecenat = codes(Filters(category="mecenat"))

    assert len(mecenat) == 10
    categories = InspiringExample.objects.filter(code__in=mecenat).values_list(
        "category", flat=True
    )
    assert sorted(set(categories)) == [
        "mecenat",
        "mecenat_competences",
        "mecenat_financier",
        "mecenat_logistique",
        "mecenat_nature",
    ]


@pytest.mark.parametrize(
    ("category", "count"),
    [
        ("mecenat_competences", 3),
        ("mecenat_nature", 2),
        ("mecenat_financier", 2),
        ("mecenat_logistique", 1),
        ("pratiques_responsables", 10),
        ("cooperation_economique", 10),
        ("innovation_societale", 10),
    ],
)
def test_category(db, category, count):
    assert search(Filters(category=category)).count() == count


def test_a_sub_category_alone(db):
    assert sorted(codes(Filters(category="mecenat_competences"))) == ["ex-01", "ex-17", "ex-29"]


def test_a_code_that_is_only_a_prefix_finds_nothing(db):
    assert codes(Filters(category="innovation")) == []


def test_profile_includes_its_sub_profiles(db):
    companies = codes(Filters(category="", profile="entreprises"))

    assert len(companies) == 37
    assert set(codes(Filters(profile="pme"))) <= set(companies)
    assert set(codes(Filters(profile="grandes_entreprises"))) <= set(companies)
    assert "ex-02" in companies  # only a large company among its partners
    assert "ex-01" in companies  # only an SME


@pytest.mark.parametrize(
    ("profile", "count"),
    [
        ("pme", 22),
        ("entreprises", 37),
        ("associations", 39),  # with the employer associations
        ("institutions", 6),  # through the local authorities
        ("collectivites_territoriales", 6),
        ("citoyens", 1),
        ("etat", 1),
    ],
)
def test_profile(db, profile, count):
    assert search(Filters(profile=profile)).count() == count


def test_a_profile_is_matched_whole_not_as_a_prefix(db):
    ex01 = InspiringExample.objects.get(code="ex-01")
    assert ex01.profiles == ["associations", "pme"]

    assert "ex-01" in codes(Filters(profile="associations"))
    assert "ex-01" not in codes(Filters(profile="associations_employeuses"))
    assert "ex-02" not in codes(Filters(profile="pme"))  # a large company, not an SME


@pytest.mark.parametrize(("region", "count"), [("IDF", 4), ("COR", 3), ("ARA", 3), ("XXX", 0)])
def test_region(db, region, count):
    assert search(Filters(region=region)).count() == count


def test_region_codes(db):
    assert sorted(codes(Filters(region="IDF"))) == ["ex-08", "ex-21", "ex-34", "ex-40"]


@pytest.mark.parametrize(("sdg", "count"), [(8, 16), (7, 3), (16, 0), (17, 40)])
def test_sdg(db, sdg, count):
    assert search(Filters(sdg=sdg)).count() == count


@pytest.mark.parametrize(
    ("stage", "count"),
    [
        ("emergence", 1),
        ("experimentation", 8),
        ("modelisation", 8),
        ("deploiement", 22),
        ("transformation_systemique", 1),
    ],
)
def test_stage(db, stage, count):
    assert search(Filters(stage=stage)).count() == count


def test_facets_and_words_combine(db):
    assert codes(Filters(q="mecenat", region="ARA")) == ["ex-01"]
    assert sorted(codes(Filters(profile="pme", region="ARA"))) == ["ex-01", "ex-27"]
    assert codes(Filters(category="mecenat", sdg=8)) == ["ex-33"]
    assert codes(Filters(stage="emergence", region="GES")) == ["ex-32"]


def test_empty_result(db):
    assert codes(Filters(q="zzzz")) == []
    assert codes(Filters(stage="emergence", region="IDF")) == []
    assert codes(Filters(category="mecenat_logistique", profile="citoyens")) == []


def test_results_keep_the_catalogue_order(db):
    assert codes(Filters(region="COR")) == ["ex-18", "ex-31", "ex-05"]


def test_the_oe_ligature_is_folded(db):
    InspiringExample.objects.create(
        code="ex-coeur", title_fr="Restaurants du cœur et main-d'œuvre", title_en="Hearts",
        summary_fr="Résumé.", summary_en="Summary.", category="mecenat", region="IDF", year=2020,
    )  # fmt: skip

    assert codes(Filters(q="coeur oeuvre")) == ["ex-coeur"]
