"""The collections' API: the live figures the page polls, for analysts only."""

from __future__ import annotations

import pytest
from django.test import Client

from alliance.web.collection import service
from tests.study.collected import RESPONDENT
from tests.web.collection.conftest import CODE
from tests.web.collection.test_service import answer_all
from tests.web.conftest import bearer

pytestmark = pytest.mark.integration


@pytest.mark.django_db
def test_the_progress_counts_complete_and_partial_responses_live(collection, people):
    url = f"/api/studies/{CODE}/collections/{collection.pk}/progress"
    headers = bearer(people["analyst"])
    before = Client().get(url, headers=headers).json()
    assert (before["complete"], before["partial"]) == (0, 0)
    answer_all(collection, "a", RESPONDENT | {"sex": "M"})
    service.respondent(collection, "b", "fr", create=True)
    after = Client().get(url, headers=headers).json()
    assert (after["complete"], after["partial"], after["goal"], after["open"]) == (1, 1, 10, True)
    assert after["quotas"][1] == {
        "variable": "sex", "variable_label": {"fr": "Sexe", "en": "Sex"},
        "level": "M", "label": {"fr": "Homme", "en": "Man"},
        "target": 0.476, "count": 1, "expected": 4.8, "filled": 0.2101,
    }  # fmt: skip


@pytest.mark.django_db
def test_the_progress_is_refused_to_others(collection, people):
    url = f"/api/studies/{CODE}/collections/{collection.pk}/progress"
    assert Client().get(url).status_code == 401
    assert Client().get(url, headers=bearer(people["owner"])).status_code == 403
    missing = Client().get(
        f"/api/studies/{CODE}/collections/{collection.pk + 1}/progress",
        headers=bearer(people["analyst"]),
    )
    assert missing.status_code == 404
    assert missing.json()["key"] == "collection.unknown_collection"


@pytest.mark.django_db
def test_the_study_lists_its_collections(collection, people):
    found = Client().get(f"/api/studies/{CODE}/collections", headers=bearer(people["analyst"]))
    assert [(c["wave"], c["open"], c["wave_file"]) for c in found.json()] == [("2025", True, None)]
