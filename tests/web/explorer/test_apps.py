"""The explorer app: its label and name; it has no models (it reads the core's referential)."""

from __future__ import annotations

import pytest
from django.apps import apps

from alliance.web.explorer.apps import ExplorerConfig

pytestmark = pytest.mark.unit


def test_app_label_and_name():
    config = apps.get_app_config("explorer")

    assert isinstance(config, ExplorerConfig)
    assert config.name == "alliance.web.explorer"
    assert config.verbose_name == "Référentiel"


def test_the_explorer_has_no_models():
    assert list(apps.get_app_config("explorer").get_models()) == []
