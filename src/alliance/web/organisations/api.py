"""The API of an organisation's members and of the invitations of colleagues.

Same rules as the pages (:mod:`alliance.web.permissions`): anonymous → 401; not a member → 404;
members read the members' list, owners manage it (others → 403), anyone may leave. Invalid input
→ 400; an organisation left without an owner → 409; someone else's, used, revoked or expired
invitation → 403 or 410; too many invitations → 429 — always with the message in French and
English. Creating and editing an organisation are in :mod:`alliance.web.api`, beside its GET.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from alliance.web.accounts.models import User
from alliance.web.invitations import invitation_record
from alliance.web.organisations import members, registration
from alliance.web.organisations.models import ColleagueInvitation, Membership
from alliance.web.permissions import Action, permitted_organisation

__all__ = ["router"]

router = Router(tags=["organisations"])


class NewColleague(Schema):
    email: str
    role: str = Membership.Role.VIEWER


class RoleChange(Schema):
    role: str


class Successor(Schema):
    user: int


def _member(membership: Membership) -> dict[str, Any]:
    return {"user": membership.user_id, "email": membership.user.email, "role": membership.role}


def _colleague(invitation: ColleagueInvitation) -> dict[str, Any]:
    return invitation_record(invitation) | {"role": invitation.role}


def _link(request: HttpRequest) -> Any:
    return lambda token: request.build_absolute_uri(reverse("colleague_invitation", args=[token]))


@router.get("/organisations/identifiers/{identifier}")
def identify_organisation(request: HttpRequest, identifier: str) -> dict[str, str]:
    """Read a SIREN or RNA number to pre-fill a new organisation (checked offline, see docs)."""
    found = registration.identify(identifier)
    return {"siren": found.siren, "rna": found.rna, "profile": found.profile}


@router.get("/organisations/{pk}/members")
def members_list(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """List the organisation's members and their roles (any member)."""
    organisation = permitted_organisation(request, pk, Action.READ)
    return [_member(m) for m in organisation.memberships.select_related("user").order_by("pk")]


@router.patch("/organisations/{pk}/members/{int:user}")
def change_role(request: HttpRequest, pk: int, user: int, body: RoleChange) -> dict[str, Any]:
    """Give a member another role (owners); the last owner cannot step down (409)."""
    organisation = permitted_organisation(request, pk, Action.MANAGE)
    return _member(members.change_role(organisation, user, body.role))


@router.delete("/organisations/{pk}/members/{int:user}")
def remove_member(request: HttpRequest, pk: int, user: int) -> dict[str, Any]:
    """Remove a member (owners), or leave (oneself, any role); the last owner stays (409)."""
    me: User = request.user  # type: ignore[assignment]
    organisation = permitted_organisation(
        request, pk, Action.READ if user == me.pk else Action.MANAGE
    )
    members.remove(organisation, user)
    return {"removed": user}


@router.post("/organisations/{pk}/members/transfer")
def transfer_ownership(request: HttpRequest, pk: int, body: Successor) -> dict[str, Any]:
    """Make another member the owner (owners); the caller becomes an editor."""
    organisation = permitted_organisation(request, pk, Action.MANAGE)
    members.transfer(organisation, request.user, body.user)  # type: ignore[arg-type]
    return {"members": members_list(request, pk)}


@router.get("/organisations/{pk}/members/invitations")
def colleague_invitations(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """List the colleagues invited, newest first, whatever their state (owners)."""
    organisation = permitted_organisation(request, pk, Action.MANAGE)
    return [_colleague(i) for i in organisation.invitations.select_related("sent_by")]


@router.post("/organisations/{pk}/members/invitations", response={201: dict[str, Any]})
def invite_colleague(request: HttpRequest, pk: int, body: NewColleague) -> Status[dict[str, Any]]:
    """Invite a colleague with a role (owners); the link is e-mailed, never returned here."""
    organisation = permitted_organisation(request, pk, Action.MANAGE)
    sender: User = request.user  # type: ignore[assignment]
    invitation = members.invite(organisation, sender, body.email, body.role, _link(request))
    return Status(201, _colleague(invitation))


def _invitation(request: HttpRequest, pk: int, invitation: int) -> ColleagueInvitation:
    organisation = permitted_organisation(request, pk, Action.MANAGE)
    found = organisation.invitations.filter(pk=invitation).first()
    if found is None:
        raise HttpError(HTTPStatus.NOT_FOUND, "not found")
    return found


@router.post("/organisations/{pk}/members/invitations/{int:invitation}/resend")
def resend_colleague_invitation(request: HttpRequest, pk: int, invitation: int) -> dict[str, Any]:
    """Send a waiting invitation again: same address, new link, new expiry (owners)."""
    return _colleague(members.resend(_invitation(request, pk, invitation), _link(request)))


@router.delete("/organisations/{pk}/members/invitations/{int:invitation}")
def revoke_colleague_invitation(request: HttpRequest, pk: int, invitation: int) -> dict[str, Any]:
    """Cancel a waiting invitation (owners): its link stops working."""
    found = _invitation(request, pk, invitation)
    members.revoke(found)
    return _colleague(found)


@router.post("/organisations/invitations/{token}/accept")
def accept_colleague_invitation(request: HttpRequest, token: str) -> dict[str, Any]:
    """Join the organisation, logged in with the invited address (others → 403)."""
    found = ColleagueInvitation.by_token(token)
    if found is None:
        raise HttpError(HTTPStatus.NOT_FOUND, "not found")
    membership = members.accept(found, request.user)  # type: ignore[arg-type]
    return {"organisation": membership.organisation_id, "role": membership.role}
