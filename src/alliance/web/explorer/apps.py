"""The explorer app (no models: it reads the core's referential)."""

from __future__ import annotations

from django.apps import AppConfig


class ExplorerConfig(AppConfig):
    """Pages of the referential."""

    name = "alliance.web.explorer"
    label = "explorer"
    verbose_name = "Référentiel"
