"""One answer to a refused request: the API's error shape under ``/api/``, a page elsewhere.

API clients always get ``{"detail", "key", "messages": {"fr", "en"}}`` (``detail`` in the
request's language), whatever refused them: our own checks, ninja, Django or a middleware. People
get a page of the site, with its header and a way back, in their language. Django's handlers for
400, 403, 404 and 500 (named in :mod:`alliance.web.urls`) are here too, so both doors stay alike.

:class:`RefusalError` is a refusal that is not bad input — someone else's invitation (403), a
conflict with the organisation's state (409), a used, revoked or expired link (410), too many
invitations (429): it carries its status, so pages and API answer alike.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from alliance.errors import (
    AllianceError,
    ConflictError,
    Location,
    OrganisationError,
    RequestError,
)
from alliance.web.language import current_lang

__all__ = [
    "RefusalError", "bad_request", "csrf_failure", "error_record", "forbidden", "is_api",
    "not_found", "refusal_page", "refusal_status", "refuse", "server_error", "status_error",
]  # fmt: skip

#: The message of each refusal status that has one; others say « refused (HTTP status N) ».
STATUS_KEYS = {
    400: "request.bad_request",
    401: "request.unauthorized",
    403: "request.forbidden",
    404: "request.not_found",
    405: "request.method_not_allowed",
    429: "request.too_many_requests",
    500: "request.server_error",
}


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


def refusal_status(error: AllianceError) -> int:
    """Return the status a page answers ``error`` with: a refusal's own, 409 for a conflict, 400."""
    if isinstance(error, RefusalError):
        return int(error.status)
    return 409 if isinstance(error, ConflictError) else 400


def status_error(status: int, **params: Any) -> RequestError:
    """Return the generic error of an HTTP status (405 needs ``method``)."""
    key = STATUS_KEYS.get(status)
    if key is None:
        return RequestError("request.other", status=status)
    return RequestError(key, **params)


def error_record(error: AllianceError) -> dict[str, Any]:
    """Return the API's error body: the message in the request's language, its key, both texts."""
    return {
        "detail": error.message(current_lang()),
        "key": error.key,
        "messages": {"fr": error.message("fr"), "en": error.message("en")},
    }


def is_api(request: HttpRequest) -> bool:
    """Tell whether the request is for the API, whose answers are JSON."""
    return request.path_info.startswith("/api/")


def page(
    request: HttpRequest | None, status: int, error: AllianceError | None = None
) -> HttpResponse:
    """Render the site's error page for ``status``; without a request it needs no database.

    Statuses without a page of their own (409, 410…) show the error's message.
    """
    context = {
        "status": status,
        "key": error.key if error else "",
        "message": error.message(current_lang()) if error else "",
    }
    html = loader.get_template("error.html").render(context, request)
    return HttpResponse(html, status=status)


def refuse(request: HttpRequest, error: AllianceError, status: int) -> HttpResponse:
    """Answer a refused request: JSON in the API's shape for the API, a page otherwise."""
    if is_api(request):
        return JsonResponse(error_record(error), status=status)
    return page(request, status, error)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 handler (a suspicious or malformed request)."""
    return refuse(request, status_error(400), 400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 403 handler."""
    return refuse(request, status_error(403), 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF failure view (``CSRF_FAILURE_VIEW``): a form too old, or from elsewhere."""
    return refuse(request, RequestError("request.csrf_failed"), 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 404 handler: an unknown address of the site or of the API."""
    return refuse(request, status_error(404), 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler, rendered without the request's context.

    A broken database or session then cannot break the page that says something broke.
    """
    if is_api(request):
        return JsonResponse(error_record(status_error(500)), status=500)
    return page(None, 500)
