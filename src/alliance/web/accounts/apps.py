"""The accounts app."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People and their API tokens."""

    name = "alliance.web.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        """Connect logout to the revocation of the session's tokens."""
        from alliance.web.accounts import signals  # noqa: F401  (connects its receivers)
