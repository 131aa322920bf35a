"""A record erased mid-request answers 404 or 409 in both languages, never a 500."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError
from django.http import HttpResponse
from django.test import RequestFactory

from alliance.web.organisations.models import Organisation
from alliance.web.vanished import VanishedRecordMiddleware, vanished_response

pytestmark = pytest.mark.unit

middleware = VanishedRecordMiddleware(lambda request: HttpResponse("ok"))


def test_a_record_gone_from_the_api_is_a_404_in_json():
    request = RequestFactory().post("/api/partnerships/3/evaluations")

    response = middleware.process_exception(request, Organisation.DoesNotExist())

    assert response is not None
    assert response.status_code == 404
    body = json.loads(response.content)
    assert body["key"] == "serving.gone"
    assert body["messages"] == {
        "fr": "Introuvable : cet élément a été effacé entre-temps",
        "en": "Not found: this record was erased meanwhile",
    }


def test_a_write_pointing_to_an_erased_record_is_a_409_on_a_page():
    request = RequestFactory().post("/partnerships/3/evaluation/")

    response = middleware.process_exception(request, IntegrityError("FOREIGN KEY failed"))

    assert response is not None
    assert response.status_code == 409
    page = response.content.decode()
    assert "<h1>Action impossible</h1>" in page
    assert (
        "<p>Conflit : les données ont changé entre-temps (un élément lié a été effacé) ; "
        "rien n&#x27;a été enregistré</p>"
    ) in page


def test_other_errors_are_left_to_django():
    request = RequestFactory().get("/api/studies")

    assert vanished_response(request, ValueError("a bug")) is None


def test_requests_pass_through():
    assert middleware(RequestFactory().get("/")).content == b"ok"
