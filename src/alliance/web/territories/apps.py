"""The territories app."""

from __future__ import annotations

from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    """Territory pages, their coordinators and the coordinators' self-assessments."""

    name = "alliance.web.territories"
    label = "territories"
    verbose_name = "Territoires"

    def ready(self) -> None:
        """Connect the self-assessments' saves and deletions to their public copies."""
        from alliance.web.territories import signals  # noqa: F401  (connects its receivers)
