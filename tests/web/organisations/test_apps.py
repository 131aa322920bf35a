"""The organisations app: its label and name."""

from __future__ import annotations

import pytest
from django.apps import apps

from alliance.web.organisations.apps import OrganisationsConfig
from alliance.web.organisations.models import Membership, Organisation

pytestmark = pytest.mark.unit


def test_app_label_and_name():
    config = apps.get_app_config("organisations")

    assert isinstance(config, OrganisationsConfig)
    assert config.name == "alliance.web.organisations"
    assert config.verbose_name == "Organisations"


def test_models_belong_to_the_app():
    config = apps.get_app_config("organisations")

    assert {model.__name__ for model in config.get_models()} == {
        "Organisation", "Membership", "ColleagueInvitation", "InvitationMail",
    }  # fmt: skip
    assert Organisation._meta.app_label == Membership._meta.app_label == "organisations"
