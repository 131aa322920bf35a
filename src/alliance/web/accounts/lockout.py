"""How django-axes names whom it counts, and how it answers once someone is locked out.

The login page, the admin's login and ``POST /api/auth/token`` all go through
``django.contrib.auth.authenticate``; axes counts their failures per e-mail and per address
(``AXES_*`` in the settings). A locked-out request gets 429 with ``Retry-After``: JSON in the
API, a translated page on the site.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from alliance.messages import render as message
from alliance.web.language import current_lang

__all__ = ["lockout_response", "too_many", "username"]


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """Return the e-mail tried: ``username`` in forms, ``email`` in the API, in lower case."""
    found = credentials or {}
    value = found.get("username") or found.get("email") or request.POST.get("username") or ""
    return str(value).strip().lower()


def retry_after(request: HttpRequest) -> int:
    """Return the seconds until the cool-off ends (all of it: each new failure restarts it)."""
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 0


def too_many(request: HttpRequest, key: str, seconds: int) -> HttpResponse:
    """Answer 429 with ``Retry-After``: the message in JSON for the API, a page elsewhere."""
    minutes = max(1, round(seconds / 60))
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "detail": message(key, current_lang(), minutes=minutes),
                "key": key,
                "messages": {lang: message(key, lang, minutes=minutes) for lang in ("fr", "en")},
            },
            status=429,
        )
    else:
        text = message(key, current_lang(), minutes=minutes)
        response = render(request, "registration/too_many.html", {"text": text}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """Answer a locked-out login (``AXES_LOCKOUT_CALLABLE``)."""
    return too_many(request, "account.locked_out", retry_after(request))
