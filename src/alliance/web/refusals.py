"""Refusals that are not bad input: 403, 409, 410, 429.

Someone else's invitation (403), a conflict with the organisation's state (409), a used, revoked
or expired link (410), too many invitations (429).

They carry their HTTP status so pages and API answer alike, and their message in both languages
like every :class:`~alliance.errors.AllianceError`.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alliance.errors import Location, OrganisationError
from alliance.web.language import current_lang

__all__ = ["RefusalError", "refusal_page"]


class RefusalError(OrganisationError):
    """An action refused with ``status`` (403, 409, 410 or 429), whatever the input."""

    def __init__(
        self, status: HTTPStatus, key: str, location: Location | None = None, **params: Any
    ) -> None:
        self.status = status
        super().__init__(key, location, **params)


def refusal_page(request: HttpRequest, refused: RefusalError) -> HttpResponse:
    """Answer a page with the refusal's message, in the page's language, and its status."""
    return render(
        request,
        "invitations/refused.html",
        {"message": refused.message(current_lang())},
        status=refused.status,
    )
