"""The collection app."""

from __future__ import annotations

from django.apps import AppConfig


class CollectionConfig(AppConfig):
    """Questionnaires answered on the platform, for a new wave of a study's population."""

    name = "alliance.web.collection"
    label = "collection"
    verbose_name = "Collecte de réponses"
