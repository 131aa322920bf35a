"""The catalogue pages: faceted search, htmx fragment, 12 per page, one example's page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from alliance.web.examples.models import InspiringExample
from alliance.web.examples.views import PAGE_SIZE

pytestmark = pytest.mark.integration

SHEET = "https://www.lerameau.fr/wp-content/uploads/2022/09/Fiches-Pratiques-Associations-EXE.pdf"


def main(html: bytes) -> str:
    return html.decode().split('<main id="main">', 1)[1].split("</main>", 1)[0]


def listed(page: str) -> list[str]:
    """Codes of the examples listed in the results, in order."""
    results = page.split('<ol class="examples">', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<li><a href="/examples/([\w-]+)/">', results)


def test_list_page_with_facets_and_count(db):
    response = Client().get("/examples/")

    assert response.status_code == 200
    page = main(response.content)
    assert "<h1>Exemples inspirants</h1>" in page
    assert '<p class="count">40 exemples</p>' in page
    for facet in ("q", "category", "profile", "region", "sdg", "stage"):
        assert f'name="{facet}"' in page
    assert '<option value="mecenat">Mécénat</option>' in page
    assert '<option value="mecenat_competences">' not in page  # the facet lists root categories
    assert '<option value="pme">PME</option>' in page
    assert '<option value="COR">Corse</option>' in page
    sdg = page.split('<select id="sdg" name="sdg">', 1)[1].split("</select>", 1)[0]
    assert sdg.count("<option value=") == 18  # « tous » and the 17 SDGs
    assert '<option value="emergence">Émergence (R&amp;D)</option>' in page
    assert 'hx-get="/examples/" hx-target="#results"' in page


def test_list_page_counts_in_french_and_english(db):
    assert '<p class="count">1 exemple</p>' in main(
        Client().get("/examples/", {"stage": "emergence"}).content
    )
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert '<p class="count">40 examples</p>' in main(english.get("/examples/").content)
    assert '<p class="count">1 example</p>' in main(
        english.get("/examples/", {"stage": "emergence"}).content
    )
    assert '<p class="count">No examples</p>' in main(
        english.get("/examples/", {"q": "zzzz"}).content
    )


def test_facets_from_the_query_string(db):
    page = main(Client().get("/examples/", {"q": "mécénat", "region": "ARA", "sdg": "7"}).content)

    assert '<p class="count">1 exemple</p>' in page
    assert listed(page) == ["ex-01"]
    assert 'value="mécénat"' in page
    assert '<option value="ARA" selected>Auvergne-Rhône-Alpes</option>' in page
    assert '<option value="7" selected>7</option>' in page


@pytest.mark.parametrize("sdg", ["0", "18", "abc", "-8", "8.0"])
def test_bad_sdg_is_ignored(db, sdg):
    page = main(Client().get("/examples/", {"sdg": sdg}).content)

    assert '<p class="count">40 exemples</p>' in page


def test_selected_profile_facet_finds_sub_profiles(db):
    page = main(Client().get("/examples/", {"profile": "entreprises"}).content)

    assert '<p class="count">37 exemples</p>' in page
    assert '<option value="entreprises" selected>Entreprises</option>' in page


def test_htmx_request_gets_the_results_fragment(db):
    response = Client().get("/examples/", {"q": "velo insertion"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert "<form" not in fragment
    assert fragment.lstrip().startswith('<p class="count">1 exemple</p>')
    assert listed(fragment) == ["ex-03"]


def test_empty_result_says_so(db):
    page = main(Client().get("/examples/", {"q": "zzzz"}).content)

    assert '<p class="count">Aucun exemple</p>' in page  # French counts zero in the singular
    assert "<li>Aucun exemple ne correspond à cette recherche.</li>" in page
    assert listed(page) == []
    assert '<nav class="pages"' not in page


def test_pagination_twelve_per_page(db):
    client = Client()
    pages = [main(client.get("/examples/", {"page": n}).content) for n in (1, 2, 3, 4)]

    assert PAGE_SIZE == 12
    assert [len(listed(page)) for page in pages] == [12, 12, 12, 4]
    codes = [code for page in pages for code in listed(page)]
    assert len(set(codes)) == 40
    assert codes[:3] == ["ex-20", "ex-28", "ex-12"]
    assert "<span>page 1 sur 4</span>" in pages[0]
    assert "← précédente" not in pages[0]
    assert '<a href="?page=2">' in pages[0]
    assert "<span>page 4 sur 4</span>" in pages[3]
    assert "suivante →" not in pages[3]


@pytest.mark.parametrize("number", ["0", "99", "abc"])
def test_out_of_range_pages_fall_back(db, number):
    response = Client().get("/examples/", {"page": number})

    assert response.status_code == 200
    assert len(listed(main(response.content))) in (12, 4)


def test_pagination_keeps_the_words_and_facets(db):
    page = main(Client().get("/examples/", {"q": "l'association", "region": ""}).content)

    assert '<p class="count">33 exemples</p>' in page
    assert '<a href="?q=l%27association&amp;region=&amp;page=2">' in page


def test_pagination_keeps_the_sdg_facet(db):
    client = Client()
    first = main(client.get("/examples/", {"sdg": "8"}).content)
    assert '<p class="count">16 exemples</p>' in first

    link = re.search(r'<a href="\?([^"]+)">suivante', first)
    assert link is not None
    second = main(client.get("/examples/?" + link.group(1).replace("&amp;", "&")).content)

    assert '<p class="count">16 exemples</p>' in second
    assert len(listed(second)) == 4


def test_detail_page_with_partners_and_synthetic_notice(db):
    response = Client().get("/examples/ex-01/")

    assert response.status_code == 200
    page = main(response.content)
    assert "<h1>Mécénat de compétences contre la précarité énergétique</h1>" in page
    assert (
        '<p class="notice">Exemple de démonstration, écrit pour la démonstration : '
        "les organisations sont fictives.</p>"
    ) in page
    assert (
        "<li>Association Toits Partagés du Rhône (fictive) — Associations"
        f'<span class="sheet"> · <a href="{SHEET}" rel="noopener">fiche pratique du profil</a>'
        "</span></li>"
    ) in page
    assert (
        "<li>Thermivolt Conseil SAS (fictive) — PME"
        '<span class="sheet"> · fiche pratique : adresse inconnue à ce jour</span></li>'
    ) in page
    assert "<dt>Catégorie</dt><dd>Mécénat de compétences</dd>" in page
    assert "<dt>Objectifs</dt><dd>Positionnement ; Processus</dd>" in page
    assert (
        '<dt>Territoire</dt><dd><a href="/territories/commune/69266/">Villeurbanne (69)</a>, '
        '<a href="/territories/region/ARA/">Auvergne-Rhône-Alpes</a></dd>'
    ) in page
    assert "<dt>Année</dt><dd>2018</dd>" in page
    assert "<dt>ODD</dt><dd>7, 11, 17</dd>" in page
    assert "<dt>Stade d'innovation</dt><dd>Déploiement</dd>" in page


def test_detail_page_in_english(db):
    page = main(Client(HTTP_ACCEPT_LANGUAGE="en").get("/examples/ex-01/").content)

    assert "<h1>Skills-based sponsorship against fuel poverty</h1>" in page
    assert (
        "<li>Thermivolt Conseil SAS (fictive) — SMEs"
        '<span class="sheet"> · practice sheet: address not known yet</span></li>'
    ) in page
    assert "Skills-based philanthropy" in page


def test_detail_page_of_a_real_example_has_no_notice_and_shows_unknown_codes(db):
    InspiringExample.objects.create(
        code="ex-reel", title_fr="Un exemple réel", title_en="A real example", summary_fr="R.",
        summary_en="S.", partners=[{"name": "Partenaire", "profile": "profil_disparu"}],
        category="categorie_disparue", region="IDF", year=2020,
    )  # fmt: skip

    page = main(Client().get("/examples/ex-reel/").content)

    assert '<p class="notice">' not in page
    assert "<li>Partenaire — profil_disparu</li>" in page
    assert "<dt>Catégorie</dt><dd>categorie_disparue</dd>" in page
    assert (
        '<dt>Territoire</dt><dd><a href="/territories/region/IDF/">Île-de-France</a></dd>' in page
    )
    assert "Stade d'innovation" not in page


def test_unknown_example_is_404(db):
    assert Client().get("/examples/ex-999/").status_code == 404
