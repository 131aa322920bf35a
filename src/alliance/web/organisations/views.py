"""An organisation's pages, for its members only (others get 404: existence does not leak).

Also creating an organisation, editing it, and running its members and colleagues' invitations.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from alliance.errors import AllianceError
from alliance.web.invitations import check_acceptable, check_alive, signup_link
from alliance.web.language import current_lang
from alliance.web.organisations import members, registration
from alliance.web.organisations.models import ColleagueInvitation, Membership, Organisation
from alliance.web.permissions import (
    Action,
    can,
    permitted_organisation,
    role_in,
    visible_organisations,
)
from alliance.web.refusals import RefusalError, refusal_page
from alliance.web.registry.links import registry_facts

__all__ = [
    "colleague_invitation_page", "edit_page", "members_page", "new_organisation_page",
    "organisation_page", "organisations_page",
]  # fmt: skip


@login_required
def organisations_page(request: HttpRequest) -> HttpResponse:
    """List the organisations the person belongs to."""
    return render(
        request, "organisations/list.html", {"organisations": visible_organisations(request.user)}
    )


@login_required
def organisation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an organisation, its identifiers and members."""
    organisation = permitted_organisation(request, pk, Action.READ)
    role = role_in(request.user, organisation)
    context = {
        "organisation": organisation,
        "role": role,
        "role_label": Membership.Role(role).label if role else "",
        "profile_label": organisation.profile_label(current_lang()),
        "members": organisation.memberships.select_related("user"),
        "can_edit": can(request.user, Action.EDIT, organisation),
        "can_manage": can(request.user, Action.MANAGE, organisation),
        "registry": registry_facts(organisation, current_lang()),
    }
    return render(request, "organisations/detail.html", context)


def _form(request: HttpRequest, initial: dict[str, str], error: str, status: int) -> HttpResponse:
    return render(
        request,
        "organisations/form.html",
        {"values": initial, "error": error, "profiles": registration.profiles(current_lang())},
        status=status,
    )


def _posted(request: HttpRequest) -> dict[str, str]:
    return {field: request.POST.get(field, "") for field in registration.FIELDS}


@login_required
def new_organisation_page(request: HttpRequest) -> HttpResponse:
    """Create an organisation (the person becomes its owner); pre-fill from a SIREN or RNA.

    ``?identifier=`` pre-fills from what the number itself tells (see
    :func:`~alliance.web.organisations.registration.identify`); ``?next=`` is where to go after.
    """
    if request.method == "POST":
        try:
            organisation = registration.create(request.user, _posted(request))  # type: ignore[arg-type]
        except AllianceError as problem:
            return _form(request, _posted(request), problem.message(current_lang()), 400)
        after = request.POST.get("next", "")
        if after and url_has_allowed_host_and_scheme(after, {request.get_host()}):
            return redirect(after)
        return redirect("organisation", organisation.pk)
    values = {"next": request.GET.get("next", "")}
    identifier = request.GET.get("identifier", "").strip()
    if identifier:
        try:
            found = registration.identify(identifier)
        except AllianceError as problem:
            return _form(request, values | {"identifier": identifier},
                         problem.message(current_lang()), 400)  # fmt: skip
        values |= {"identifier": identifier, "siren": found.siren, "rna": found.rna,
                   "profile": found.profile}  # fmt: skip
    return _form(request, values, "", 200)


@login_required
def edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the organisation's details (owners and editors)."""
    organisation = permitted_organisation(request, pk, Action.EDIT)
    values = {field: getattr(organisation, field) for field in registration.FIELDS}
    if request.method == "POST":
        try:
            registration.update(organisation, _posted(request))
        except AllianceError as problem:
            return _form(request, _posted(request) | {"editing": "1"},
                         problem.message(current_lang()), 400)  # fmt: skip
        return redirect("organisation", organisation.pk)
    return _form(request, values | {"editing": "1"}, "", 200)


def _colleague_link(request: HttpRequest) -> Any:
    return lambda token: request.build_absolute_uri(reverse("colleague_invitation", args=[token]))


def _manage(request: HttpRequest, organisation: Organisation) -> str:
    """Carry out one members' form; return the notice to show."""
    form, data = request.POST.get("form"), request.POST
    me = request.user
    if form == "leave":
        members.remove(organisation, me.pk)
        return "left"
    if not can(me, Action.MANAGE, organisation):
        raise PermissionDenied
    if form == "invite":
        role = data.get("role") or Membership.Role.VIEWER
        members.invite(organisation, me, data.get("email"), role, _colleague_link(request))  # type: ignore[arg-type]
        return "invited"
    if form == "role":
        members.change_role(organisation, data.get("user"), data.get("role"))
        return "saved"
    if form == "remove":
        members.remove(organisation, data.get("user"))
        return "removed"
    if form == "transfer":
        members.transfer(organisation, me, data.get("user"))  # type: ignore[arg-type]
        return "transferred"
    if form in ("resend", "revoke"):
        found = organisation.invitations.filter(pk=data.get("invitation") or 0).first()
        if found is None:
            raise Http404
        if form == "resend":
            members.resend(found, _colleague_link(request))
            return "resent"
        members.revoke(found)
        return "revoked"
    raise Http404


@login_required
def members_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Members and their roles; owners invite, change roles, remove, transfer; anyone leaves."""
    organisation = permitted_organisation(request, pk, Action.READ)
    notice = error = ""
    status = HTTPStatus.OK
    if request.method == "POST":
        try:
            notice = _manage(request, organisation)
        except AllianceError as problem:
            error = problem.message(current_lang())
            status = getattr(problem, "status", HTTPStatus.BAD_REQUEST)
        else:
            if notice == "left":
                return redirect("organisations")
    manage = can(request.user, Action.MANAGE, organisation)
    context = {
        "organisation": organisation,
        "members": organisation.memberships.select_related("user").order_by("pk"),
        "can_manage": manage,
        "roles": Membership.Role.choices,
        "invitations": organisation.invitations.all() if manage else [],
        "notice": notice,
        "error": error,
    }
    return render(request, "organisations/members.html", context, status=status)


def colleague_invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """Join an organisation, logged in with the invited address (or after signing up with it)."""
    invitation = ColleagueInvitation.by_token(token)
    if invitation is None:
        raise Http404
    here = request.get_full_path()
    context: dict[str, Any] = {"invitation": invitation}
    try:
        check_alive(invitation)
    except RefusalError as refused:
        return refusal_page(request, refused)
    if not request.user.is_authenticated:
        context |= {"signup": signup_link(invitation.email, here),
                    "login": f"{reverse('login')}?{urlencode({'next': here})}"}  # fmt: skip
        return render(request, "organisations/invitation.html", context)
    try:
        check_acceptable(invitation, request.user)
        if request.method == "POST":
            members.accept(invitation, request.user)
            return redirect("organisation", invitation.organisation_id)
    except RefusalError as refused:
        return refusal_page(request, refused)
    return render(request, "organisations/invitation.html", context)
