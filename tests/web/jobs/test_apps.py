"""The jobs app: its label and name."""

from __future__ import annotations

import pytest
from django.apps import apps

from alliance.web.jobs.apps import JobsConfig
from alliance.web.jobs.models import Job

pytestmark = pytest.mark.unit


def test_app_label_and_name():
    config = apps.get_app_config("jobs")

    assert isinstance(config, JobsConfig)
    assert config.name == "alliance.web.jobs"
    assert Job._meta.app_label == "jobs"
