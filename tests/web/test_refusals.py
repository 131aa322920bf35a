"""Refusals carry their status and both languages; pages show them in the page's language."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation

from alliance.web.refusals import RefusalError, refusal_page

pytestmark = pytest.mark.integration


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
