"""Security headers on every response: CSP, nosniff, frame denial, referrer policy, no-store."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from alliance.web.security import is_private
from tests.web.conftest import bearer, logged_in

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("url", ["/", "/api/studies", "/nope/"])
def test_every_response_carries_the_security_headers(db, url):
    response = Client().get(url)

    assert response["Content-Security-Policy"].startswith("default-src 'self';")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "url",
    [
        "/organisations/",
        "/organisations/{pk}/",
        "/organisations/{pk}/diagnostic/",
        "/organisations/{pk}/partnerships/",
        "/organisations/{pk}/export.json",
        "/organisations/{pk}/diagnostic.pdf",
        "/organisations/{pk}/erase/",
        "/api/organisations",
        "/api/organisations/{pk}/export",
        "/",  # a public page, but it names the person logged in
    ],
)
def test_private_answers_are_never_stored_by_caches(people, organisation, url):
    response = logged_in(people["owner"]).get(url.format(pk=organisation.pk))

    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


@pytest.mark.parametrize("url", ["/accounts/login/", "/organisations/", "/api/organisations"])
def test_private_addresses_are_no_store_even_anonymously(db, url):
    response = Client().get(url)

    assert "no-store" in response["Cache-Control"]


def test_an_api_token_makes_the_answer_private(people):
    response = Client().get("/api/studies", headers=bearer(people["owner"]))

    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/", "/results/", "/api/studies", "/legal/"])
def test_public_answers_to_anonymous_visitors_may_be_cached(db, url):
    assert "Cache-Control" not in Client().get(url)


def test_is_private_by_address_identity_or_token(rf, people):
    request = rf.get("/examples/")
    request.user = AnonymousUser()
    assert not is_private(request)
    assert is_private(rf.get("/partnerships/3/"))
    assert is_private(rf.get("/examples/", HTTP_AUTHORIZATION="Bearer x"))
    request.user = people["viewer"]
    assert is_private(request)
