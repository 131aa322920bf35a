"""The partnerships app."""

from __future__ import annotations

from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    """Diagnostics, partnerships, invitations and evaluations."""

    name = "alliance.web.partnerships"
    label = "partnerships"
    verbose_name = "Partenariats"
