"""The accounts API: a token for a password, with its name and expiry; one's tokens, revoked."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from alliance.web.accounts.models import ApiToken
from tests.web.conftest import PASSWORD, bearer, logged_in

pytestmark = pytest.mark.integration


def ask_token(**body: object) -> Any:
    credentials = {"email": "owner@demo.invalid", "password": PASSWORD} | body
    return Client().post("/api/auth/token", credentials, content_type="application/json")


def test_a_token_for_email_and_password(people):
    response = ask_token(name="mon script")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "id", "name", "created", "expires", "last_used"}
    assert body["name"] == "mon script"
    assert body["last_used"] is None
    lifetime = datetime.fromisoformat(body["expires"]) - datetime.fromisoformat(body["created"])
    assert abs(lifetime - timedelta(days=30)) < timedelta(seconds=1)
    stored = ApiToken.objects.get(pk=body["id"])
    assert stored.user == people["owner"]
    assert body["token"] not in stored.digest
    mine = Client().get("/api/organisations", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert [o["name"] for o in mine.json()] == ["Les Jardins du Lac (fictive)"]


def test_the_lifetime_is_asked_in_days(people):
    body = ask_token(days=7).json()

    lifetime = datetime.fromisoformat(body["expires"]) - datetime.fromisoformat(body["created"])
    assert abs(lifetime - timedelta(days=7)) < timedelta(seconds=1)
    assert body["name"] == "api"


def test_a_lifetime_beyond_the_maximum_is_refused_in_both_languages(people):
    response = ask_token(days=366)

    assert response.status_code == 400
    body = response.json()
    assert body["key"] == "token.days_out_of_range"
    assert body["messages"]["fr"].startswith(
        "La durée d'un jeton doit être comprise entre 1 et 365 jours"
    )
    assert body["messages"]["en"].startswith("A token's lifetime must be between 1 and 365 days")
    assert "days" in body["messages"]["en"]
    assert ApiToken.objects.count() == 0


def test_a_wrong_password_gets_401_and_no_token(people):
    response = ask_token(password="faux")

    assert response.status_code == 401
    assert response.json()["detail"] == "Adresse e-mail ou mot de passe incorrect"
    assert ApiToken.objects.count() == 0


def test_the_refusal_in_english(people):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/auth/token",
        {"email": "owner@demo.invalid", "password": "faux"},
        content_type="application/json",
    )

    assert response.status_code == 401
    assert response.json()["detail"] == "Wrong e-mail address or password"


def test_the_same_name_replaces_the_old_token(people):
    first = ask_token(name="cron").json()
    second = ask_token(name="cron").json()

    assert first["id"] != second["id"]
    old = Client().get("/api/organisations", HTTP_AUTHORIZATION=f"Bearer {first['token']}")
    assert old.status_code == 401
    assert ApiToken.objects.filter(user=people["owner"]).count() == 1


def test_the_cap_per_person_is_a_clear_400(people, settings):
    settings.ALLIANCE_TOKENS_PER_PERSON = 1
    ask_token(name="un")

    response = ask_token(name="deux")

    assert response.status_code == 400
    assert response.json()["key"] == "token.too_many"
    assert response.json()["messages"]["fr"].startswith(
        "Vous avez déjà 1 jetons : révoquez-en un avant d'en créer un autre"
    )


def test_an_unconfirmed_account_gets_no_token(people):
    owner = people["owner"]
    owner.is_active = False
    owner.save()

    assert ask_token().status_code == 401


def test_an_expired_token_answers_401(people, monkeypatch):
    headers = bearer(people["owner"])
    assert Client().get("/api/auth/tokens", headers=headers).status_code == 200
    later = timezone.now() + timedelta(days=30, seconds=1)

    monkeypatch.setattr(timezone, "now", lambda: later)

    assert Client().get("/api/auth/tokens", headers=headers).status_code == 401
    assert Client().get("/api/organisations", headers=headers).status_code == 401


def test_list_my_tokens_never_the_secrets(people):
    ApiToken.issue(people["owner"], "notebook")
    ApiToken.issue(people["editor"], "chez un autre")
    headers = bearer(people["owner"])  # named "api"

    response = Client().get("/api/auth/tokens", headers=headers)

    assert response.status_code == 200
    listed = response.json()
    assert [t["name"] for t in listed] == ["api", "notebook"]
    assert set(listed[0]) == {"id", "name", "created", "expires", "last_used"}
    assert listed[0]["last_used"] is not None  # this very call used it


def test_list_with_the_session_cookie(people):
    ApiToken.issue(people["owner"], "notebook")

    response = logged_in(people["owner"]).get("/api/auth/tokens")

    assert [t["name"] for t in response.json()] == ["notebook"]


def test_anonymous_listing_gets_401(db):
    assert Client().get("/api/auth/tokens").status_code == 401


def test_revoke_one_of_my_tokens(people):
    record, token = ApiToken.mint(people["owner"], "notebook")
    headers = bearer(people["owner"])

    response = Client().delete(f"/api/auth/tokens/{record.pk}", headers=headers)

    assert response.status_code == 204
    revoked = Client().get("/api/auth/tokens", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert revoked.status_code == 401
    assert [t["name"] for t in Client().get("/api/auth/tokens", headers=headers).json()] == ["api"]


def test_revoking_the_token_in_use_ends_it(people):
    record, token = ApiToken.mint(people["owner"], "seul")
    headers = {"Authorization": f"Bearer {token}"}

    assert Client().delete(f"/api/auth/tokens/{record.pk}", headers=headers).status_code == 204
    assert Client().get("/api/auth/tokens", headers=headers).status_code == 401


def test_another_persons_token_answers_404_and_stays(people):
    theirs, their_token = ApiToken.mint(people["editor"], "le sien")

    response = Client().delete(f"/api/auth/tokens/{theirs.pk}", headers=bearer(people["owner"]))

    assert response.status_code == 404
    assert response.json()["detail"] == f"Aucun de vos jetons n'a l'identifiant {theirs.pk}"
    assert ApiToken.user_for(their_token) == people["editor"]


def test_a_token_made_with_the_session_cookie_dies_at_logout(people):
    client = Client()
    assert (
        client.post(
            "/accounts/login/", {"username": "owner@demo.invalid", "password": PASSWORD}
        ).status_code
        == 302
    )
    token = client.post(
        "/api/auth/token",
        {"email": "owner@demo.invalid", "password": PASSWORD, "name": "depuis la page"},
        content_type="application/json",
    ).json()["token"]
    script = ApiToken.issue(people["owner"], "script")

    client.post("/accounts/logout/")

    assert ApiToken.user_for(token) is None
    assert ApiToken.user_for(script) == people["owner"]


def test_the_schema_lists_the_token_endpoints(db):
    paths = Client().get("/api/openapi.json").json()["paths"]

    assert set(paths["/api/auth/token"]) == {"post"}
    assert set(paths["/api/auth/tokens"]) == {"get"}
    assert set(paths["/api/auth/tokens/{pk}"]) == {"delete"}
