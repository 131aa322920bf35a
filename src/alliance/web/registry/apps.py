"""The registry app."""

from __future__ import annotations

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """Actors of the public registries: associations (RNA) and legal units (SIRENE)."""

    name = "alliance.web.registry"
    label = "registry"
    verbose_name = "Registres publics"
