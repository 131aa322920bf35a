"""Coordinators are named in the Django admin; saved self-assessments are read-only there."""

from __future__ import annotations

import pytest
from django.contrib import admin

from alliance.web.accounts.models import User
from alliance.web.territories.admin import CoordinatorAdmin, SelfAssessmentAdmin
from alliance.web.territories.models import Coordinator, SelfAssessment
from tests.web.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.integration


def test_models_are_registered_with_their_admin():
    assert isinstance(admin.site.get_model_admin(Coordinator), CoordinatorAdmin)
    assert isinstance(admin.site.get_model_admin(SelfAssessment), SelfAssessmentAdmin)


def test_an_administrator_names_a_coordinator(db):
    administrator = User.objects.create_user("admin@demo.invalid", PASSWORD, role=User.Role.ADMIN)
    person = User.objects.create_user("coordination@demo.invalid", PASSWORD)
    client = logged_in(administrator)

    response = client.post(
        "/admin/territories/coordinator/add/",
        {"user": person.pk, "kind": "department", "code": "59"},
    )

    assert response.status_code == 302
    assert list(Coordinator.objects.values_list("user__email", "kind", "code")) == [
        ("coordination@demo.invalid", "department", "59")
    ]
    assert client.get("/admin/territories/coordinator/", {"q": "59"}).status_code == 200


def test_a_saved_version_cannot_be_changed_or_added_in_the_admin_but_may_be_deleted(db):
    assessment = SelfAssessment.objects.create(kind="department", code="59", answers={})
    administrator = User.objects.create_superuser("admin@demo.invalid", PASSWORD)

    page = logged_in(administrator).get(
        f"/admin/territories/selfassessment/{assessment.pk}/change/"
    )

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    client = logged_in(administrator)
    assert client.get("/admin/territories/selfassessment/add/").status_code == 403
    deleted = client.post(
        f"/admin/territories/selfassessment/{assessment.pk}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert not SelfAssessment.objects.exists()


def test_an_analyst_reads_the_coordinators_but_names_none(people):
    client = logged_in(people["analyst"])

    assert client.get("/admin/territories/coordinator/").status_code == 200
    assert client.get("/admin/territories/coordinator/add/").status_code == 403
