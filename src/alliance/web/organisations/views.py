"""An organisation's pages, for its members only (others get 404: existence does not leak)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from alliance.web.language import current_lang
from alliance.web.organisations.models import Membership, Organisation
from alliance.web.permissions import Action, can, role_in, visible_organisations

__all__ = ["organisation_page", "organisations_page"]


@login_required
def organisations_page(request: HttpRequest) -> HttpResponse:
    """List the organisations the person belongs to."""
    return render(
        request, "organisations/list.html", {"organisations": visible_organisations(request.user)}
    )


@login_required
def organisation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an organisation, its identifiers and members."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not can(request.user, Action.READ, organisation):
        raise Http404
    role = role_in(request.user, organisation)
    context = {
        "organisation": organisation,
        "role": role,
        "role_label": Membership.Role(role).label if role else "",
        "profile_label": organisation.profile_label(current_lang()),
        "members": organisation.memberships.select_related("user"),
        "can_manage": can(request.user, Action.MANAGE, organisation),
    }
    return render(request, "organisations/detail.html", context)
