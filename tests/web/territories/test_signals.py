"""A self-assessment saved or deleted, however, drops the public copies of its territory's."""

from __future__ import annotations

import pytest

from alliance.territory.territory import find_territory
from alliance.web.territories import figures
from alliance.web.territories.models import SelfAssessment

pytestmark = pytest.mark.integration

ANSWERS = {"territorial-engineerings/publique": "niveau_2"}


def public_answers() -> dict[str, str]:
    answers: dict[str, str] = figures.self_assessment(
        find_territory("department", "59"), "fr", authors=False
    )["answers"]
    return answers


def test_a_version_saved_then_deleted_shows_to_the_public_at_once(nord, coordinator):
    assert public_answers() == {}  # the public copy is now in the cache

    saved = SelfAssessment.objects.create(kind="department", code="59", author=coordinator,
                                          answers=ANSWERS)  # fmt: skip
    assert public_answers() == ANSWERS

    saved.delete()  # as an administrator may, in the admin
    assert public_answers() == {}


def test_a_version_of_a_territory_the_geography_no_longer_knows_is_deleted_quietly(coordinator):
    SelfAssessment.objects.create(kind="commune", code="99999", author=coordinator).delete()

    assert not SelfAssessment.objects.exists()
