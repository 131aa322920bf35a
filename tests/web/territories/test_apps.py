"""The territories app: its label and name."""

from __future__ import annotations

import pytest
from django.apps import apps

from alliance.web.territories.apps import TerritoriesConfig
from alliance.web.territories.models import Coordinator

pytestmark = pytest.mark.unit


def test_app_label_and_name():
    config = apps.get_app_config("territories")

    assert isinstance(config, TerritoriesConfig)
    assert config.verbose_name == "Territoires"
    assert Coordinator._meta.app_label == "territories"
