"""Results pages: every published study, a study's populations, a population's chart and table
(by wave or by segment), the old addresses of the demo, and 404s."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from alliance.web.results.models import Study, StudyVersion
from alliance.web.results.publishing import publish
from tests.web.studies import OBSERVED, SYNTHETIC, changed, share, synthetic_study

pytestmark = pytest.mark.integration

NOTICE = (
    '<p class="notice">Données synthétiques : ces résultats ont été simulés ; ils ne renseignent '
    "pas sur les pratiques réelles.</p>"
)
HIDDEN = (
    '<p class="notice hidden-estimates">1 estimation n\'est pas affichée : elle repose sur moins '
    "de 10 répondants.</p>"
)


def main(html: bytes) -> str:
    return html.decode().split('<main id="main">', 1)[1].split("</main>", 1)[0]


def table(page: str) -> str:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def published_on(code: str, lang: str) -> str:
    version = StudyVersion.objects.get(study__code=code)
    with translation.override(lang):
        return date_format(localtime(version.published_at), "DATE_FORMAT")


# /results/ --------------------------------------------------------------------------------------


def test_list_page_shows_every_published_study_the_latest_first(db):
    response = Client().get("/results/")

    assert response.status_code == 200
    page = main(response.content)
    assert "<h1>Résultats des études d'impact</h1>" in page
    synthetic = page.index('<a href="/results/impact-demo/">')
    observed = page.index('<a href="/results/barometre-2024/">')
    assert synthetic < observed
    assert (
        '<a href="/results/impact-demo/"><strong>Impact des alliances (démonstration)</strong></a>'
        ' <span class="badge synthetic">données synthétiques</span>'
    ) in page
    assert page.count("données synthétiques") == 1  # not on the observed study
    assert "<span>Populations : Associations, Entreprises</span>" in page
    assert "<span>Vagues : 2018, 2022</span>" in page
    assert "<span>Populations : Fondations</span>" in page
    assert "<span>Vagues : 2024</span>" in page
    assert f"Version 1, publiée le {published_on(OBSERVED, 'fr')}</span>" in page


def test_list_page_in_english(db):
    page = main(Client(HTTP_ACCEPT_LANGUAGE="en").get("/results/").content)

    assert "<strong>Impact of alliances (demonstration)</strong>" in page
    assert '<span class="badge synthetic">synthetic data</span>' in page
    assert "<span>Populations: Associations, Companies</span>" in page
    assert f"Version 1, published on {published_on(SYNTHETIC, 'en')}</span>" in page


def test_list_page_without_studies(db):
    Study.objects.all().delete()

    page = main(Client().get("/results/").content)

    assert "<p>Aucune étude publiée pour le moment.</p>" in page


# /results/<study>/ ------------------------------------------------------------------------------


def test_study_page_lists_its_populations_with_downloads(db):
    response = Client().get("/results/impact-demo/")

    assert response.status_code == 200
    page = main(response.content)
    assert "<h1>Impact des alliances (démonstration)</h1>" in page
    assert NOTICE in page
    assert (
        '<a href="/results/impact-demo/associations/"><strong>Associations</strong></a>'
        "<span>Associations employeuses</span>"
    ) in page
    assert '<a href="/results/impact-demo/companies/"><strong>Entreprises</strong></a>' in page
    assert page.count("<span>3 estimations</span>") == 2  # shown, whole population
    for link in ["download.csv", "download.csv?convention=fr", "download.xlsx", "download.parquet"]:
        assert f'href="/results/impact-demo/{link}"' in page


def test_observed_study_has_no_synthetic_notice(db):
    page = main(Client().get("/results/barometre-2024/").content)

    assert "<h1>Baromètre des partenariats 2024</h1>" in page
    assert "synthétiques" not in page
    assert "<span>1 estimation</span>" in page


# /results/<study>/<population>/ -----------------------------------------------------------------


def test_population_page_with_an_accessible_chart(db):
    response = Client().get("/results/impact-demo/associations/")

    assert response.status_code == 200
    page = main(response.content)
    assert "<h1>Associations</h1>" in page
    assert '<p class="lead">Associations employeuses</p>' in page
    assert NOTICE in page
    assert page.count("<svg ") == 1
    assert '<svg role="img" aria-labelledby="chart-alt" xmlns="http://www.w3.org/2000/svg"' in page
    assert "<?xml" not in page
    assert (
        'id="chart-alt">Parts et intervalles de confiance à 95 % : Territoires (2018) : '
        "41,2\u202f% [37,2\u202f% – 45,2\u202f%] ; Territoires (2022) : 55,8\u202f% "
        "[51,8\u202f% – 59,8\u202f%]</p>"
    ) in page
    assert '<option value="waves" selected>Ensemble, par vague</option>' in page
    assert "Vague 2018 : 500 répondants (2018-03-01 – 2018-04-15)" in page


def test_population_table_with_means_and_published_figures(db):
    page = main(Client().get("/results/impact-demo/associations/").content)

    assert '<th scope="col">Chiffre publié</th>' in page
    assert table(page).count("<tr>") == 3
    assert (
        '<tr><td>Territoires</td><td>2022</td><td class="num">55,8\u202f%</td>'
        '<td class="num">51,8\u202f% – 59,8\u202f%</td><td class="num">520</td><td></td>'
        '<td class="num">56,0\u202f%</td></tr>'
    ) in page
    assert (
        '<tr><td>Nombre de partenaires</td><td>2022</td><td class="num">3,25</td>'
        '<td class="num">3,05 – 3,45</td>'
    ) in page
    assert '<p class="meta">Chiffres publiés : Carnet, figure 3</p>' in page
    assert "hidden-estimates" not in page


def test_fragile_flag_and_suppressed_estimate(db):
    page = main(Client().get("/results/impact-demo/companies/").content)

    rows = table(page)
    assert rows.count("<tr>") == 3  # the suppressed estimate is not listed
    assert (
        '<tr><td>Emploi</td><td>2018</td><td class="num">25,0\u202f%</td>'
        '<td class="num">21,0\u202f% – 29,0\u202f%</td><td class="num">28</td>'
        '<td><span title="Fragile">⚠</span></td></tr>'
    ) in rows
    assert "<tr><td>Emploi</td><td>2022</td>" not in rows
    assert "Emploi (2022)" not in page
    assert rows.count("⚠") == 1
    assert (
        "⚠ Estimation fragile : moins de 30 répondants, ou un intervalle de confiance de plus "
        "de 20 points ; à lire avec prudence."
    ) in page
    assert HIDDEN in page
    assert "Chiffre publié" not in page
    assert 'id="view"' not in page  # no segment, no choice of view


def test_population_page_by_segment(db):
    response = Client().get("/results/impact-demo/associations/", {"view": "segments"})

    assert response.status_code == 200
    page = main(response.content)
    assert '<option value="segments" selected>Par segment</option>' in page
    assert (
        '<select id="by" name="by"><option value="size" selected>Taille</option></select>' in page
    )
    assert '<option value="2022" selected>2022</option>' in page
    assert "<caption>Estimations — vague 2022</caption>" in page
    assert '<th scope="col">Segment</th>' in page
    rows = table(page)
    assert rows.count("<tr>") == 2
    assert '<tr><td>Territoires</td><td>Petites</td><td class="num">61,0\u202f%</td>' in rows
    assert '<td class="num">25</td><td><span title="Fragile">⚠</span></td></tr>' in rows
    assert "Territoires (Grandes) : 47,0\u202f%" in page


def test_segments_of_an_explicit_segment_and_wave(db):
    response = Client().get(
        "/results/impact-demo/associations/", {"view": "segments", "by": "size", "wave": "2022"}
    )

    assert response.status_code == 200
    assert table(main(response.content)).count("<tr>") == 2


def test_a_wave_without_the_segment_shows_its_latest_wave(db):
    response = Client().get(
        "/results/impact-demo/associations/", {"view": "segments", "by": "size", "wave": "2018"}
    )

    assert response.status_code == 200
    assert "<caption>Estimations — vague 2022</caption>" in main(response.content)


@pytest.mark.parametrize("query", [{"by": "region"}, {"by": "size", "wave": "1999"}])
def test_unknown_segment_or_wave_is_404(db, query):
    response = Client().get("/results/impact-demo/associations/", {"view": "segments"} | query)

    assert response.status_code == 404


def test_population_page_in_english(db):
    page = main(Client(HTTP_ACCEPT_LANGUAGE="en").get("/results/impact-demo/associations/").content)

    assert "<h1>Associations</h1>" in page
    assert '<tr><td>Territories</td><td>2022</td><td class="num">55.8%</td>' in page
    assert '<th scope="col">95% CI</th>' in page
    assert "Territories (2022) : 55.8% [51.8% – 59.8%]" in page
    assert "Synthetic data: these results were simulated" in page


def test_english_note_of_hidden_estimates(db):
    page = main(Client(HTTP_ACCEPT_LANGUAGE="en").get("/results/impact-demo/companies/").content)

    assert "1 estimate is not shown: it rests on fewer than 10 respondents." in page
    assert (
        "⚠ Fragile estimate: fewer than 30 respondents, or a confidence interval wider than "
        "20 points; read with care."
    ) in page


def test_observed_population_has_no_synthetic_notice(db):
    response = Client().get("/results/barometre-2024/foundations/")

    assert response.status_code == 200
    page = main(response.content)
    assert "synthétiques" not in page
    assert "<tr><td>Territoires</td><td>2024</td>" in page


def test_a_new_version_is_shown_and_charted_again(db):
    before = main(Client().get("/results/impact-demo/associations/").content)
    results = synthetic_study()
    estimates = list(results.estimates)
    estimates[1] = share("associations", "2022", "impact_territories", 0.6, 520)
    version, created = publish(changed(results, estimates=estimates))

    after = main(Client().get("/results/impact-demo/associations/").content)

    assert (version.number, created) == (2, True)
    assert "Territoires (2022) : 60,0\u202f%" in after
    assert "Version 2, publiée le" in after
    svg = re.compile(r"<svg .*?</svg>", re.S)
    assert svg.search(before).group() != svg.search(after).group()  # type: ignore[union-attr]


# Old addresses and 404 ----------------------------------------------------------------------------


def test_old_population_address_goes_to_the_latest_study(db):
    response = Client().get("/results/associations/")

    assert response.status_code == 302
    assert response["Location"] == "/results/impact-demo/associations/"


def test_old_download_address_goes_to_the_latest_study(db):
    response = Client().get("/results/companies/download.csv?convention=fr")

    assert response.status_code == 302
    assert response["Location"] == "/results/impact-demo/companies/download.csv?convention=fr"


@pytest.mark.parametrize(
    "url",
    [
        "/results/martians/",
        "/results/foundations/",  # a population of an older study, not of the latest
        "/results/impact-demo/martians/",
        "/results/impact-demo/foundations/",
        "/results/barometre-2024/associations/",
        "/results/martians/associations/",
        "/results/martians/download.csv",
    ],
)
def test_unknown_study_or_population_is_404(db, url):
    assert Client().get(url).status_code == 404
