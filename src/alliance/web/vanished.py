"""No 500 when a record disappears mid-request: a 404 or a 409 with a message in both languages.

A request may read a record, then write something that points to it, while another request erases
it (an organisation erased while a partner evaluates their shared partnership). The write then
fails on the database's foreign key (``IntegrityError``) or finds nothing to update
(``ObjectDoesNotExist``): the client is told the record is gone (404) or that its write conflicts
with what changed meanwhile (409), and the transaction was rolled back, so nothing half-written
stays. Any other error still goes to Django's handling. The API's error handlers
(:mod:`alliance.web.api_errors`) call :func:`vanished_response` too, before their catch-all.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse

from alliance.errors import RequestError
from alliance.web.refusals import refuse

__all__ = ["VanishedRecordMiddleware", "vanished_response"]


def vanished_response(request: HttpRequest, error: Exception) -> HttpResponse | None:
    """Return the 404 or 409 for a record that vanished, or None for any other error."""
    if isinstance(error, ObjectDoesNotExist):
        return refuse(request, RequestError("serving.gone"), HTTPStatus.NOT_FOUND)
    if isinstance(error, IntegrityError):
        return refuse(request, RequestError("serving.conflict"), HTTPStatus.CONFLICT)
    return None


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
