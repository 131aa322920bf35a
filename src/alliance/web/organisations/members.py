"""An organisation's members, run by its owners, never leaving it without an owner.

Owners invite colleagues with a role, change roles, remove members, transfer ownership; anyone
leaves.

Permission checks stay with the callers (:mod:`alliance.web.permissions`): they know who asks.
Changes that touch owners lock the organisation's memberships, so two owners stepping down at
the same moment cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http import HTTPStatus

from django.db import transaction

from alliance.errors import Location, OrganisationError
from alliance.i18n import Lang
from alliance.web import invitations
from alliance.web.accounts.models import User
from alliance.web.organisations.models import (
    ColleagueInvitation,
    Membership,
    Organisation,
)
from alliance.web.refusals import RefusalError

__all__ = [
    "accept", "change_role", "invite", "membership_of", "remove", "resend", "revoke", "role_of",
    "transfer",
]  # fmt: skip

Role = Membership.Role
#: The roles' names in invitation e-mails (the e-mail is sent in both languages).
ROLE_NAMES: dict[str, Mapping[Lang, str]] = {
    Role.OWNER: {"fr": "responsable", "en": "owner"},
    Role.EDITOR: {"fr": "contributeur", "en": "editor"},
    Role.VIEWER: {"fr": "lecteur", "en": "viewer"},
}


def role_of(value: object) -> Membership.Role:
    """Return the role named ``value`` (owner, editor or viewer), or refuse it (400)."""
    if value not in Role.values:
        raise OrganisationError("members.role_unknown", Location(field="role", value=value))
    return Role(str(value))


def membership_of(organisation: Organisation, user_id: object) -> Membership:
    """Return a member's membership, or refuse (400) someone who is not a member."""
    number = str(user_id or "")
    found = (
        organisation.memberships.select_related("user").filter(user_id=int(number)).first()
        if number.isdigit()
        else None
    )
    if found is None:
        raise OrganisationError("members.unknown", Location(field="user", value=user_id))
    return found


def _mail(invitation: ColleagueInvitation, url: str) -> None:
    organisation = invitation.organisation
    invitations.mail(
        organisation, invitation.email, "invitation.colleague_subject",
        "invitation.colleague_body",
        {"sender": invitation.sent_by.email if invitation.sent_by else organisation.name,
         "name": organisation.name, "link": url},
        {"role": ROLE_NAMES[Role(invitation.role)],
         "expires": invitations.expiry_words(invitation)},
    )  # fmt: skip


def invite(
    organisation: Organisation, sender: User, email: object, role: object,
    link: Callable[[str], str],
) -> ColleagueInvitation:  # fmt: skip
    """Invite a colleague by e-mail with a role; ``link`` makes the address of the token."""
    address = invitations.clean_address(email)
    chosen = role_of(role)
    invitations.check_limits(organisation)
    invitation = ColleagueInvitation(
        organisation=organisation, email=address, role=chosen, sent_by=sender
    )
    token = invitation.new_token()
    invitation.save()
    _mail(invitation, link(token))
    return invitation


def resend(invitation: ColleagueInvitation, link: Callable[[str], str]) -> ColleagueInvitation:
    """Send an invitation again (waiting or expired): same address, new link and expiry.

    The former link stops working; an expired one counts again among the waiting ones.
    """
    _mail(invitation, link(invitations.renew(invitation, invitation.organisation)))
    return invitation


def revoke(invitation: ColleagueInvitation) -> None:
    """Cancel an invitation not used yet."""
    invitations.revoke(invitation)


@transaction.atomic
def accept(invitation: ColleagueInvitation, user: User) -> Membership:
    """Make ``user`` (logged in with the invited address) a member with the invited role."""
    locked = ColleagueInvitation.objects.select_for_update().get(pk=invitation.pk)
    invitations.check_acceptable(locked, user)
    if locked.organisation.memberships.filter(user=user).exists():
        raise RefusalError(HTTPStatus.CONFLICT, "invitation.already_member")
    membership = Membership.objects.create(
        user=user, organisation=locked.organisation, role=locked.role
    )
    locked.accepted_by = user
    locked.save(update_fields=["accepted_by"])
    return membership


def _owners(organisation: Organisation) -> list[int]:
    """Lock the organisation's memberships; return its owners' ids."""
    locked = Membership.objects.select_for_update().filter(organisation=organisation)
    return [m.user_id for m in locked if m.role == Role.OWNER]


def _keep_an_owner(organisation: Organisation, leaving: int) -> None:
    if _owners(organisation) == [leaving]:
        raise RefusalError(HTTPStatus.CONFLICT, "members.last_owner")


@transaction.atomic
def change_role(organisation: Organisation, user_id: object, role: object) -> Membership:
    """Give a member another role; the last owner cannot step down."""
    chosen = role_of(role)
    membership = membership_of(organisation, user_id)
    if membership.role == Role.OWNER and chosen != Role.OWNER:
        _keep_an_owner(organisation, membership.user_id)
    membership.role = chosen
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove(organisation: Organisation, user_id: object) -> None:
    """Remove a member (or oneself: leaving); the last owner cannot go."""
    membership = membership_of(organisation, user_id)
    if membership.role == Role.OWNER:
        _keep_an_owner(organisation, membership.user_id)
    membership.delete()


@transaction.atomic
def transfer(organisation: Organisation, owner: User, user_id: object) -> Membership:
    """Make another member the owner; ``owner`` stays as an editor."""
    successor = membership_of(organisation, user_id)
    if successor.user_id == owner.pk:
        raise OrganisationError("members.transfer_to_self", Location(field="user", value=user_id))
    _owners(organisation)
    successor.role = Role.OWNER
    successor.save(update_fields=["role"])
    Membership.objects.filter(organisation=organisation, user=owner).update(role=Role.EDITOR)
    return successor
