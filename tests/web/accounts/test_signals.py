"""Logging out revokes the tokens made from that session, and only those."""

from __future__ import annotations

import pytest
from django.contrib.auth.signals import user_logged_out
from django.contrib.sessions.backends.db import SessionStore

from alliance.web.accounts.models import ApiToken, User
from alliance.web.accounts.signals import revoke_session_tokens
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.integration


@pytest.fixture
def person(db) -> User:
    return User.objects.create_user("session@demo.invalid", PASSWORD)


def test_logout_revokes_the_session_tokens(person, rf):
    request = rf.post("/accounts/logout/")
    request.session = SessionStore()
    request.session.create()
    from_page = ApiToken.mint(person, "page", session_key=request.session.session_key)[1]
    other = ApiToken.mint(person, "autre session", session_key="une-autre-cle")[1]

    user_logged_out.send(sender=User, request=request, user=person)

    assert ApiToken.user_for(from_page) is None
    assert ApiToken.user_for(other) == person


def test_a_logout_without_request_or_session_revokes_nothing(person, rf):
    token = ApiToken.issue(person)
    request = rf.post("/accounts/logout/")
    request.session = SessionStore()

    revoke_session_tokens(User, request=None)
    revoke_session_tokens(User, request=request)

    assert ApiToken.user_for(token) == person
