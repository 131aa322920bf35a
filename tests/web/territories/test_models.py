"""Coordinators (one row per person and territory) and self-assessments (newest first)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from alliance.web.accounts.models import User
from alliance.web.territories.models import Coordinator, SelfAssessment

pytestmark = pytest.mark.integration


def test_a_person_coordinates_a_territory_once(db):
    user = User.objects.create_user("c@demo.invalid", "x")
    found = Coordinator.objects.create(user=user, kind="region", code="32")
    assert str(found) == "c@demo.invalid — region/32"
    with pytest.raises(IntegrityError):
        Coordinator.objects.create(user=user, kind="region", code="32")


def test_versions_come_newest_first_and_outlive_their_author(db):
    user = User.objects.create_user("c@demo.invalid", "x")
    first = SelfAssessment.objects.create(kind="department", code="59", author=user,
                                          author_email=user.email)  # fmt: skip
    second = SelfAssessment.objects.create(kind="department", code="59", author=user,
                                           author_email=user.email)  # fmt: skip
    user.delete()

    assert list(SelfAssessment.objects.all()) == [second, first]
    second.refresh_from_db()
    assert (second.author, second.author_email) == (None, "c@demo.invalid")
