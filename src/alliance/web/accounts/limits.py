"""Requests that send an e-mail (password reset, sign-up) are limited per address and e-mail.

Axes slows down password guessing; these forms guess nothing but send mail, so flooding them
would spam someone's inbox. Counts live in Django's cache for ``ALLIANCE_MAIL_REQUESTS_WINDOW``
(per process with the default local-memory cache: configure a shared cache with several workers).
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from alliance.web.accounts.models import digest_of

__all__ = ["mail_requests_exceeded"]


def mail_requests_exceeded(request: HttpRequest, email: str) -> bool:
    """Count this request for its address and its e-mail; say whether either is over the limit."""
    window = int(settings.ALLIANCE_MAIL_REQUESTS_WINDOW.total_seconds())
    keys = [
        f"alliance:mail-requests:address:{get_client_ip_address(request)}",
        f"alliance:mail-requests:email:{digest_of(email.strip().lower())}",
    ]
    exceeded = False
    for key in keys:
        cache.add(key, 0, timeout=window)
        exceeded |= cache.incr(key) > settings.ALLIANCE_MAIL_REQUESTS_LIMIT
    return exceeded
