"""The API's one error shape: validation, 401, 403, 404, 405, 429, 500, and in the schema."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client
from ninja.errors import HttpError, Throttled

from alliance.errors import Location, RequestError
from alliance.web import api_errors
from alliance.web.api import api
from alliance.web.api_errors import HttpRefusalError, declare_errors, field_error
from tests.web.conftest import bearer, logged_in

pytestmark = pytest.mark.integration

SHAPE = ["detail", "key", "messages"]


def shaped(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert list(body)[:3] == SHAPE
    assert set(body["messages"]) == {"fr", "en"}
    assert body["messages"]["fr"] != body["messages"]["en"]
    return body


def test_an_invalid_parameter_is_400_naming_it_in_both_languages(db):
    body = shaped(Client().get("/api/examples?limit=abc"), 400)

    assert body["key"] == "validation.int_parsing"
    assert body["detail"] == "Nombre entier attendu (champ 'limit')"
    assert body["messages"]["en"] == "Whole number expected (field 'limit')"
    assert body["errors"] == [{k: body[k] for k in SHAPE}]


def test_the_detail_follows_the_request_language(db):
    body = shaped(Client().get("/api/examples?offset=-1", HTTP_ACCEPT_LANGUAGE="en"), 400)

    assert body["detail"] == "Value too small (at least 0) (field 'offset')"
    assert body["key"] == "validation.greater_than_equal"


@pytest.mark.parametrize(
    ("query", "field", "key"),
    [
        ("offset=-1", "offset", "validation.greater_than_equal"),
        ("offset=99999999999999999999", "offset", "validation.less_than_equal"),
        ("limit=0", "limit", "validation.greater_than_equal"),
        ("limit=101", "limit", "validation.less_than_equal"),
        ("limit=99999999999999999999", "limit", "validation.less_than_equal"),
        ("sdg=18", "sdg", "validation.less_than_equal"),
        ("sdg=99999999999999999999", "sdg", "validation.less_than_equal"),
    ],
)
def test_list_parameters_out_of_range_are_400_not_500(db, query, field, key):
    body = shaped(Client().get(f"/api/examples?{query}"), 400)

    assert body["key"] == key
    assert f"(field '{field}')" in body["messages"]["en"]


@pytest.mark.parametrize(
    "url", ["/api/studies", "/api/studies/impact-demo/results", "/api/organisations"]
)
def test_bare_lists_take_limit_and_offset_too(url, people):
    client = logged_in(people["owner"])
    everything = client.get(url).json()

    assert client.get(f"{url}?limit=1").json() == everything[:1]
    assert client.get(f"{url}?offset=1").json() == everything[1:]
    assert shaped(client.get(f"{url}?offset=-5"), 400)["key"] == "validation.greater_than_equal"


def test_an_invalid_body_field_is_named_without_the_body_parameter(db):
    response = Client().post(
        "/api/auth/token", {"email": 1}, content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip

    body = shaped(response, 400)
    assert body["detail"] == "Text expected (field 'email')"
    assert [e["messages"]["en"] for e in body["errors"]] == [
        "Text expected (field 'email')",
        "Required field missing (field 'password')",
    ]


def test_a_body_that_is_not_json_is_400(people, organisation):
    response = Client().put(
        f"/api/organisations/{organisation.pk}/diagnostic", "{not json",
        content_type="application/json", headers=bearer(people["owner"]),
    )  # fmt: skip

    assert shaped(response, 400)["key"] == "request.invalid_json"


def test_wrong_credentials_are_401_in_the_shape(people):
    response = Client().post(
        "/api/auth/token", {"email": "owner@demo.invalid", "password": "wrong"},
        content_type="application/json",
    )  # fmt: skip

    body = shaped(response, 401)
    assert body["key"] == "request.invalid_credentials"
    assert body["detail"] == "Adresse e-mail ou mot de passe incorrect"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/organisations"),
        ("get", "/api/organisations/1/diagnostic"),
        ("post", "/api/organisations/1/partnerships"),
        ("put", "/api/partnerships/1/agreement"),
        ("delete", "/api/organisations/1?confirm=x"),
    ],
)
def test_anonymous_private_reads_and_writes_are_401_not_csrf(db, method, url):
    response = getattr(Client(enforce_csrf_checks=True), method)(
        url, {}, content_type="application/json"
    )

    body = shaped(response, 401)
    assert body["key"] == "request.unauthorized"
    assert "Authorization: Bearer" in body["messages"]["en"]


def test_a_session_write_without_csrf_token_is_403_in_the_shape(people, organisation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["owner"])

    response = client.post(
        f"/api/organisations/{organisation.pk}/partnerships", {"title": "Jardins partagés"},
        content_type="application/json",
    )  # fmt: skip

    body = shaped(response, 403)
    assert body["key"] == "request.csrf_failed"
    assert body["messages"]["en"] == "CSRF check failed: reload the page and try again"


def test_a_role_that_cannot_is_403(people, organisation):
    response = Client().delete(
        f"/api/organisations/{organisation.pk}?confirm=x", headers=bearer(people["viewer"])
    )

    assert shaped(response, 403)["key"] == "request.forbidden"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("/api/studies/martians/results", "request.unknown_study"),
        ("/api/examples/ex-999", "request.unknown_example"),
        ("/api/referential/frameworks/nothing", "request.unknown_framework"),
        ("/api/nowhere", "request.not_found"),
        ("/api/organisations/999999", "request.not_found"),
    ],
)
def test_unknown_resources_are_404(people, url, key):
    body = shaped(Client().get(url, headers=bearer(people["owner"])), 404)

    assert body["key"] == key


def test_a_method_not_allowed_is_405_naming_it(db):
    response = Client().put("/api/examples", {}, content_type="application/json")

    body = shaped(response, 405)
    assert body["key"] == "request.method_not_allowed"
    assert body["messages"]["en"] == "Method PUT not allowed here"
    assert response["Allow"] == "GET"


def test_throttling_passes_through_as_429():
    response = api_errors._http_error(None, Throttled(wait=3))  # type: ignore[arg-type]

    assert response.status_code == 429
    assert response.content.decode().count("request.too_many_requests") == 1


def test_our_refusals_keep_their_own_message():
    error = RequestError("request.unknown_study", code="x")

    response = api_errors._http_error(None, HttpRefusalError(404, error))  # type: ignore[arg-type]

    assert response.status_code == 404
    assert b'"key": "request.unknown_study"' in response.content


def test_an_unexpected_exception_is_logged_and_answers_500_in_the_shape(rf, caplog):
    request = rf.get("/api/boom?token=secret")

    with caplog.at_level(logging.ERROR, logger="alliance.web"):
        response = api.on_exception(request, ZeroDivisionError("division by zero"))

    assert response.status_code == 500
    assert b'"key": "request.server_error"' in response.content
    [record] = caplog.records
    assert record.getMessage() == "unexpected ZeroDivisionError"
    assert record.exc_info is not None
    assert record.request is request


def test_field_error_drops_the_source_and_the_body_parameter():
    error = field_error({"type": "missing", "loc": ("body", "body", "scores", "a"), "msg": ""})

    assert error.key == "validation.missing"
    assert error.location == Location(field="scores.a")
    assert field_error({"type": "missing", "loc": ("query", "q"), "msg": ""}).location == (
        Location(field="q")
    )


def test_http_errors_of_other_statuses_say_refused():
    response = api_errors._http_error(None, HttpError(418, "teapot"))  # type: ignore[arg-type]

    assert response.status_code == 418
    assert b"HTTP status 418" in response.content


def test_the_schema_declares_typed_error_responses(db):
    schema = Client().get("/api/openapi.json").json()

    error = schema["components"]["schemas"]["ErrorBody"]
    assert error["required"] == ["detail", "key", "messages"]
    assert error["properties"]["messages"] == {"$ref": "#/components/schemas/Messages"}
    assert schema["components"]["schemas"]["Messages"]["required"] == ["fr", "en"]
    ref = {"$ref": "#/components/schemas/ErrorBody"}
    examples = schema["paths"]["/api/examples"]["get"]["responses"]
    assert set(examples) == {"200", "400"}
    assert examples["400"]["content"]["application/json"]["schema"] == ref
    diagnostic = schema["paths"]["/api/organisations/{pk}/diagnostic"]["put"]["responses"]
    assert set(diagnostic) == {
        "200",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
    }  # 409: stale version
    token = schema["paths"]["/api/auth/token"]["post"]["responses"]
    assert token["401"]["content"]["application/json"]["schema"] == ref
    assert token["429"]["content"]["application/json"]["schema"] == ref  # locked out (axes)


def test_declare_errors_keeps_responses_already_declared():
    schema = {"paths": {"/x/{a}": {"get": {"responses": {404: {"description": "mine"}}}}}}

    declared = declare_errors(schema)  # type: ignore[arg-type]

    assert declared["paths"]["/x/{a}"]["get"]["responses"][404] == {"description": "mine"}
    assert set(declared["paths"]["/x/{a}"]["get"]["responses"]) == {400, 404}
