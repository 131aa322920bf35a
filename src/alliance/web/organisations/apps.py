"""The organisations app."""

from __future__ import annotations

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    """Organisations, their identifiers and their members' roles."""

    name = "alliance.web.organisations"
    label = "organisations"
    verbose_name = "Organisations"
