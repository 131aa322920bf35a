"""The results app: its label and name."""

from __future__ import annotations

import pytest
from django.apps import apps

from alliance.web.results.apps import ResultsConfig
from alliance.web.results.models import Estimate, Study

pytestmark = pytest.mark.unit


def test_app_label_and_name():
    config = apps.get_app_config("results")

    assert isinstance(config, ResultsConfig)
    assert config.name == "alliance.web.results"
    assert config.verbose_name == "Résultats d'études"
    assert Study._meta.app_label == Estimate._meta.app_label == "results"
