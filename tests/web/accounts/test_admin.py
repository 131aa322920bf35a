"""The Django admin for people: observatory superusers only, people listed and found by e-mail."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from alliance.web.accounts.admin import PersonAdmin
from alliance.web.accounts.models import User
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
