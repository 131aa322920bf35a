r"""Bound every request's body and refuse text no database stores, before any view reads it.

Two checks, one place, for pages and API alike:

- **Size.** A body larger than ``ALLIANCE_MAX_BODY`` (people logged in or sending a valid API
  token) or ``ALLIANCE_ANONYMOUS_MAX_BODY`` (everyone else: log-in and token forms are small)
  answers 413 without being read. Observatory staff may send up to ``ALLIANCE_MAX_UPLOAD`` to
  the workspace's upload addresses only (studies' files and zipped folders, pages and API);
  Django streams such files to disk (``FILE_UPLOAD_MAX_MEMORY_SIZE``). Django's own limits
  (``DATA_UPLOAD_MAX_MEMORY_SIZE``…) bound what it reads into memory, should a client lie about
  its ``Content-Length``.
- **Storable text.** PostgreSQL refuses a NUL character (``\x00``) in text, and a lone surrogate
  (``\ud800``) saved on SQLite breaks every later page or export that reads it back. Such a
  character in the path, the query string, a form field or a JSON body answers 400.

Refusals are in the API's error shape under ``/api/``, a page of the site elsewhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError

from alliance.errors import RequestError
from alliance.web.accounts.models import ApiToken, User
from alliance.web.refusals import refuse, status_error

__all__ = ["RequestGuardMiddleware", "unstorable"]

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def unstorable(value: Any) -> bool:
    r"""Tell whether ``value`` (text, or JSON data) holds a NUL character or a lone surrogate.

    Examples
    --------
    >>> unstorable({"name": ["ok", "nul\x00"]}), unstorable("été ✓")
    (True, False)
    """
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(unstorable(k) or unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(unstorable(v) for v in value)
    return False


def _pairs(data: Any) -> Iterable[str]:
    """Every key and value of a ``QueryDict``."""
    for key, values in data.lists():
        yield key
        yield from (v for v in values if isinstance(v, str))


#: Where observatory staff upload studies' files and zipped study folders (pages and API).
UPLOADS = re.compile(r"^/(api/)?studies(/new/|/[^/]+/files/?)?$")


def _caller(request: HttpRequest) -> User | None:
    """Return who is logged in, or whose valid API token is sent (None: anonymous)."""
    if request.user.is_authenticated:
        return request.user
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return ApiToken.user_for(token.strip()) if scheme.lower() == "bearer" else None


def _limit(request: HttpRequest) -> int:
    """Return the largest body this caller may send to this address."""
    caller = _caller(request)
    if caller is None:
        return int(settings.ALLIANCE_ANONYMOUS_MAX_BODY)
    if (
        request.method == "POST"
        and UPLOADS.match(request.path_info)
        and caller.is_observatory_staff
    ):
        return int(settings.ALLIANCE_MAX_UPLOAD)
    return int(settings.ALLIANCE_MAX_BODY)


def _length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _body_is_unstorable(request: HttpRequest) -> bool:
    """Read the form or the JSON body (Django keeps it for the view) and check its text."""
    if request.content_type in FORMS:
        return any(unstorable(text) for text in _pairs(request.POST))
    if not request.body:
        return False
    try:
        data = json.loads(request.body)
    except ValueError:  # not JSON (nor UTF-8): the view answers it as it does any invalid body
        return False
    return unstorable(data)


class RequestGuardMiddleware:
    """Answer 413 for a body too large, 400 for text no database stores (after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Check the request, then let it through."""
        length = _length(request)
        if length > settings.ALLIANCE_ANONYMOUS_MAX_BODY:
            limit = _limit(request)
            if length > limit:
                return refuse(request, RequestError("request.too_large", limit=limit), 413)
        invalid_text = RequestError("request.invalid_text")
        if unstorable(request.path_info) or any(unstorable(t) for t in _pairs(request.GET)):
            return refuse(request, invalid_text, 400)
        try:
            if length and _body_is_unstorable(request):
                return refuse(request, invalid_text, 400)
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return refuse(request, RequestError("request.too_large", limit=limit), 413)
        except (SuspiciousOperation, MultiPartParserError):
            return refuse(request, status_error(400), 400)
        return self.get_response(request)
