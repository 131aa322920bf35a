"""The admin of inspiring examples: registered, listed and searched by staff."""

from __future__ import annotations

import pytest
from django.contrib import admin

from alliance.web.examples.admin import InspiringExampleAdmin
from alliance.web.examples.models import InspiringExample
from tests.web.conftest import logged_in

pytestmark = pytest.mark.integration


def test_examples_are_registered_with_their_admin():
    assert isinstance(admin.site.get_model_admin(InspiringExample), InspiringExampleAdmin)


def test_an_analyst_lists_and_opens_examples(people):
    client = logged_in(people["analyst"])
    example = InspiringExample.objects.first()
    assert example is not None

    listing = client.get("/admin/examples/inspiringexample/", {"q": example.code})

    assert listing.status_code == 200
    assert example.code in listing.content.decode()
    assert client.get(f"/admin/examples/inspiringexample/{example.pk}/change/").status_code == 200
    assert client.get("/admin/examples/inspiringexample/add/").status_code == 200


def test_a_member_has_no_admin(people):
    response = logged_in(people["owner"]).get("/admin/examples/inspiringexample/")

    assert response.status_code == 302
