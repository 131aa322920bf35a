"""Downloads of a study's or a population's estimates: CSV (and its French convention), XLSX,
Parquet; suppressed estimates keep their row without values."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest
from django.test import Client
from openpyxl import load_workbook

from alliance.study.opendata import estimates_csv
from alliance.study.results import ESTIMATE_COLUMNS
from alliance.web.results.downloads import COLUMNS, download_response, estimates_frame
from alliance.web.results.models import Estimate
from tests.web.studies import synthetic_study

pytestmark = pytest.mark.integration

HEADER = ",".join(ESTIMATE_COLUMNS) + ",label,group_label,suppressed"
COMPANIES = [
    HEADER,
    "companies,2018,impact_territories,share,,,0.3,0.02,0.26,0.34,400,false,Territoires,,false",
    "companies,2018,impact_jobs,share,,,0.25,0.02,0.21,0.29,28,true,Emploi,,false",
    "companies,2022,impact_territories,share,,,0.35,0.02,0.31,0.39,410,false,Territoires,,false",
    "companies,2022,impact_jobs,share,,,,,,,7,false,Emploi,,true",
]


def get(url: str, lang: str = "fr") -> bytes:
    response = Client(HTTP_ACCEPT_LANGUAGE=lang).get(url)
    assert response.status_code == 200
    return response.content


def test_columns_start_with_those_of_estimates_csv():
    assert COLUMNS[: len(ESTIMATE_COLUMNS)] == ESTIMATE_COLUMNS
    assert COLUMNS[len(ESTIMATE_COLUMNS) :] == ["label", "group_label", "suppressed"]


def test_population_csv(db):
    response = Client().get("/results/impact-demo/companies/download.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == ('attachment; filename="impact-demo-companies.csv"')
    assert response.content.decode("utf-8").splitlines() == COMPANIES


def test_population_csv_with_segments_and_english_labels(db):
    lines = get("/results/impact-demo/associations/download.csv", "en").decode().splitlines()

    assert lines[0] == HEADER
    assert len(lines) == 1 + 5
    assert lines[4] == (
        "associations,2022,impact_territories,share,size,1,0.61,0.02,0.57,0.65,300,false,"
        "Territories,Small,false"
    )
    assert lines[3].startswith("associations,2022,partners_count,mean,,,3.25,0.1,3.05,3.45,520,")


def test_french_csv_for_excel(db):
    content = get("/results/impact-demo/companies/download.csv?convention=fr")

    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER.replace(",", ";")
    assert lines[1] == (
        "companies;2018;impact_territories;share;;;0,3;0,02;0,26;0,34;400;false;Territoires;;false"
    )
    assert lines[4] == "companies;2022;impact_jobs;share;;;;;;;7;false;Emploi;;true"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert {len(row) for row in rows} == {len(COLUMNS)}


def test_study_csv_has_every_population(db):
    response = Client().get("/results/impact-demo/download.csv")

    assert response["Content-Disposition"] == 'attachment; filename="impact-demo.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0] == HEADER
    assert [line.split(",")[0] for line in lines[1:]] == ["associations"] * 5 + ["companies"] * 4
    assert lines[6:] == COMPANIES[1:]


def test_parquet_reads_back_with_the_same_columns(db):
    response = Client().get("/results/impact-demo/companies/download.parquet")

    assert response["Content-Type"] == "application/vnd.apache.parquet"
    frame = pl.read_parquet(io.BytesIO(response.content))
    assert frame.columns == COLUMNS
    assert frame["estimate"].to_list() == [0.3, 0.25, 0.35, None]
    assert frame["fragile"].to_list() == [False, True, False, False]
    assert frame["suppressed"].to_list() == [False, False, False, True]
    assert frame["wave"].dtype == pl.String
    assert frame["n"].to_list() == [400, 28, 410, 7]


def test_xlsx_has_numbers_as_numbers_and_empty_suppressed_cells(db):
    response = Client().get("/results/impact-demo/download.xlsx")

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + 9
    assert rows[1][:12] == [
        "associations", "2018", "impact_territories", "share", None, None, 0.412, 0.02, 0.372,
        0.452, 500, False,
    ]  # fmt: skip
    assert rows[-1][6:11] == [None, None, None, None, 7]


@pytest.mark.parametrize(
    "url",
    [
        "/results/impact-demo/companies/download.pdf",
        "/results/impact-demo/companies/download.CSV",
        "/results/impact-demo/companies/download.csv.gz",
        "/results/impact-demo/download.json",
        "/results/impact-demo/martians/download.csv",
        "/results/martians/companies/download.csv",
    ],
)
def test_bad_download_is_404(db, url):
    assert Client().get(url).status_code == 404


def test_unknown_convention_is_400(db):
    response = Client().get("/results/impact-demo/download.csv?convention=de")

    assert response.status_code == 400


def test_frame_and_response_without_the_database():
    rows = [
        Estimate(position=0, population="p", wave="2020", variable="v", statistic="total",
                 label_fr="V", label_en="V", estimate=1234.5, n=12, suppressed=False),
        Estimate(position=1, population="p", wave="2020", variable="v", statistic="total",
                 label_fr="V", label_en="V", estimate=99.0, n=3, suppressed=True),
    ]  # fmt: skip

    frame = estimates_frame(rows, "fr")
    response = download_response(frame, "p", "csv", french=True)

    assert frame["estimate"].to_list() == [1234.5, None]
    assert response.content.decode("utf-8-sig").splitlines()[1:] == [
        "p;2020;v;total;;;1234,5;;;;12;false;V;;false",
        "p;2020;v;total;;;;;;;3;false;V;;true",
    ]


def test_study_csv_agrees_with_the_cores_estimates_csv(db):
    content = Client().get("/results/impact-demo/download.csv").content.decode()
    ours = [",".join(line.split(",")[: len(ESTIMATE_COLUMNS)]) for line in content.splitlines()]

    assert ours == estimates_csv(synthetic_study()).splitlines()


def test_no_label_runs_as_a_formula_in_any_download():
    """Labels and groups come from people: in CSV and XLSX they are text, numbers stay numbers."""
    frame = pl.DataFrame(
        {"label": ['=HYPERLINK("https://evil.invalid")', "Emploi"], "group_label": ["+65 ans", "-"],
         "estimate": [-0.5, 0.25]}
    )  # fmt: skip
    for french in (True, False):
        text = download_response(frame, "e", "csv", french=french).content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if french else ","))
        assert rows[1][:2] == ['\'=HYPERLINK("https://evil.invalid")', "'+65 ans"]
        assert rows[2][1] == "'-"
    book = load_workbook(io.BytesIO(download_response(frame, "e", "xlsx").content))
    sheet = book.worksheets[0]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ['\'=HYPERLINK("https://evil.invalid")', "'+65 ans", -0.5],
        ["Emploi", "'-", 0.25],
    ]
    assert {c.data_type for row in sheet.iter_rows() for c in row} == {"s", "n"}
