"""Refused requests: the site's error pages (translated, with its header) and the API's shape."""

from __future__ import annotations

import logging
from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.utils import translation

from alliance.errors import ConflictError, RequestError
from alliance.web import refusals
from alliance.web.logs import KeyValueFormatter
from alliance.web.refusals import RefusalError, refusal_page, refusal_status, status_error

pytestmark = pytest.mark.integration


def test_an_unknown_page_is_a_translated_404_page_with_the_site_header(db):
    response = Client().get("/nowhere/")

    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert '<header class="site">' in page
    assert "<h1>Page introuvable</h1>" in page
    assert "Erreur 404" in page
    assert 'href="/">Retour à l\'accueil</a>' in page


def test_the_404_page_in_english(db):
    page = Client().get("/nowhere/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="en">' in page
    assert "<h1>Page not found</h1>" in page
    assert "Error 404" in page
    assert "Back to the home page" in page


def test_an_unknown_api_address_answers_json(db):
    response = Client().get("/api/nowhere")

    assert response.status_code == 404
    assert response.json()["key"] == "request.not_found"


@pytest.mark.parametrize(
    ("handler", "status", "french"),
    [
        (refusals.bad_request, 400, "Requête invalide"),
        (refusals.forbidden, 403, "Accès refusé"),
        (refusals.not_found, 404, "Page introuvable"),
    ],
)
def test_each_handler_renders_its_page(db, handler, status, french):
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()

    response = handler(request)

    assert response.status_code == status
    assert f"<h1>{french}</h1>" in response.content.decode()


def test_the_500_page_renders_without_database_nor_request_context(db, django_assert_num_queries):
    request = RequestFactory().get("/results/")  # no user, no session, no middleware

    with django_assert_num_queries(0):
        response = refusals.server_error(request)

    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Erreur du serveur</h1>" in page
    assert "L'erreur a été enregistrée" in page
    assert 'rel="stylesheet"' in page


def test_the_500_of_the_api_is_json():
    response = refusals.server_error(RequestFactory().get("/api/examples"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert b'"key": "request.server_error"' in response.content


def test_status_error_messages():
    assert status_error(405, method="PUT").message("fr") == "Méthode PUT non admise ici"
    assert status_error(413).message("en") == "Request refused (HTTP status 413)"
    assert status_error(429).key == "request.too_many_requests"


def test_a_page_form_without_csrf_token_gets_the_site_403_page(people):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    page = response.content.decode()
    assert '<header class="site">' in page
    assert "Le formulaire a expiré ou ne vient pas de ce site." in page


def test_a_page_that_fails_answers_the_500_page_and_logs_the_traceback(db, monkeypatch, caplog):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("template engine on fire")

    monkeypatch.setattr("alliance.web.views.render", broken)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get("/?token=secret")

    assert response.status_code == 500
    assert "<h1>Erreur du serveur</h1>" in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is not None
    line = KeyValueFormatter().format(record)
    assert line.splitlines()[0].endswith(
        'method=GET path=/ status=500 message="Internal Server Error: /"'
    )
    assert "RuntimeError: template engine on fire" in line
    assert "secret" not in line


# Refusals that are not bad input (invitations, members): their status and page.


def test_a_refusal_keeps_its_status_key_and_messages():
    refused = RefusalError(HTTPStatus.GONE, "invitation.expired")

    assert (refused.status, refused.key) == (HTTPStatus.GONE, "invitation.expired")
    assert refused.message("en") == (
        "This invitation has expired: ask the person who invited you to send it again"
    )


@pytest.mark.parametrize(
    ("lang", "text"),
    [("fr", "Cette invitation a déjà servi"), ("en", "This invitation has already been used")],
)
def test_the_refusal_page_speaks_the_pages_language(db, lang, text):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with translation.override(lang):
        response = refusal_page(request, RefusalError(HTTPStatus.GONE, "invitation.accepted"))

    assert response.status_code == 410
    assert f'<p class="error" role="alert">{text}</p>' in response.content.decode()


def test_a_refused_page_answers_the_refusal_s_own_status_409_for_a_conflict_else_400():
    assert refusal_status(RefusalError(HTTPStatus.GONE, "collection.closed")) == 410
    assert refusal_status(ConflictError("collection.no_complete")) == 409
    assert refusal_status(RequestError("request.bad_request")) == 400
