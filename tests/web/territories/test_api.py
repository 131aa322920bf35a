"""The territories' API: public aggregates and network, the coordinators' self-assessment."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from alliance.disclosure import protected_count
from alliance.web.results.publishing import publish
from tests.web.conftest import bearer, logged_in
from tests.web.studies import regional_study

pytestmark = pytest.mark.integration


def test_a_department_in_the_api(nord, settings):
    body = Client().get("/api/territories/department/59").json()

    assert body["territory"] == {
        "kind": "department", "code": "59", "name": "Nord", "url": "/territories/department/59/",
        "parents": [{"kind": "region", "code": "32", "name": "Hauts-de-France"}],
    }  # fmt: skip
    assert body["actors"]["active"] == 19
    assert body["actors"]["by_profile"] == [
        {"profile": "associations", "label": "Associations", "count": 16},
        {"profile": "pme", "label": "PME", "count": 3},
    ]
    assert (body["actors"]["closed"], body["actors"]["deleted"]) == (2, 1)
    assert body["actors"]["vintages"] == []
    secret = settings.SECRET_KEY.encode()
    assert body["organisations"]["by_profile"] == [
        {"profile": "associations", "label": "Associations",
         "count": protected_count(10, "territory:department/59:organisations:associations",
                                  secret)},
        {"profile": "pme", "label": "PME", "count": None},
    ]  # fmt: skip
    assert body["partnerships"]["by_category"] == [
        {"category": "innovation_societale", "label": "Innovation sociétale",
         "partnerships": None},
        {"category": "mecenat", "label": "Mécénat", "partnerships": 10},
    ]  # fmt: skip
    assert [e["code"] for e in body["examples"]] == ["ex-20", "ex-07"]
    assert body["results"] == []
    assert body["self_assessment"]["answers"] == {}
    assert len(body["self_assessment"]["items"]) == 7


def test_a_department_in_the_api_gives_its_regions_study_results(db):
    publish(regional_study(), source="tests/web/studies/")

    body = Client().get("/api/territories/department/35").json()

    assert body["territory"]["parents"] == [{"kind": "region", "code": "53", "name": "Bretagne"}]
    (study,) = body["results"]
    assert {k: v for k, v in study.items() if k != "estimates"} == {
        "study": "impact-demo", "title": "Impact des alliances (démonstration)", "version": 2,
        "fragile_below": 30,
    }  # fmt: skip
    # Brittany's two shown shares, the fragile one flagged; the suppressed one is not given.
    association = {"population": "associations", "population_label": "Associations"}
    assert study["estimates"] == [
        {**association,
         "label": "Territoires", "wave": "2018", "group": "Bretagne", "value": "44,0\u202f%",
         "interval": "40,0\u202f% – 48,0\u202f%", "n": 25, "fragile": True, "published": ""},
        {**association,
         "label": "Territoires", "wave": "2022", "group": "Bretagne", "value": "52,0\u202f%",
         "interval": "48,0\u202f% – 56,0\u202f%", "n": 60, "fragile": False, "published": ""},
    ]  # fmt: skip
    english = Client().get("/api/territories/region/BRE?lang=en").json()["results"]
    assert [(e["label"], e["value"], e["fragile"]) for e in english[0]["estimates"]] == [
        ("Territories", "44.0%", True), ("Territories", "52.0%", False),
    ]  # fmt: skip
    nord = Client().get("/api/territories/department/59").json()["results"]
    assert [(e["group"], e["n"]) for e in nord[0]["estimates"]] == [("Hauts-de-France", 80)]
    assert Client().get("/api/territories/department/2A").json()["results"] == []


def test_the_network_in_the_api_in_english(nord):
    body = Client().get("/api/territories/departement/59/network?lang=en").json()

    assert [n["id"] for n in body["nodes"]] == ["associations", "fondations", "pme"]
    assert body["nodes"][2] == {
        "id": "pme", "label": "SMEs", "organisations": None, "partnerships": 10,
    }  # fmt: skip
    assert body["edges"] == [
        {"source": "associations", "target": "fondations", "category": "innovation_societale",
         "category_label": "Societal innovation", "partnerships": None, "withheld": True},
        {"source": "associations", "target": "pme", "category": "mecenat",
         "category_label": "Corporate philanthropy", "partnerships": 10, "withheld": False},
    ]  # fmt: skip
    assert (body["smallest_count_shown"], body["rounding_base"]) == (5, 5)


def test_a_region_counts_what_its_departments_hold(nord):
    body = Client().get("/api/territories/region/HDF").json()
    assert body["territory"]["code"] == "32"
    assert body["actors"]["active"] == 19
    assert {"ex-07", "ex-20", "ex-33"} <= {e["code"] for e in body["examples"]}


def test_a_commune_and_an_epci(nord):
    roubaix = Client().get("/api/territories/commune/59512").json()
    assert roubaix["actors"]["by_profile"] == [
        {"profile": "associations", "label": "Associations", "count": 4}
    ]
    assert roubaix["partnerships"]["partnerships"] is None  # none there
    mel = Client().get("/api/territories/epci/200093201/network").json()
    assert len(mel["edges"]) == 2


@pytest.mark.parametrize(
    ("url", "key", "value"),
    [
        ("/api/territories/canton/59", "territories.unknown_kind", "canton"),
        ("/api/territories/department/999/network", "territories.unknown_code", "999"),
    ],
)
def test_unknown_territories_answer_404_in_the_error_shape(db, url, key, value):
    response = Client().get(url)

    assert response.status_code == 404
    body = response.json()
    assert body["key"] == key
    assert f"'{value}'" in body["messages"]["fr"]
    assert f"'{value}'" in body["messages"]["en"]


def test_a_coordinator_puts_a_new_version(nord, coordinator):
    answers = {"territorial-engineerings/publique": "niveau_4"}
    before = Client().get("/api/territories/department/59").json()["self_assessment"]
    assert before["answers"] == {}  # and kept as the public copy, until a version is saved
    response = Client().put(
        "/api/territories/department/59/self-assessment",
        json.dumps({"answers": answers, "notes": {"territorial-engineerings/publique": "Oui"}}),
        content_type="application/json",
        headers=bearer(coordinator),
    )

    assert response.status_code == 200
    body = response.json()
    assert body["answers"] == answers
    assert body["history"][0]["author"] == "coordination-nord@demo.invalid"
    public = Client().get("/api/territories/department/59").json()["self_assessment"]
    assert public["answers"] == answers
    assert public["history"][0]["author"] is None
    mine = logged_in(coordinator).get("/api/territories/department/59").json()
    assert mine["self_assessment"]["history"][0]["author"] == "coordination-nord@demo.invalid"


def test_a_bad_self_assessment_is_a_located_400(nord, coordinator):
    response = Client().put(
        "/api/territories/department/59/self-assessment",
        json.dumps({"answers": {"territorial-maturity-levels": "niveau_7"}}),
        content_type="application/json",
        headers=bearer(coordinator),
    )

    assert response.status_code == 400
    assert response.json()["key"] == "territories.unknown_level"
    assert "niveau_7" in response.json()["messages"]["en"]


def test_post_keeps_a_new_version_too_and_answers_201(nord, coordinator):
    response = Client().post(
        "/api/territories/department/59/self-assessment",
        json.dumps({"answers": {"territorial-maturity-levels": "niveau_3"}}),
        content_type="application/json",
        headers=bearer(coordinator),
    )

    assert response.status_code == 201
    assert response.json()["answers"] == {"territorial-maturity-levels": "niveau_3"}
    assert Client().post("/api/territories/department/59/self-assessment", "{}",
                         content_type="application/json").status_code == 401  # fmt: skip


def test_search_territories_by_name_or_code(db):
    found = Client().get("/api/territories?q=roubaix").json()

    assert found == [
        {"kind": "commune", "code": "59512", "name": "Roubaix",
         "url": "/territories/commune/59512/",
         "parents": [{"kind": "epci", "code": "200093201",
                      "name": "Métropole Européenne de Lille"},
                     {"kind": "department", "code": "59", "name": "Nord"},
                     {"kind": "region", "code": "32", "name": "Hauts-de-France"}]},
    ]  # fmt: skip
    assert Client().get("/api/territories?q=").json() == []
