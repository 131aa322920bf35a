"""What colleagues' and partners' invitations share: address, limits, e-mail, who may accept.

An invitation link is not a bearer pass: only the person logged in with the invited address may
accept it, never the person who sent it, and only while it waits (not used, revoked or expired).
Each organisation may have at most ``ALLIANCE_INVITATIONS_PENDING`` invitations waiting and send
``ALLIANCE_INVITATIONS_PER_DAY`` invitation e-mails in 24 hours, so nobody can use the site to
send mail to strangers in bulk.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Any, Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone

from alliance.errors import Location, OrganisationError
from alliance.i18n import LANGUAGES, Lang
from alliance.messages import render
from alliance.web.accounts.models import User
from alliance.web.organisations.models import (
    ColleagueInvitation,
    InvitationBase,
    InvitationMail,
    Organisation,
)
from alliance.web.partnerships.models import Invitation
from alliance.web.refusals import RefusalError

__all__ = [
    "Expiring", "check_acceptable", "check_alive", "check_limits", "check_open", "clean_address",
    "expiry_words", "invitation_record", "mail", "pending_count", "renew", "revoke",
    "signup_link",
]  # fmt: skip


def clean_address(email: object) -> str:
    """Return the address without surrounding spaces, or refuse it (400)."""
    address = str(email or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        raise OrganisationError(
            "invitation.email_invalid", Location(field="email", value=address)
        ) from None
    return address


def pending_count(organisation: Organisation) -> int:
    """Count the organisation's invitations waiting for an answer, colleagues' and partners'."""
    return (
        ColleagueInvitation.pending().filter(organisation=organisation).count()
        + Invitation.pending().filter(invited_by=organisation).count()
    )


def _check_daily(organisation: Organisation) -> None:
    since = timezone.now() - timedelta(days=1)
    limit = settings.ALLIANCE_INVITATIONS_PER_DAY
    if InvitationMail.objects.filter(organisation=organisation, sent__gt=since).count() >= limit:
        raise RefusalError(HTTPStatus.TOO_MANY_REQUESTS, "invitation.too_many_today", limit=limit)


def check_limits(organisation: Organisation, *, new: bool = True) -> None:
    """Refuse (429) an invitation beyond the organisation's limits; ``new=False`` for a resend."""
    limit = settings.ALLIANCE_INVITATIONS_PENDING
    if new and pending_count(organisation) >= limit:
        raise RefusalError(HTTPStatus.TOO_MANY_REQUESTS, "invitation.too_many_pending", limit=limit)
    _check_daily(organisation)


def renew(invitation: InvitationBase, organisation: Organisation) -> str:
    """Give a waiting or expired invitation a new token and expiry; return the token.

    The former link stops working; an expired one counts again among ``organisation``'s waiting
    ones (:func:`check_limits`).
    """
    check_open(invitation)
    expired = invitation.state() is InvitationBase.State.EXPIRED
    check_limits(organisation, new=expired)
    token = invitation.new_token()
    invitation.save(update_fields=["digest", "expires"])
    return token


class Expiring(Protocol):
    """An invitation of any kind: what its mail needs to say until when it works."""

    @property
    def expires(self) -> datetime:
        """When the invitation stops working."""
        ...


def expiry_words(invitation: Expiring) -> dict[Lang, str]:
    """Return the invitation's last day as each language writes a date (for the mail's text)."""
    expires = timezone.localtime(invitation.expires)
    return {"fr": f"{expires:%d/%m/%Y}", "en": f"{expires:%Y-%m-%d}"}


def mail(
    organisation: Organisation,
    address: str,
    subject: str,
    body: str,
    texts: Mapping[str, Any],
    worded: Mapping[str, Mapping[Lang, str]] | None = None,
) -> None:
    """Send one invitation e-mail in French then English, and count it for the daily limit.

    ``texts`` fill both languages' placeholders alike; ``worded`` gives a placeholder a text in
    each language (a role's name, a date).
    """

    def filled(lang: Lang) -> dict[str, Any]:
        return {**texts, **{name: words[lang] for name, words in (worded or {}).items()}}

    send_mail(
        " / ".join(render(subject, lang, **filled(lang)) for lang in LANGUAGES),
        "\n\n".join(render(body, lang, **filled(lang)) for lang in LANGUAGES),
        None,
        [address],
    )
    InvitationMail.objects.create(organisation=organisation)


def check_open(invitation: InvitationBase) -> None:
    """Refuse (409) to resend or revoke an invitation already used or revoked (expired ones may)."""
    if invitation.state() in (InvitationBase.State.ACCEPTED, InvitationBase.State.REVOKED):
        raise RefusalError(HTTPStatus.CONFLICT, "invitation.closed")


def revoke(invitation: InvitationBase) -> None:
    """Cancel an invitation not used yet: its link stops working at once."""
    check_open(invitation)
    invitation.revoked = timezone.now()
    invitation.save(update_fields=["revoked"])


_GONE = {
    InvitationBase.State.ACCEPTED: "invitation.accepted",
    InvitationBase.State.REVOKED: "invitation.revoked",
    InvitationBase.State.EXPIRED: "invitation.expired",
}


def check_alive(invitation: InvitationBase) -> None:
    """Refuse (410) an invitation used, revoked or expired: nobody needs to log in to learn it."""
    state = invitation.state()
    if state in _GONE:
        raise RefusalError(HTTPStatus.GONE, _GONE[state])


def check_acceptable(invitation: InvitationBase, user: User) -> None:
    """Refuse an invitation that no longer waits (410), one's own, or another address's (403)."""
    check_alive(invitation)
    if invitation.sent_by_id is not None and invitation.sent_by_id == user.pk:
        raise RefusalError(HTTPStatus.FORBIDDEN, "invitation.own")
    if user.email.casefold() != invitation.email.casefold():
        raise RefusalError(
            HTTPStatus.FORBIDDEN, "invitation.other_address",
            invited=invitation.email, current=user.email,
        )  # fmt: skip


def invitation_record(invitation: InvitationBase) -> dict[str, Any]:
    """Show an invitation in the API: never its token nor its digest."""
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "state": invitation.state().value,
        "created": invitation.created.isoformat(),
        "expires": invitation.expires.isoformat(),
        "sent_by": invitation.sent_by.email if invitation.sent_by else None,
    }


def signup_link(email: str, next_url: str) -> str:
    """Return the sign-up page for ``email``, coming back to ``next_url`` once confirmed."""
    return f"{reverse('signup')}?{urlencode({'email': email, 'next': next_url})}"
