"""The API's one error shape, whoever refuses the request, and its place in the OpenAPI schema.

Every 4xx and 5xx of ``/api/`` has the body ``{"detail", "key", "messages": {"fr", "en"}}``:
our errors (:class:`~alliance.errors.AllianceError`, 400), ninja's (a parameter or a body field
that does not validate, 400 naming the field; anonymous, 401; ``HttpError``), Django's (an unknown
address, a method not allowed) and the middlewares' (413, 400 for text no database stores). An
unexpected exception is logged with its traceback and answers 500 in the same shape. Clients can
therefore show ``detail`` and test ``key``, in any case.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import SessionAuth

from alliance.errors import AllianceError, ConflictError, Location, RequestError
from alliance.validation import message_for
from alliance.web.refusals import RefusalError, error_record, is_api, status_error
from alliance.web.vanished import vanished_response

__all__ = [
    "AllianceAPI",
    "ApiErrorShapeMiddleware",
    "ErrorBody",
    "HttpRefusalError",
    "SessionCookie",
]

logger = logging.getLogger("alliance.web")

#: The parts of an error's place that name where the value came from, not the field itself.
SOURCES = {"query", "path", "body", "form", "header", "cookie", "file"}


class Messages(Schema):
    fr: str
    en: str


class ErrorBody(Schema):
    """Every error of the API: ``detail`` in the request's language, ``key``, both texts."""

    detail: str
    key: str
    messages: Messages


class HttpRefusalError(HttpError):
    """Refuse with an HTTP status and our own message (``404`` for an unknown study…)."""

    def __init__(self, status: int, error: AllianceError) -> None:
        super().__init__(status, error.message("en"))
        self.error = error


class SessionCookie(SessionAuth):
    """The page's session, checked against CSRF only when someone is logged in.

    Ninja's session auth checks CSRF first, so an anonymous write got 403 « CSRF check Failed »
    instead of 401: without a session there is nothing to forge.
    """

    def __call__(self, request: HttpRequest) -> Any:
        """Authenticate with the session, or step aside for anonymous callers."""
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def _get_key(self, request: HttpRequest) -> str | None:
        """Read the session cookie after the CSRF check, whose refusal says what failed."""
        try:
            return super()._get_key(request)
        except HttpError as refused:
            error = RequestError("request.csrf_failed")
            raise HttpRefusalError(refused.status_code, error) from refused


def field_error(error: dict[str, Any]) -> RequestError:
    """Turn one of ninja's validation problems into a located, bilingual error.

    The field is named without ninja's source or body parameter (``limit``, ``scores.x``).
    """
    location = [str(part) for part in error.get("loc", ())]
    if location and location[0] == "body":
        location = location[2:] if len(location) > 2 else location[1:]
    elif location and location[0] in SOURCES:
        location = location[1:]
    key, params = message_for(error)  # type: ignore[arg-type]
    return RequestError(key, Location(field=".".join(location) or None), **params)


def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Answer 400 naming the first invalid field (the others follow in ``errors``)."""
    errors = [field_error(e) for e in exc.errors] or [status_error(400)]
    body = error_record(errors[0]) | {"errors": [error_record(e) for e in errors]}
    return JsonResponse(body, status=400)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Answer ninja's ``HttpError`` with the generic message of its status, ours with theirs."""
    if isinstance(exc, HttpRefusalError):
        error = exc.error
    elif exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        error = RequestError("request.invalid_json")  # ninja could not parse the body
    elif exc.status_code == 405:
        error = status_error(405, method=request.method)
    else:
        error = status_error(exc.status_code)
    return JsonResponse(error_record(error), status=exc.status_code)


def _alliance_error(request: HttpRequest, exc: AllianceError) -> HttpResponse:
    """Answer 400 with the message in the request's language, and in both."""
    return JsonResponse(error_record(exc), status=400)


def _conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    """Answer 409: the change rests on a version someone else replaced since."""
    return JsonResponse(error_record(exc), status=409)


def _refused(request: HttpRequest, exc: RefusalError) -> HttpResponse:
    """Answer a refusal that is not bad input (403, 409, 410, 429) with its own status."""
    return JsonResponse(error_record(exc), status=exc.status)


def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """Answer 403: the caller is known but their role does not allow this (the one rule)."""
    return JsonResponse(error_record(status_error(403)), status=403)


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return JsonResponse(error_record(status_error(404)), status=404)


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Log the traceback with the request's method and path, then answer 500 in our shape.

    A record erased by another request meanwhile is not a server error: 404 or 409
    (:func:`alliance.web.vanished.vanished_response`).
    """
    vanished = vanished_response(request, exc)
    if vanished is not None:
        return vanished
    logger.error(
        "unexpected %s", type(exc).__name__, exc_info=exc,
        extra={"request": request, "status_code": 500},
    )  # fmt: skip
    return JsonResponse(error_record(status_error(500)), status=500)


HANDLERS: dict[type[Exception], Callable[..., HttpResponse]] = {
    Exception: _server_error,
    Http404: _not_found,
    PermissionDenied: _forbidden,
    HttpError: _http_error,
    ValidationError: _invalid,
    AllianceError: _alliance_error,
    ConflictError: _conflict,
    RefusalError: _refused,
}


def declare_errors(schema: OpenAPISchema) -> OpenAPISchema:
    """Declare the error responses each operation can give, with the error body's schema.

    400 everywhere (a parameter or field); 401 and 403 where a login is needed; 409 for private
    writes; 404 where the address names something or the data is private; 413 where there is a
    body.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    components |= error.pop("$defs", {}) | {"ErrorBody": error}
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            private = bool(operation.get("security"))
            statuses = {400: "Invalid input"}
            if private:
                statuses |= {401: "Login needed", 403: "Role not allowed"}
            if private and method != "get":
                statuses[409] = "Conflicts with the current state (a version, the last owner…)"
            if private or "{" in path:
                statuses[404] = "Not found"
            if "requestBody" in operation:
                statuses[413] = "Body too large"
            responses = operation.setdefault("responses", {})
            for status, description in statuses.items():
                responses.setdefault(status, {"description": description} | body)
    return schema


class AllianceAPI(NinjaAPI):
    """Ninja with the API's error shape for every exception and in the schema."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for exception, handler in HANDLERS.items():
            self.add_exception_handler(exception, handler)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Return ninja's schema with the error responses declared."""
        return declare_errors(
            super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        )


def _shaped(response: HttpResponse) -> bool:
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    return isinstance(body, dict) and {"detail", "key", "messages"} <= body.keys()


class ApiErrorShapeMiddleware:
    """Give the API's shape to the errors answered before or outside ninja (405, CSRF…)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Answer, then reshape an API error that is not yet in the API's shape."""
        response = self.get_response(request)
        if response.status_code < 400 or not is_api(request) or response.streaming:
            return response
        if _shaped(response):
            return response
        status = response.status_code
        params = {"method": request.method} if status == 405 else {}
        shaped = JsonResponse(error_record(status_error(status, **params)), status=status)
        for header in ("Allow", "Retry-After", "Vary", "WWW-Authenticate"):
            if header in response:
                shaped[header] = response[header]
        return shaped
