"""The accounts app: its label (the user model is ``accounts.User``) and its name."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings

from alliance.web.accounts.apps import AccountsConfig

pytestmark = pytest.mark.unit


def test_app_label_and_name():
    config = apps.get_app_config("accounts")

    assert isinstance(config, AccountsConfig)
    assert config.name == "alliance.web.accounts"
    assert config.verbose_name == "Comptes"


def test_the_user_model_lives_in_this_app():
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert apps.get_model(settings.AUTH_USER_MODEL)._meta.app_label == "accounts"
