"""Security headers Django does not set itself: the Content-Security-Policy, no-store if private."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

__all__ = ["ContentSecurityPolicyMiddleware", "PrivateCacheMiddleware", "is_private"]

#: Addresses whose answers are someone's private data, or forms of their account.
PRIVATE_PREFIXES = (
    "/organisations/", "/partnerships/", "/invitations/", "/accounts/", "/admin/",
    "/api/organisations", "/api/partnerships", "/api/invitations", "/api/statistics",
    "/api/auth/",
)  # fmt: skip


class ContentSecurityPolicyMiddleware:
    """Add the site's CSP to every response: everything from this origin, nothing else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Answer the request, then add the header."""
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


def is_private(request: HttpRequest) -> bool:
    """Tell whether the answer may hold private data: a private address, or someone identified.

    Pages of a logged-in person show their name and organisations; API calls with a token may
    return anything the token sees. Neither may stay in a shared or back-button cache.
    """
    if request.path_info.startswith(PRIVATE_PREFIXES) or "Authorization" in request.headers:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PrivateCacheMiddleware:
    """Mark private answers ``Cache-Control: private, no-store`` (one rule for the whole site)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Answer the request, then forbid caching it when it is private."""
        response = self.get_response(request)
        if is_private(request):
            patch_cache_control(response, private=True, no_store=True, max_age=0)
        return response
