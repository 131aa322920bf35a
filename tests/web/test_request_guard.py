"""Bounded bodies and storable text, on SQLite and (CI's second run) PostgreSQL.

PostgreSQL refuses NUL in text (the request used to end in a 500); a lone surrogate stored by
SQLite broke every later page and export that read it. Both are refused before any view runs.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from alliance.web.partnerships.models import Diagnostic
from alliance.web.request_guard import unstorable
from tests.web.conftest import PASSWORD, bearer

pytestmark = pytest.mark.integration

NUL = "\x00"
SURROGATE = "\ud800"


def refused(response, status: int, key: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["key"] == key
    assert set(body) >= {"detail", "messages"}


@pytest.mark.parametrize(
    "value",
    ["a\x00b", "\ud800", "x\udfff", {"k\x00": 1}, [["ok", {"deep": "\udc00"}]]],
)
def test_unstorable_finds_nul_and_lone_surrogates_anywhere(value):
    assert unstorable(value)


@pytest.mark.parametrize("value", ["été", "𝕿𝖍𝖊", "emoji 🙂", {"a": [1, None, True]}, 3.5])
def test_storable_text_passes(value):
    assert not unstorable(value)


@pytest.mark.parametrize(
    "url",
    ["/api/examples?q=%00", "/api/examples?%00=1", "/api/examples/ex%0001", "/api/studies/%00"],
)
def test_nul_in_query_or_path_is_400_in_the_api(db, url):
    refused(Client().get(url), 400, "request.invalid_text")


@pytest.mark.parametrize("text", [NUL, f"mot{NUL}", SURROGATE])
def test_unstorable_text_in_an_anonymous_json_body_is_400(db, text):
    body = json.dumps({"email": text, "password": "x"})  # escaped: \u0000, \ud800

    response = Client().post("/api/auth/token", body, content_type="application/json")

    refused(response, 400, "request.invalid_text")


def test_unstorable_text_in_an_answer_is_400_and_nothing_is_saved(people, organisation):
    body = json.dumps({"answers": {"comment": f"a{SURROGATE}b"}})

    response = Client().patch(
        f"/api/organisations/{organisation.pk}/diagnostic", body,
        content_type="application/json", headers=bearer(people["owner"]),
    )  # fmt: skip

    refused(response, 400, "request.invalid_text")
    assert not Diagnostic.objects.filter(organisation=organisation).exclude(answers={}).exists()


def test_nul_in_a_form_is_a_400_page(people):
    response = Client().post(
        "/accounts/login/", {"username": f"owner{NUL}@demo.invalid", "password": PASSWORD}
    )

    assert response.status_code == 400
    assert "<h1>Requête invalide</h1>" in response.content.decode()


def test_nul_in_a_page_address_is_a_400_page(db):
    response = Client().get("/examples/?q=%00")

    assert response.status_code == 400
    assert '<header class="site">' in response.content.decode()


def test_text_that_is_only_invalid_utf8_is_replaced_not_refused(db):
    assert Client().get("/api/examples?q=%ED%A0%80").status_code == 200


def test_an_anonymous_body_over_64_kib_is_413_unread(db, settings):
    body = json.dumps({"email": "x" * 70_000, "password": "x"})

    response = Client().post("/api/auth/token", body, content_type="application/json")

    refused(response, 413, "request.too_large")
    assert response.json()["messages"]["en"] == "Request too large (at most 65536 bytes)"


def test_an_anonymous_multipart_upload_over_64_kib_is_a_413_page(db):
    upload = {"username": "a", "password": "b", "file": ("x" * 70_000)}

    response = Client().post("/accounts/login/", upload)  # multipart by default

    assert response.status_code == 413
    assert "<h1>Envoi trop volumineux</h1>" in response.content.decode()


def test_someone_identified_may_send_more_but_not_more_than_2_mib(people, organisation):
    url = f"/api/organisations/{organisation.pk}/diagnostic"
    client = Client()
    headers = bearer(people["owner"])
    medium = json.dumps({"answers": {"comment": "x" * 100_000}})
    huge = json.dumps({"answers": {"comment": "x" * 2_200_000}})

    medium_answer = client.patch(url, medium, content_type="application/json", headers=headers)
    huge_answer = client.patch(url, huge, content_type="application/json", headers=headers)

    assert medium_answer.status_code == 400  # read and refused by the diagnostic, not by size
    assert medium_answer.json()["key"] != "request.too_large"
    refused(huge_answer, 413, "request.too_large")


def test_a_false_token_gets_the_anonymous_limit(db):
    body = json.dumps({"answers": {"comment": "x" * 100_000}})

    response = Client().patch(
        "/api/organisations/1/diagnostic", body, content_type="application/json",
        headers={"Authorization": "Bearer not-a-token"},
    )  # fmt: skip

    refused(response, 413, "request.too_large")


def test_django_own_limits_are_set(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.ALLIANCE_MAX_BODY == 2 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024
    assert settings.ALLIANCE_ANONYMOUS_MAX_BODY == 64 * 1024
