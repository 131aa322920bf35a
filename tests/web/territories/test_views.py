"""Territory pages: choosing one, a department's page, redirects, 404, the self-assessment form."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from alliance.disclosure import protected_count
from alliance.web.results.catalogue import current_version
from alliance.web.results.models import Estimate
from alliance.web.territories.models import SelfAssessment
from tests.web.conftest import logged_in

pytestmark = pytest.mark.integration


def main(html: bytes) -> str:
    return html.decode().split('<main id="main">', 1)[1].split("</main>", 1)[0]


def test_a_department_page_shows_actors_map_network_and_examples(nord, settings):
    response = Client().get("/territories/department/59/")

    assert response.status_code == 200
    page = main(response.content)
    assert "<h1>Nord <span" in page
    assert '<a href="/territories/region/32/">Hauts-de-France</a>' in page
    assert "19 acteurs actifs dans les registres publics" in page
    assert re.search(r"<td>Associations</td><td class=\"num\">16</td>", page)
    assert re.search(r"<td>PME</td><td class=\"num\">3</td>", page)
    assert "À part : 2 dissous ou cessés, 1 supprimés du registre." in page
    organisations = page.split('id="organisations-table"', 1)[1].split("</table>", 1)[0]
    shown = protected_count(10, "territory:department/59:organisations:associations",
                            settings.SECRET_KEY.encode())  # fmt: skip
    assert f'<td>Associations</td><td class="num">{shown}</td>' in organisations
    assert '<td>PME</td><td class="num">moins de 5</td>' in organisations
    assert page.count('<a href="/territories/department/') >= 96  # each area of the map a link
    assert 'data-code="59" class="selected" aria-current="page"' in page
    assert 'id="network-graph"' in page
    assert 'data-url="/api/territories/department/59/network?lang=fr"' in page
    assert '<a href="/api/territories/department/59">JSON</a>' in page
    assert '<a href="/examples/ex-07/">' in page
    assert '<a href="/examples/ex-20/">' in page


def test_french_spellings_and_short_codes_redirect_to_the_canonical_address(db):
    for asked, canonical in [
        ("/territories/departement/59/", "/territories/department/59/"),
        ("/territories/d%C3%A9partement/59/", "/territories/department/59/"),
        (
            "/territories/r%C3%A9gion/HDF/?indicator=examples",
            "/territories/region/32/?indicator=examples",
        ),
        ("/territories/department/2a/", "/territories/department/2A/"),
    ]:
        response = Client().get(asked)
        assert (response.status_code, response["Location"]) == (301, canonical)


def test_an_unknown_kind_or_code_answers_a_bilingual_404(db):
    response = Client().get("/territories/canton/59/")
    assert response.status_code == 404
    assert "Type de territoire inconnu" in response.content.decode()
    assert "valeur &#x27;canton&#x27;" in response.content.decode()

    response = Client(headers={"accept-language": "en"}).get("/territories/department/999/")
    assert response.status_code == 404
    assert "No territory of kind department has this code" in response.content.decode()


def test_the_choice_page_searches_by_name_and_lists_regions(db):
    page = main(Client().get("/territories/?q=roubaix").content)

    assert '<a href="/territories/commune/59512/">Roubaix</a>' in page
    assert '<a href="/territories/region/32/">Hauts-de-France</a>' in page
    assert "<svg" in page
    # The 18 regions in alphabetical order, accents aside; the overseas collectivities apart.
    regions, collectivities = (
        page.split('id="regions-title"')[1].split("</section>")[0].split("</h3>")
    )
    names = re.findall(r'/territories/region/\w+/">([^<]+)<', regions)
    assert len(names) == 18
    assert names[names.index("Hauts-de-France") + 1] == "Île-de-France"
    assert "Collectivités d'outre-mer" in regions
    assert re.findall(r'/territories/region/(\w+)/"', collectivities) == [
        "989",
        "988",
        "987",
        "977",
        "978",
        "975",
        "984",
        "986",
    ]


def test_a_territory_without_partnerships_loads_no_graph_library(db):
    response = Client().get("/territories/commune/29019/")

    assert response.status_code == 200
    assert "cytoscape" not in response.content.decode()
    assert "Aucun partenariat enregistré sur la plateforme pour ce territoire." in main(
        response.content
    )


def test_a_coordinator_saves_versions_and_others_are_refused(nord, coordinator, people):
    form = {
        "answer:territorial-engineerings/catalyse": "niveau_2",
        "note:territorial-engineerings/catalyse": "Un réseau de catalyseurs naissant",
    }

    assert Client().post("/territories/department/59/", form).status_code == 302  # to login
    assert logged_in(people["owner"]).post("/territories/department/59/", form).status_code == 403
    assert SelfAssessment.objects.count() == 0

    client = logged_in(coordinator)
    assert 'name="answer:territorial-engineerings/catalyse"' in main(
        client.get("/territories/department/59/").content
    )
    response = client.post("/territories/department/59/", form)
    assert response.status_code == 302
    client.post("/territories/department/59/", {"answer:territorial-maturity-levels": "niveau_1"})

    saved = list(SelfAssessment.objects.values_list("answers", "author_email"))
    assert saved == [
        ({"territorial-maturity-levels": "niveau_1"}, "coordination-nord@demo.invalid"),
        ({"territorial-engineerings/catalyse": "niveau_2"}, "coordination-nord@demo.invalid"),
    ]
    public = main(Client().get("/territories/department/59/").content)
    assert "Niveau de maturité n° 1 [inconnu]" in public
    assert "coordination-nord@demo.invalid" not in public  # who saved it is not public
    assert "la coordination du territoire" in public
    assert 'name="answer:' not in public


def test_a_bad_level_is_refused_with_its_message(nord, coordinator):
    response = logged_in(coordinator).post(
        "/territories/department/59/", {"answer:territorial-engineerings/projet": "niveau_9"}
    )
    assert response.status_code == 400
    assert "Niveau inconnu" in response.content.decode()
    assert SelfAssessment.objects.count() == 0


def test_the_page_in_english(nord):
    page = main(
        Client(headers={"accept-language": "en"}).get("/territories/department/59/").content
    )

    assert "19 active actors in the public registries" in page
    assert "<td>SMEs</td>" in page
    assert "Alliance network" in page
    assert "Maturity level no. 1 [unknown]" not in page  # nothing saved yet: no level shown
    assert "The coordination of this territory has not filled in its self-assessment yet." in page
    assert 'class="grid assessment"' not in page  # no empty grid for the public


def test_the_regional_results_flag_fragile_estimates(db):
    version = current_version("impact-demo")
    assert version is not None
    Estimate.objects.create(
        version=version, position=900, population="associations", wave="2024", variable="q1",
        statistic="share", by="region", group="HDF", label_fr="Confiance", label_en="Trust",
        estimate=0.42, ci_low=0.30, ci_high=0.54, n=25, fragile=True,
    )  # fmt: skip

    page = main(Client().get("/territories/commune/59350/").content)

    section = page.split('id="results"', 1)[1].split("</section>", 1)[0]
    assert "<caption>Associations</caption>" in section
    assert '<th scope="row">Confiance</th><td data-label="Vague">2024</td>' in section
    assert "⚠ fragile" in section
    assert "moins de 30 répondants" in section
