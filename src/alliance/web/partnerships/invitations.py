"""Invitations to join a partnership: sent for a partner, listed, resent, revoked, accepted.

Only the invited address accepts (:mod:`alliance.web.invitations` holds the shared rules).

Permission checks stay with the callers (:mod:`alliance.web.permissions`): they know who asks.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from alliance.web import invitations
from alliance.web.accounts.models import User
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships.models import Invitation, Partnership, Side
from alliance.web.permissions import Action, can

__all__ = ["accept", "invite", "resend", "revoke", "sent_for"]


def _mail(invitation: Invitation, url: str) -> None:
    texts = {"title": invitation.partnership.title, "name": invitation.invited_by.name, "link": url}
    invitations.mail(
        invitation.invited_by, invitation.email, "invitation.subject", "invitation.body", texts,
        {"expires": invitations.expiry_words(invitation)},
    )  # fmt: skip


def invite(
    partnership: Partnership,
    by: Organisation,
    email: str,
    link: Callable[[str], str],
    sender: User | None = None,
) -> Invitation:
    """Invite a partner by e-mail, in French and English; ``link`` makes the address of a token.

    RefusalError beyond the organisation's limits (:func:`alliance.web.invitations.check_limits`).
    """
    address = invitations.clean_address(email)
    invitations.check_limits(by)
    invitation, token = Invitation.create(partnership, address, by, sender)
    _mail(invitation, link(token))
    return invitation


def resend(invitation: Invitation, link: Callable[[str], str]) -> Invitation:
    """Send an invitation again (waiting or expired): same address, new link and expiry.

    The former link stops working; an expired one counts again among the waiting ones.
    """
    _mail(invitation, link(invitations.renew(invitation, invitation.invited_by)))
    return invitation


def revoke(invitation: Invitation) -> None:
    """Cancel an invitation not used yet."""
    invitations.revoke(invitation)


@transaction.atomic
def accept(invitation: Invitation, organisation: Organisation, user: User) -> Side:
    """Join the partnership on behalf of ``organisation``; an invitation serves once.

    Only ``user`` logged in with the invited address may accept, never its sender
    (:func:`alliance.web.invitations.check_acceptable`); the row is locked so two clicks join once.
    """
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitations.check_acceptable(locked, user)
    side, _ = Side.objects.get_or_create(partnership=locked.partnership, organisation=organisation)
    locked.accepted_by = organisation
    locked.save(update_fields=["accepted_by"])
    return side


def sent_for(user: User, partnership: Partnership) -> list[Invitation]:
    """Return the partnership's invitations sent by organisations ``user`` may edit for."""
    found = partnership.invitations.select_related("invited_by").order_by("-created")
    return [i for i in found if can(user, Action.EDIT, i.invited_by)]
