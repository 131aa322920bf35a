"""The studies (workspace) app."""

from __future__ import annotations

from django.apps import AppConfig


class StudiesConfig(AppConfig):
    """Analysts' study workspace."""

    name = "alliance.web.studies"
    label = "studies"
    verbose_name = "Espace des études"
