"""The admin of studies: analysts correct titles; versions are read-only, never added here."""

from __future__ import annotations

import pytest
from django.contrib import admin

from alliance.web.results.admin import StudyAdmin
from alliance.web.results.models import Study
from tests.web.conftest import logged_in

pytestmark = pytest.mark.integration


def test_studies_are_registered_with_their_admin():
    assert isinstance(admin.site.get_model_admin(Study), StudyAdmin)


def test_an_analyst_corrects_a_title_but_not_the_code(people):
    study = Study.objects.get(code="impact-demo")
    client = logged_in(people["analyst"])

    response = client.post(
        f"/admin/results/study/{study.pk}/change/",
        {
            "code": "autre-code",
            "title_fr": "Titre corrigé",
            "title_en": study.title_en,
            "synthetic": "on",
            "versions-TOTAL_FORMS": str(study.versions.count()),
            "versions-INITIAL_FORMS": str(study.versions.count()),
        },
    )

    assert response.status_code == 302
    study.refresh_from_db()
    assert (study.code, study.title_fr) == ("impact-demo", "Titre corrigé")
    assert study.versions.count() >= 1


def test_the_study_page_lists_its_versions(people):
    study = Study.objects.get(code="impact-demo")

    page = logged_in(people["analyst"]).get(f"/admin/results/study/{study.pk}/change/")

    assert page.status_code == 200
    assert "tests/web/studies/" in page.content.decode()
