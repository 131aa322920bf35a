"""The Django admin: people by e-mail, and what analysts and administrators see and may change."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import Client

from alliance.web.accounts.admin import PersonAdmin
from alliance.web.accounts.models import ApiToken, User
from tests.web.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.integration


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("admin@demo.invalid", PASSWORD)


def test_people_are_registered_with_their_admin():
    assert isinstance(admin.site.get_model_admin(User), PersonAdmin)


def test_changelist_for_a_superuser(superuser, people):
    response = logged_in(superuser).get("/admin/accounts/user/")

    assert response.status_code == 200
    page = response.content.decode()
    for email in ("admin@demo.invalid", "owner@demo.invalid", "analyst@demo.invalid"):
        assert f">{email}</a>" in page
    assert "6 utilisateurs" in page


def test_changelist_search_by_email(superuser, people):
    response = logged_in(superuser).get("/admin/accounts/user/", {"q": "owner"})

    assert response.status_code == 200
    page = response.content.decode()
    assert ">owner@demo.invalid</a>" in page
    assert ">editor@demo.invalid</a>" not in page


def test_change_and_add_pages_render(superuser, people):
    client = logged_in(superuser)

    assert client.get(f"/admin/accounts/user/{people['owner'].pk}/change/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 200


def test_a_superuser_adds_a_person_by_email(superuser):
    response = logged_in(superuser).post(
        "/admin/accounts/user/add/",
        {
            "email": "nouvelle@demo.invalid",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "analyst",
        },
    )

    assert response.status_code == 302
    added = User.objects.get(email="nouvelle@demo.invalid")
    assert added.role == User.Role.ANALYST
    assert added.check_password(PASSWORD)


def test_a_member_is_sent_to_the_admin_login(people):
    response = logged_in(people["owner"]).get("/admin/accounts/user/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/accounts/user/"


def test_anonymous_is_sent_to_the_admin_login(db):
    response = Client().get("/admin/accounts/user/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/accounts/user/"


# What each group sees and may do


def models_on_the_index(client: Client) -> set[str]:
    page = client.get("/admin/").content.decode()
    return set(re.findall(r'href="/admin/(\w+/\w+)/"', page))


def test_an_analyst_sees_the_models_of_their_job(people):
    analyst = User.objects.get(email="analyst@demo.invalid")
    client = Client()
    assert (
        client.post(
            "/admin/login/?next=/admin/", {"username": analyst.email, "password": PASSWORD}
        ).status_code
        == 302
    )

    assert models_on_the_index(client) == {
        "accounts/user", "organisations/organisation", "examples/inspiringexample",
        "results/study", "territories/coordinator",
    }  # fmt: skip
    assert client.get("/admin/examples/inspiringexample/").status_code == 200
    assert client.get("/admin/results/study/").status_code == 200
    assert client.get("/admin/organisations/organisation/").status_code == 200
    assert client.get("/admin/auth/group/").status_code == 403
    assert client.get("/admin/accounts/user/add/").status_code == 403


def test_an_administrator_also_sees_the_lockouts(db):
    chief = User.objects.create_user("chef@demo.invalid", PASSWORD, role="admin")

    found = models_on_the_index(logged_in(chief))

    assert found == {
        "accounts/user", "organisations/organisation", "examples/inspiringexample",
        "results/study", "axes/accessattempt", "axes/accessfailurelog", "axes/accesslog",
        "territories/coordinator", "territories/selfassessment",
    }  # fmt: skip


def test_an_analyst_changes_a_member_but_not_their_powers(people):
    client = logged_in(people["analyst"])
    owner = people["owner"]

    response = client.post(
        f"/admin/accounts/user/{owner.pk}/change/",
        {
            "email": owner.email,
            "first_name": "Olga",
            "last_name": "",
            "language": "fr",
            "is_active": "on",
            "role": "admin",
            "is_staff": "on",
            "is_superuser": "on",
            "api_tokens-TOTAL_FORMS": "0",
            "api_tokens-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.first_name == "Olga"
    assert (owner.role, owner.is_staff, owner.is_superuser) == ("member", False, False)


def test_an_analyst_cannot_touch_another_staff_account(people, superuser):
    client = logged_in(people["analyst"])

    assert client.get(f"/admin/accounts/user/{superuser.pk}/change/").status_code == 200
    refused = client.post(
        f"/admin/accounts/user/{superuser.pk}/password/",
        {"password1": "prise-de-controle-1", "password2": "prise-de-controle-1"},
    )

    assert refused.status_code == 403
    assert User.objects.get(pk=superuser.pk).check_password(PASSWORD)


def test_a_person_page_lists_their_tokens(superuser, people):
    ApiToken.issue(people["owner"], "notebook")

    page = logged_in(superuser).get(f"/admin/accounts/user/{people['owner'].pk}/change/")

    assert page.status_code == 200
    assert "notebook" in page.content.decode()
