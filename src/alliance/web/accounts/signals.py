"""Logging out revokes the API tokens that session made (connected in the app's ``ready``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from alliance.web.accounts.models import ApiToken

__all__ = ["revoke_session_tokens"]


@receiver(user_logged_out, dispatch_uid="alliance.accounts.revoke_session_tokens")
def revoke_session_tokens(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Revoke the tokens made from a page (or with its cookie) when that session ends."""
    if request is not None and request.session.session_key:
        ApiToken.revoke_session(request.session.session_key)
