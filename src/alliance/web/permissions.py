"""Who may do what, written once for pages and API.

- Anyone may read the referential, the inspiring examples and the published study results.
- An organisation's private data may be read by its members (any role), changed by owners and
  editors, and its members managed by owners. Observatory staff see organisations only through
  the Django admin and aggregates, not through the members' pages.
- A partnership, its sides and its evaluations belong to its partners: members of any partner
  organisation read it; each partner's owners and editors edit their own side and evaluation.
- Studies in the workspace (``/studies/``, their files, runs and publication) are managed by
  observatory staff only: analysts and administrators. A study restricted to named analysts is
  managed by them (and administrators); to other analysts it answers 404. Members of
  organisations get 403, anonymous requests 401 (a login redirect on pages). Analysts see no
  organisation's private data.
- A study's collections of answers (``/studies/<code>/collections/…`` and their API) follow the
  workspace's rule; the respondents' pages (``/collect/…``) are public: a respondent is known
  only by the secret link they hold, and reaches only their own answers through it.
- A background job (a study run, a PDF report) is shown to the person who asked for it and, for a
  job about a study (``arguments["study"]``), to the analysts who manage that study; to anyone
  else it answers 404 (anonymous: 401, a login redirect on pages).
- A person's API tokens are theirs alone: listed and revoked by them only (others' ids: 404).
- A territory's page is public aggregate data; its coordinators' self-assessment is edited only by
  the people named coordinators of that very territory in the admin, and by administrators
  (anonymous: 401, a login redirect on pages; anyone else: 403, as the page itself is public).
- Anonymous requests for private data are refused with 401 in the API (a login redirect on
  pages); other people's organisations and partnerships answer 404, so their existence does not
  leak.
"""

from __future__ import annotations

from enum import StrEnum
from http import HTTPStatus

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from alliance.web.accounts.models import ApiToken, User
from alliance.web.jobs.models import Job
from alliance.web.organisations.models import Membership, Organisation
from alliance.web.partnerships.models import Partnership, Side
from alliance.web.results.models import Study
from alliance.web.territories.models import Coordinator

__all__ = [
    "Action", "can", "can_partnership", "coordinates", "editable_sides", "managed_studies",
    "manages_studies", "own_tokens", "permitted_organisation", "permitted_study", "refusal",
    "visible_jobs", "visible_organisations",
]  # fmt: skip


class Action(StrEnum):
    """What one may do with an organisation."""

    READ = "read"
    EDIT = "edit"
    MANAGE = "manage"


ROLES_ALLOWED: dict[Action, set[str]] = {
    Action.READ: {Membership.Role.OWNER, Membership.Role.EDITOR, Membership.Role.VIEWER},
    Action.EDIT: {Membership.Role.OWNER, Membership.Role.EDITOR},
    Action.MANAGE: {Membership.Role.OWNER},
}


def role_in(user: User | AnonymousUser, organisation: Organisation) -> str | None:
    """Return the user's role in the organisation, if any."""
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    return membership.role if membership else None


def can(user: User | AnonymousUser, action: Action, organisation: Organisation) -> bool:
    """Tell whether ``user`` may ``action`` the organisation's private data."""
    return role_in(user, organisation) in ROLES_ALLOWED[action]


def refusal(
    user: User | AnonymousUser, action: Action, organisation: Organisation
) -> HTTPStatus | None:
    """Say how pages and API refuse ``action``: None when allowed.

    Strangers get 404, so the organisation's existence does not leak; members whose role does
    not allow the action get 403.
    """
    role = role_in(user, organisation)
    if role is None:
        return HTTPStatus.NOT_FOUND
    return None if role in ROLES_ALLOWED[action] else HTTPStatus.FORBIDDEN


def permitted_organisation(request: HttpRequest, pk: int, action: Action) -> Organisation:
    """Return the organisation a page is about, if the caller may ``action`` it (else 404/403)."""
    organisation = get_object_or_404(Organisation, pk=pk)
    refused = refusal(request.user, action, organisation)
    if refused is HTTPStatus.NOT_FOUND:
        raise Http404
    if refused is HTTPStatus.FORBIDDEN:
        raise PermissionDenied
    return organisation


def visible_organisations(user: User | AnonymousUser) -> list[Organisation]:
    """Return the organisations whose private data ``user`` may read."""
    if not user.is_authenticated:
        return []
    return list(Organisation.objects.filter(memberships__user=user).distinct())


def can_partnership(user: User | AnonymousUser, action: Action, partnership: Partnership) -> bool:
    """Partners' members may read a partnership; their owners and editors may edit their side."""
    return any(can(user, action, side.organisation) for side in partnership.sides.all())


def editable_sides(user: User | AnonymousUser, partnership: Partnership) -> list[Side]:
    """Return the sides of the partnership that ``user`` may edit."""
    return [side for side in partnership.sides.all() if can(user, Action.EDIT, side.organisation)]


def own_tokens(user: User | AnonymousUser) -> QuerySet[ApiToken]:
    """Return the API tokens ``user`` may see and revoke: their own (none when anonymous)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user.pk)


def manages_studies(user: User | AnonymousUser) -> bool:
    """Observatory staff (analysts, administrators) manage studies; nobody else."""
    return bool(user.is_authenticated and user.is_observatory_staff)


def managed_studies(user: User | AnonymousUser) -> QuerySet[Study]:
    """Return the studies ``user`` manages: not restricted, or restricted to them (admins: all)."""
    if not isinstance(user, User) or not manages_studies(user):
        return Study.objects.none()
    if user.is_superuser or user.role == User.Role.ADMIN:
        return Study.objects.all()
    return Study.objects.filter(Q(analysts=None) | Q(analysts=user)).distinct()


def permitted_study(request: HttpRequest, code: str) -> Study:
    """Return the study a workspace page or endpoint is about, if the caller manages it.

    The caller is logged in (pages: ``login_required``; API: a private router). Members of
    organisations get 403; analysts to whom the study is not open, 404.
    """
    if not manages_studies(request.user):
        raise PermissionDenied
    return get_object_or_404(managed_studies(request.user), code=code)


def visible_jobs(user: User | AnonymousUser) -> QuerySet[Job]:
    """Return the jobs ``user`` may follow: those they asked for, and their managed studies'."""
    if not isinstance(user, User):
        return Job.objects.none()
    mine = Q(created_by=user)
    if manages_studies(user):
        codes = list(managed_studies(user).values_list("code", flat=True))
        mine |= Q(arguments__study__in=codes)
    return Job.objects.filter(mine)


def coordinates(user: User | AnonymousUser, kind: str, code: str) -> bool:
    """Tell whether ``user`` edits the self-assessment of the territory ``kind``/``code``.

    Its coordinators (exactly that territory: a region's coordinator does not edit its
    departments') and the observatory's administrators do; nobody else.
    """
    if not isinstance(user, User):
        return False
    if user.is_superuser or user.role == User.Role.ADMIN:
        return True
    return Coordinator.objects.filter(user=user, kind=kind, code=code).exists()
