"""The studies (workspace) app: its label and name."""

from __future__ import annotations

import pytest
from django.apps import apps

from alliance.web.studies.apps import StudiesConfig
from alliance.web.studies.models import Run, StudyFile

pytestmark = pytest.mark.unit


def test_app_label_and_name():
    config = apps.get_app_config("studies")

    assert isinstance(config, StudiesConfig)
    assert config.name == "alliance.web.studies"
    assert Run._meta.app_label == StudyFile._meta.app_label == "studies"
