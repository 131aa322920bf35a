"""The referential explorer: every framework listed; a framework with badges and linked sources."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from alliance.referential import default_referential
from alliance.referential.records import framework_record

pytestmark = pytest.mark.integration


def main(html: bytes) -> str:
    return html.decode().split('<main id="main">', 1)[1].split("</main>", 1)[0]


def test_frameworks_page_lists_every_framework(db):
    referential = default_referential()

    response = Client().get("/referential/")

    assert response.status_code == 200
    page = main(response.content)
    assert "<h1>Référentiel</h1>" in page
    assert f"Version {referential.version}." in page
    assert page.count("<tr><td><a href=") == len(list(referential)) == 33
    for framework in referential:
        record = framework_record(framework, referential, "fr")
        assert f'<a href="/referential/{framework.code}/">{escape(record["title"])}</a>' in page
        assert f'<td class="num">{record["items"]}</td>' in page


def test_frameworks_page_counts_statuses(db):
    page = main(Client().get("/referential/").content)

    row = page.split('<a href="/referential/innovation-stages/">', 1)[1].split("</tr>", 1)[0]
    assert '<span class="badge confirmed">3 ' in row
    assert '<span class="badge inferred">2 ' in row
    assert "badge notebook" not in row  # statuses with no item are not shown


def test_frameworks_page_names_statuses_in_french(db):
    page = main(Client().get("/referential/").content)

    row = page.split('<a href="/referential/innovation-stages/">', 1)[1].split("</tr>", 1)[0]
    assert '<span class="badge confirmed">3 confirmé</span>' in row
    assert '<span class="badge inferred">2 déduit</span>' in row
    assert '<span class="badge notebook">7 carnet</span>' in page


def test_frameworks_page_in_english(db):
    page = main(Client(HTTP_ACCEPT_LANGUAGE="en").get("/referential/").content)

    assert "<h1>Referential</h1>" in page
    assert "<caption>Referential frameworks</caption>" in page
    assert '<a href="/referential/actor-profiles/">The six actor profiles</a>' in page
    assert "Les 6 profils d" not in page


def test_framework_page_shows_status_badges(db):
    response = Client().get("/referential/innovation-stages/")

    assert response.status_code == 200
    page = main(response.content)
    assert "<h1>Les étapes du processus d&#x27;innovation sociétale</h1>" in page
    assert page.count("<dt id=") == 5
    assert page.count('<span class="badge confirmed">confirmé</span>') == 3
    assert page.count('<span class="badge inferred">déduit</span>') == 2
    assert '<dt id="emergence">Émergence (R&amp;D) <span class="badge confirmed">' in page
    assert '<dt id="experimentation">Expérimentation <span class="badge inferred">' in page


def test_framework_page_links_web_sources_only(db):
    page = main(Client().get("/referential/innovation-stages/").content)

    url = "http://docplayer.fr/59823475-Modele-d-investisseur-societal.html"
    assert f'<a href="{url}" rel="noopener">Modèle d&#x27;investisseur sociétal</a>' in page
    https = "https://evaluation-partenariale.plateformecapitalisation.org/evaluation-innovation-societale"
    assert page.count(f'<a href="{https}" rel="noopener">') == 3
    assert "Carnet de recherche « ODD 17 : Alliance &amp; Performance »" in page
    assert '<a href="Carnet' not in page
    assert '<a href="Reconstruction' not in page


def test_framework_page_links_children_to_their_parent(db):
    page = main(Client().get("/referential/partnership-categories/").content)

    assert page.count('<p class="meta">Rattaché à <a href="#mecenat">Mécénat</a></p>') == 4
    assert '<dt id="mecenat">Mécénat <span class="badge confirmed">confirmé</span></dt>' in page


def test_every_framework_page_answers(db):
    client = Client()

    for framework in default_referential():
        response = client.get(f"/referential/{framework.code}/")
        assert response.status_code == 200, framework.code
        assert main(response.content).count("<dt id=") == len(framework), framework.code


def test_unknown_framework_is_404(db):
    assert Client().get("/referential/nothing-here/").status_code == 404


def test_framework_page_in_english(db):
    page = main(Client(HTTP_ACCEPT_LANGUAGE="en").get("/referential/innovation-stages/").content)

    assert "<h1>The stages of the societal innovation process</h1>" in page
    assert (
        '<dt id="emergence">Emergence (R&amp;D) <span class="badge confirmed">confirmed</span>'
        in (page)
    )
    assert page.count('<span class="badge inferred">inferred</span>') == 2
    assert '<dt id="deploiement">Deployment <span class="badge confirmed">confirmed</span>' in page
    assert '<a href="/referential/">← Referential</a>' in page


def test_the_published_figures_page_shows_every_value_with_its_source(db):
    page = main(Client().get("/referential/published-figures/").content)

    for value in ("56", "55", "54", "53", "51", "42"):
        assert f'<p class="figure"><strong>{value}\u202f%</strong>' in page
    assert "· étude IMPACT 2018-2022" in page
    assert page.count('<span class="badge published">chiffre publié</span>') >= 7


NOTEBOOK = (
    "Carnet de recherche « ODD 17 : Alliance &amp; Performance » (IMPACT 2018-2022, 5e volet)"
)


@pytest.mark.parametrize(
    ("code", "value", "population"),
    [
        ("citoyens_2022_impact_territoires", "56", "Citoyens — Français"),
        ("citoyens_2022_impact_innovation_territoriale", "55", "Citoyens — Français"),
        ("citoyens_2022_impact_personnes", "54", "Citoyens — Français"),
        ("citoyens_2022_performance_entreprises", "53", "Citoyens — Français"),
        ("citoyens_2022_performance_collectivites", "51", "Citoyens — Français"),
        ("citoyens_2022_performance_associations", "42", "Citoyens — Français"),
        ("elus_locaux_2022_performance_collectivite", "56",
         "Collectivités territoriales — élus locaux"),
    ],
)  # fmt: skip
def test_each_figure_of_the_notebook_is_shown_in_its_entry_with_its_source(
    db, code, value, population
):
    page = main(Client().get("/referential/published-figures/").content)

    entry = page.split(f'<dt id="{code}">', 1)[1].split("</dd>", 1)[0]
    figure = entry.split('<p class="figure">', 1)[1].split("</p>", 1)[0]
    assert figure.startswith(f"<strong>{value}\u202f%</strong>")
    assert f"— {population}" in figure
    assert '<span class="badge published">chiffre publié</span>' in entry
    assert f'<p class="meta">Sources :\n    {NOTEBOOK}</p>' in entry


def test_an_inferred_definition_gets_its_own_badge(db):
    referential = default_referential()
    framework, item = next(
        (f.code, i)
        for f in referential
        for i in f
        if i.definition_status is not None and i.definition_status is not i.status
    )

    page = main(Client().get(f"/referential/{framework}/").content)

    assert item.definition_status is not None
    definition_badge = f'<span class="badge {item.definition_status.value}">définition : '
    assert definition_badge in page.split(f'<dt id="{item.code}">')[1].split("</dt>")[0]


def test_links_notes_and_practice_sheets_are_shown(db):
    figures = main(Client().get("/referential/published-figures/").content)
    profiles = main(Client().get("/referential/actor-profiles/", HTTP_ACCEPT_LANGUAGE="en").content)

    assert 'Programme d&#x27;études : <a href="/referential/study-programmes/#impact">' in figures
    assert '<p class="note"><strong>Note :</strong> Chiffre cité dans le texte du carnet' in figures
    assert "Fiches-Pratiques-Associations-EXE.pdf" in profiles
    assert "address not known yet" in profiles


def test_drawn_frameworks_show_their_diagram_with_its_alternative(db):
    square = main(Client().get("/referential/objectives/").content)
    house = main(Client().get("/referential/levers/", HTTP_ACCEPT_LANGUAGE="en").content)
    figures = main(Client().get("/referential/published-figures/").content)

    assert '<figure class="diagram"><svg xmlns="http://www.w3.org/2000/svg"' in square
    assert '<span class="badge inferred">schéma reconstitué</span></figcaption>' in square
    assert "<figcaption>A house whose three levers are its pillars" in house
    assert "reconstructed diagram" not in house
    assert '<figure class="diagram">' not in figures
