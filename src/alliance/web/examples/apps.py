"""The examples app."""

from __future__ import annotations

from django.apps import AppConfig


class ExamplesConfig(AppConfig):
    """Inspiring examples of alliances."""

    name = "alliance.web.examples"
    label = "examples"
    verbose_name = "Exemples inspirants"
