"""The authorization matrix: every role × every private page and endpoint, others' data included.

Rules (alliance.web.permissions): members read their organisation; owners and editors edit;
owners manage; nobody else sees it — anonymous pages redirect to login, anonymous API calls get
401, other people (outsiders, observatory analysts) get 404 so existence does not leak.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from alliance.web.accounts.models import ApiToken
from alliance.web.permissions import Action, can, own_tokens, visible_organisations
from tests.web.conftest import bearer, logged_in

pytestmark = pytest.mark.integration

WHO = ["anonymous", "owner", "editor", "viewer", "outsider", "analyst"]

#: Expected status of GET /organisations/<id>/ for the organisation, by person.
PAGE = {
    "anonymous": 302,
    "owner": 200,
    "editor": 200,
    "viewer": 200,
    "outsider": 404,
    "analyst": 404,
}
#: Expected status of GET /api/organisations/<id> with a token (none for anonymous).
API = {
    "anonymous": 401,
    "owner": 200,
    "editor": 200,
    "viewer": 200,
    "outsider": 404,
    "analyst": 404,
}

CAN = {
    Action.READ: {"owner", "editor", "viewer"},
    Action.EDIT: {"owner", "editor"},
    Action.MANAGE: {"owner"},
}


def client_for(who: str, people) -> Client:
    return Client() if who == "anonymous" else logged_in(people[who])


@pytest.mark.parametrize("who", WHO)
def test_organisation_page(who, people, organisation):
    response = client_for(who, people).get(f"/organisations/{organisation.pk}/")

    assert response.status_code == PAGE[who]
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", WHO)
def test_organisation_api_with_a_token(who, people, organisation):
    headers = {} if who == "anonymous" else bearer(people[who])

    response = Client().get(f"/api/organisations/{organisation.pk}", headers=headers)

    assert response.status_code == API[who]
    if response.status_code == 200:
        assert response.json()["name"] == "Les Jardins du Lac (fictive)"
        assert {m["email"] for m in response.json()["members"]} >= {"owner@demo.invalid"}


@pytest.mark.parametrize("who", WHO)
def test_organisation_api_with_the_session_cookie(who, people, organisation):
    response = client_for(who, people).get(f"/api/organisations/{organisation.pk}")

    assert response.status_code == API[who]


@pytest.mark.parametrize("who", WHO)
def test_list_of_my_organisations(who, people, organisation, other_organisation):
    headers = {} if who == "anonymous" else bearer(people[who])

    response = Client().get("/api/organisations", headers=headers)

    if who == "anonymous":
        assert response.status_code == 401
        return
    names = [o["name"] for o in response.json()]
    expected = {
        "owner": [organisation.name], "editor": [organisation.name],
        "viewer": [organisation.name], "outsider": [other_organisation.name], "analyst": [],
    }  # fmt: skip
    assert names == expected[who]


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("who", WHO)
def test_rules_in_one_place(who, action, people, organisation):
    user = AnonymousUser() if who == "anonymous" else people[who]

    assert can(user, action, organisation) is (who in CAN[action])


def test_anonymous_sees_no_organisation(people):
    assert visible_organisations(AnonymousUser()) == []


@pytest.mark.parametrize(
    "url", ["/", "/referential/", "/examples/", "/results/", "/results/impact-demo/",
            "/results/impact-demo/associations/", "/results/impact-demo/download.csv",
            "/api/referential/frameworks", "/api/examples?q=mecenat", "/api/studies"],
)  # fmt: skip
def test_public_pages_and_endpoints_need_no_login(db, url):
    assert Client().get(url).status_code == 200


def test_a_wrong_token_is_refused(organisation):
    response = Client().get(
        f"/api/organisations/{organisation.pk}", HTTP_AUTHORIZATION="Bearer not-a-token"
    )

    assert response.status_code == 401


# API tokens: each person lists and revokes only their own; others' ids do not exist for them.

#: Expected status when ``who`` revokes the owner's token, by page and by API.
REVOKE_OWNERS_TOKEN = {
    "anonymous": (302, 401),
    "owner": (302, 204),
    "editor": (404, 404),
    "viewer": (404, 404),
    "outsider": (404, 404),
    "analyst": (404, 404),
}


@pytest.mark.parametrize("who", WHO)
def test_a_token_list_shows_only_ones_own(who, people):
    for name in ("owner", "editor", "analyst"):
        ApiToken.issue(people[name], f"jeton de {name}")
    headers = {} if who == "anonymous" else bearer(people[who])

    response = Client().get("/api/auth/tokens", headers=headers)

    if who == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    expected = {"api"} | ({f"jeton de {who}"} if who in ("owner", "editor", "analyst") else set())
    assert {t["name"] for t in response.json()} == expected


@pytest.mark.parametrize("who", WHO)
def test_revoking_the_owners_token(who, people):
    page_status, api_status = REVOKE_OWNERS_TOKEN[who]
    on_page, on_page_token = ApiToken.mint(people["owner"], "page")
    by_api, by_api_token = ApiToken.mint(people["owner"], "script")
    headers = {} if who == "anonymous" else bearer(people[who])

    page = client_for(who, people).post(f"/accounts/tokens/{on_page.pk}/revoke/")
    api = Client().delete(f"/api/auth/tokens/{by_api.pk}", headers=headers)

    assert (page.status_code, api.status_code) == (page_status, api_status)
    revoked = who == "owner"
    assert (ApiToken.user_for(on_page_token) is None) is revoked
    assert (ApiToken.user_for(by_api_token) is None) is revoked
    if who == "anonymous":
        assert page["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", WHO)
def test_the_account_page_is_ones_own(who, people):
    response = client_for(who, people).get("/accounts/")

    if who == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert f"<strong>{who}@demo.invalid</strong>" in response.content.decode()


def test_own_tokens_of_anonymous_is_empty(people):
    ApiToken.issue(people["owner"])

    assert list(own_tokens(AnonymousUser())) == []
    assert [t.user for t in own_tokens(people["owner"])] == [people["owner"]]
