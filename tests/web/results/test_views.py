"""Results pages: the populations, a population's chart and table, by segment, CSV and XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from alliance.web.results.models import StudyResult

pytestmark = pytest.mark.integration

HEADER = [
    "population", "item", "wave", "segment", "estimate", "ci_low", "ci_high", "n", "fragile",
    "synthetic",
]  # fmt: skip


def main(html: bytes) -> str:
    return html.decode().split('<main id="main">', 1)[1].split("</main>", 1)[0]


def test_list_page_shows_every_population(db):
    response = Client().get("/results/")

    assert response.status_code == 200
    page = main(response.content)
    assert "<h1>Résultats des études d'impact</h1>" in page
    assert '<p class="notice">Données synthétiques de démonstration' in page
    for code, name, count in [
        ("public", "Français", 12),
        ("elected-officials", "Élus locaux", 8),
        ("companies", "Entreprises", 6),
        ("associations", "Associations", 6),
        ("foundations", "Fondations", 6),
    ]:
        link = f'<a href="/results/{code}/"><strong>{name}</strong>'
        assert f"{link}<span>{count} estimations</span></a>" in page


def test_list_page_in_english(db):
    page = main(Client(HTTP_ACCEPT_LANGUAGE="en").get("/results/").content)

    assert '<a href="/results/public/"><strong>French public</strong><span>12 estimates</span>' in (
        page
    )


def test_list_page_without_results(db):
    StudyResult.objects.filter(population="foundations").delete()

    page = main(Client().get("/results/").content)

    assert "<li><strong>Fondations</strong> <span>pas encore de résultats</span></li>" in page
    assert 'href="/results/foundations/"' not in page


def test_population_page_with_an_accessible_chart(db):
    response = Client().get("/results/public/")

    assert response.status_code == 200
    page = main(response.content)
    assert "<h1>Impact des alliances selon : Français</h1>" in page
    assert page.count("<svg ") == 1
    assert '<svg role="img" aria-labelledby="chart-alt" xmlns="http://www.w3.org/2000/svg"' in page
    assert "<?xml" not in page
    assert 'id="chart-alt">Part « fort + très fort » et intervalle de confiance à 95 % : ' in page
    assert "Territoires (2022) : 55,8\u202f% [52,5\u202f% – 59,1\u202f%]" in page
    assert '<option value="waves" selected>2018 et 2022</option>' in page


def test_population_page_table_has_both_waves(db):
    page = main(Client().get("/results/public/").content)

    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert table.count("<tr>") == 12
    assert "<tr><td>Territoires</td><td>2018</td>" in table
    assert '<tr><td>Territoires</td><td>2022</td><td class="num">55,8\u202f%</td>' in table
    assert '<a href="/results/public/download.csv">Télécharger (CSV)</a>' in page
    assert '<a href="/results/public/download.xlsx">Télécharger (XLSX)</a>' in page


def test_population_page_by_segment(db):
    response = Client().get("/results/public/", {"view": "segments"})

    assert response.status_code == 200
    page = main(response.content)
    assert '<option value="segments" selected>2022 par segment</option>' in page
    assert '<th scope="col">Segment</th>' in page
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert table.count("<tr>") == 12
    assert table.count("<td>Femme</td>") == table.count("<td>Homme</td>") == 6
    assert "<td>2018</td>" not in table
    assert '<svg role="img" aria-labelledby="chart-alt"' in page
    assert "Femme (Territoires) : 59,1\u202f%" in page


def test_population_page_in_english(db):
    page = main(Client(HTTP_ACCEPT_LANGUAGE="en").get("/results/public/").content)

    assert "<h1>Impact of alliances according to: French public</h1>" in page
    assert '<tr><td>Territories</td><td>2022</td><td class="num">55.8%</td>' in page
    assert '<th scope="col">95% CI</th>' in page
    assert "Territories (2022) : 55.8% [52.5% – 59.1%]" in page


def test_population_page_without_results(db):
    StudyResult.objects.filter(population="companies").delete()

    response = Client().get("/results/companies/")

    assert response.status_code == 200
    page = main(response.content)
    assert "<p>Pas encore de résultats : lancez « alliance demo ».</p>" in page
    assert "<svg" not in page
    assert "download.csv" not in page


def test_unknown_population_is_404(db):
    assert Client().get("/results/martians/").status_code == 404


def test_csv_download(db):
    response = Client().get("/results/public/download.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="public.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == HEADER
    assert len(rows) == 1 + 24  # 12 overall rows and 12 by segment
    first = rows[1]
    assert first[:4] == ["public", "Performance des associations", "2018", ""]
    stored = StudyResult.objects.filter(population="public")[0]
    assert float(first[4]) == stored.estimate
    assert (float(first[5]), float(first[6])) == (stored.low, stored.high)
    assert first[7:] == [str(stored.n), "0", "1"]
    assert ["public", "Territoires", "2022", "Femme"] in [row[:4] for row in rows]


def test_csv_download_in_english(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/results/public/download.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == HEADER
    assert ["public", "Territories", "2022", "Woman"] in [row[:4] for row in rows]
    assert ["public", "Territories", "2018", ""] in [row[:4] for row in rows]


def test_xlsx_download_opens_with_openpyxl(db):
    response = Client().get("/results/elected-officials/download.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="elected-officials.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert len(rows) == 1 + 8 + 20
    published = StudyResult.objects.get(
        population="elected-officials", item="impact_own_performance", wave=2022, segment=""
    )
    row = next(r for r in rows[1:] if r[1] == "Sa propre performance" and r[2] == 2022 and not r[3])
    assert row[4] == pytest.approx(published.estimate)  # shares as numbers, not text
    assert isinstance(row[4], float)
    assert row[7] == published.n
    assert row[9] == 1


@pytest.mark.parametrize(
    "url",
    [
        "/results/public/download.pdf",
        "/results/public/download.CSV",
        "/results/public/download.csv.gz",
        "/results/martians/download.csv",
    ],
)
def test_bad_download_is_404(db, url):
    assert Client().get(url).status_code == 404
