"""The examples app: its label and name."""

from __future__ import annotations

import pytest
from django.apps import apps

from alliance.web.examples.apps import ExamplesConfig
from alliance.web.examples.models import InspiringExample

pytestmark = pytest.mark.unit


def test_app_label_and_name():
    config = apps.get_app_config("examples")

    assert isinstance(config, ExamplesConfig)
    assert config.name == "alliance.web.examples"
    assert config.verbose_name == "Exemples inspirants"
    assert InspiringExample._meta.app_label == "examples"
