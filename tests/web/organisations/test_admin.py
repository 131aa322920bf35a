"""The Django admin for organisations: listed with identifiers, searched, members inline."""

from __future__ import annotations

import pytest
from django.contrib import admin

from alliance.web.accounts.models import User
from alliance.web.organisations.admin import MembershipInline, OrganisationAdmin
from alliance.web.organisations.models import Organisation
from tests.web.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.integration


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("admin@demo.invalid", PASSWORD)


def test_organisations_are_registered_with_their_admin():
    found = admin.site.get_model_admin(Organisation)

    assert isinstance(found, OrganisationAdmin)
    assert found.list_display == ("name", "profile", "siren", "rna", "commune", "synthetic")
    assert found.inlines == (MembershipInline,)


def test_changelist_for_a_superuser(superuser, organisation, other_organisation):
    response = logged_in(superuser).get("/admin/organisations/organisation/")

    assert response.status_code == 200
    page = response.content.decode()
    assert ">Les Jardins du Lac (fictive)</a>" in page
    assert ">Boulangeries Moreau (fictive)</a>" in page
    assert "2 organisations" in page


@pytest.mark.parametrize(
    ("q", "found", "hidden"),
    [
        ("732829320", "Boulangeries Moreau", "Les Jardins du Lac"),
        ("W351234567", "Les Jardins du Lac", "Boulangeries Moreau"),
        ("jardins", "Les Jardins du Lac", "Boulangeries Moreau"),
    ],
)
def test_search_by_name_siren_or_rna(superuser, organisation, other_organisation, q, found, hidden):
    page = logged_in(superuser).get("/admin/organisations/organisation/", {"q": q}).content.decode()

    assert found in page
    assert f">{hidden}" not in page


def test_change_page_lists_members_inline(superuser, people, organisation):
    response = logged_in(superuser).get(
        f"/admin/organisations/organisation/{organisation.pk}/change/"
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="memberships-TOTAL_FORMS" value="3"' in page
    assert "W351234567" in page


def test_a_member_is_sent_to_the_admin_login(people):
    response = logged_in(people["owner"]).get("/admin/organisations/organisation/")

    assert response.status_code == 302
    assert response["Location"] == ("/admin/login/?next=/admin/organisations/organisation/")
