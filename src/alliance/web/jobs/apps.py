"""The jobs app."""

from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background jobs and their progress."""

    name = "alliance.web.jobs"
    label = "jobs"
    verbose_name = "Travaux en arrière-plan"
