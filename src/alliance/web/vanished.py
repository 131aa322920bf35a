"""No 500 when a record disappears mid-request: a 404 or a 409 with a message in both languages.

A request may read a record, then write something that points to it, while another request erases
it (an organisation erased while a partner evaluates their shared partnership). The write then
fails on the database's foreign key (``IntegrityError``) or finds nothing to update
(``ObjectDoesNotExist``): the client is told the record is gone (404) or that its write conflicts
with what changed meanwhile (409), and the transaction was rolled back, so nothing half-written
stays. Any other error still goes to Django's handling.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse

from alliance.messages import render

__all__ = ["VanishedRecordMiddleware", "vanished_response"]


def vanished_response(request: HttpRequest, error: Exception) -> HttpResponse | None:
    """Return the 404 or 409 for a record that vanished, or None for any other error."""
    if isinstance(error, ObjectDoesNotExist):
        status, key = HTTPStatus.NOT_FOUND, "serving.gone"
    elif isinstance(error, IntegrityError):
        status, key = HTTPStatus.CONFLICT, "serving.conflict"
    else:
        return None
    messages = {lang: render(key, lang) for lang in ("fr", "en")}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": messages["en"], "key": key, "messages": messages}, status=status
        )
    text = f"{messages['fr']}\n{messages['en']}\n"
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


class VanishedRecordMiddleware:
    """Turn a vanished record's error, raised by a view, into a 404 or a 409."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Answer the request (errors are seen by :meth:`process_exception`)."""
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Answer 404 / 409 for a vanished record; let every other error through."""
        return vanished_response(request, exception)
