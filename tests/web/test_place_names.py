"""No page, download or notebook shows a raw region or commune code where a name is due.

Codes (« HDF », « 35238 ») are what data files and registries hold; readers get names: results
pages and their downloads by region, the inspiring examples, the organisations, the demo
partnership and the diagnostic.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from django.test import Client

from alliance.study.results import PopulationInfo
from alliance.web.accounts.models import User
from alliance.web.demo_content import DEMO_ACCOUNTS, load_demo_content
from alliance.web.examples.models import InspiringExample
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships.models import Partnership
from alliance.web.results.publishing import publish
from tests.web.conftest import logged_in
from tests.web.studies import share, synthetic_study

pytestmark = pytest.mark.integration

REGION_CODES = ("ARA", "BFC", "BRE", "CVL", "COR", "GES", "HDF", "IDF", "NOR", "NAQ", "OCC",
                "PDL", "PAC")  # fmt: skip
RAW_CODE = re.compile(rf"\b(?:{'|'.join(REGION_CODES)})\b|(?<![\d,.\u202f])\d[\dAB]\d{{3}}\b")


def raw_codes(html: str) -> list[str]:
    """The region codes and five-digit commune codes in the text people read (tags left out)."""
    main = html.split('<main id="main">', 1)[-1].split("</main>", 1)[0]
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", main, flags=re.S)
    return RAW_CODE.findall(text)


def test_the_detector_finds_codes_and_leaves_names_and_numbers():
    assert raw_codes('<main id="main"><p>Région HDF, commune 59512</p></main>') == [
        "HDF",
        "59512",
    ]
    assert raw_codes('<main id="main"><td title="HDF">Hauts-de-France, Roubaix (59), 12 345'
                     "</td></main>") == []  # fmt: skip


def by_region_study():
    """The synthetic study with a region segment the questionnaire did not label."""
    results = synthetic_study()
    associations = results.populations[0]
    labelled = PopulationInfo(
        **{
            **vars(associations),
            "segments": {"region": {"label": {"fr": "Région", "en": "Region"}, "groups": {}}},
        }
    )
    estimates = [e for e in results.estimates if e.by != "size"] + [
        share("associations", "2022", "impact_territories", 0.61, 300, by="region", group="HDF"),
        share("associations", "2022", "impact_territories", 0.47, 220, by="region", group="BRE"),
    ]
    return replace(
        results, study="par-region", populations=[labelled, *results.populations[1:]],
        estimates=estimates,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "names"), [("fr", ["Hauts-de-France", "Bretagne"]), ("en", ["Hauts-de-France",
                                                                         "Brittany"])]
)  # fmt: skip
def test_results_by_region_name_the_regions_on_the_page_and_in_the_downloads(db, lang, names):
    publish(by_region_study())
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)

    page = client.get(
        "/results/par-region/associations/", {"view": "segments", "by": "region", "wave": "2022"}
    )
    csv = client.get("/results/par-region/associations/download.csv").content.decode()

    assert page.status_code == 200
    html = page.content.decode()
    assert all(name in html for name in names)
    assert raw_codes(html) == []
    rows = [line.split(",") for line in csv.splitlines()]
    assert [(r[5], r[13]) for r in rows if r[4] == "region"] == [("HDF", names[0]),
                                                                ("BRE", names[1])]  # fmt: skip


def test_demo_pages_show_places_by_name(db):
    load_demo_content()
    association = Organisation.objects.get(name__startswith="Les Jardins")
    owner = logged_in(User.objects.get(email=DEMO_ACCOUNTS[0]))
    partnership = Partnership.objects.get()
    urls = [
        "/examples/",
        *(f"/examples/{e.code}/" for e in InspiringExample.objects.order_by("code")[:12]),
        f"/organisations/{association.pk}/",
        f"/organisations/{association.pk}/diagnostic/",
        f"/partnerships/{partnership.pk}/",
    ]

    found = {}
    for url in urls:
        response = owner.get(url)
        assert response.status_code == 200, url
        found[url] = raw_codes(response.content.decode())

    assert found == {url: [] for url in urls}
    assert "Rennes (35)" in owner.get(f"/organisations/{association.pk}/").content.decode()
