"""The registry app: its label and name."""

from __future__ import annotations

import pytest
from django.apps import apps

from alliance.web.registry.apps import RegistryConfig
from alliance.web.registry.models import RegistryEntry

pytestmark = pytest.mark.unit


def test_app_label_and_name():
    config = apps.get_app_config("registry")

    assert isinstance(config, RegistryConfig)
    assert config.name == "alliance.web.registry"
    assert config.verbose_name == "Registres publics"
    assert RegistryEntry._meta.app_label == "registry"
