"""Requests that send an e-mail (password reset, sign-up) are limited per address and e-mail.

Axes slows down password guessing; these forms guess nothing but send mail, so flooding them
would spam someone's inbox. Requests are counted in the database
(:class:`~alliance.web.accounts.models.MailRequest`) over ``ALLIANCE_MAIL_REQUESTS_WINDOW``, so
the limit holds across every server process; older requests are forgotten as new ones come.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from alliance.web.accounts.models import MailRequest, digest_of

__all__ = ["mail_requests_exceeded"]


def mail_requests_exceeded(request: HttpRequest, email: str) -> bool:
    """Count this request for its address and its e-mail; say whether either is over the limit."""
    since = timezone.now() - settings.ALLIANCE_MAIL_REQUESTS_WINDOW
    keys = [
        f"address:{get_client_ip_address(request)}",
        f"email:{digest_of(email.strip().lower())}",
    ]
    MailRequest.objects.filter(at__lt=since).delete()
    earlier = [MailRequest.objects.filter(key=key, at__gte=since).count() for key in keys]
    MailRequest.objects.bulk_create(MailRequest(key=key) for key in keys)
    return any(count + 1 > settings.ALLIANCE_MAIL_REQUESTS_LIMIT for count in earlier)
