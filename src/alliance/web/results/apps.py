"""The results app."""

from __future__ import annotations

from django.apps import AppConfig


class ResultsConfig(AppConfig):
    """Published study results."""

    name = "alliance.web.results"
    label = "results"
    verbose_name = "Résultats d'études"
