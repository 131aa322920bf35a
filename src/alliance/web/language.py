"""The page's language as the core names it (``fr`` or ``en``), from Django's active language."""

from __future__ import annotations

from django.utils.translation import get_language

from alliance.i18n import Lang

__all__ = ["current_lang"]


def current_lang() -> Lang:
    """Return the active language: English when Django's is English, French otherwise."""
    return "en" if (get_language() or "fr").startswith("en") else "fr"
