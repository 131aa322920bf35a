"""The territories app."""

from __future__ import annotations

from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    """Territory pages, their coordinators and the coordinators' self-assessments."""

    name = "alliance.web.territories"
    label = "territories"
    verbose_name = "Territoires"
