"""The collection app: its label and name."""

from __future__ import annotations

import pytest
from django.apps import apps

from alliance.web.collection.apps import CollectionConfig
from alliance.web.collection.models import Collection, Response

pytestmark = pytest.mark.unit


def test_app_label_and_name():
    config = apps.get_app_config("collection")

    assert isinstance(config, CollectionConfig)
    assert config.name == "alliance.web.collection"
    assert Collection._meta.app_label == Response._meta.app_label == "collection"
