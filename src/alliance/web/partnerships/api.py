"""The API of an organisation's diagnostic, partnerships, invitations and evaluations.

Same rules as the pages (:mod:`alliance.web.permissions`): anonymous → 401; someone who is not a
member of the organisation, or of a partner → 404; a member without the right role → 403.
Invalid input → 400 with the message in French and English and where it is; a change based on
a version someone else has replaced since → 409, same shape, nothing written.

Fields that hold what people type are declared ``Any`` and checked by the core, so that an object
sent where a text is expected gets the located 400 (never stored as its Python spelling).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from alliance.diagnostic import LEVERS, default_instrument, root_profile
from alliance.diagnostic.benchmark import Standing
from alliance.diagnostic.scoring import rules_for
from alliance.disclosure import ROUNDING_BASE, SMALLEST_COUNT, protected_count
from alliance.i18n import Lang
from alliance.report.pdf import pdf_bytes
from alliance.web.accounts.models import User
from alliance.web.invitations import invitation_record
from alliance.web.language import current_lang
from alliance.web.organisations.models import Organisation
from alliance.web.paging import Page, Slice, window
from alliance.web.partnerships import actions, export, invitations, reports
from alliance.web.partnerships.guidance import guidance_record
from alliance.web.partnerships.models import (
    Diagnostic,
    Evaluation,
    Invitation,
    Partnership,
    Side,
)
from alliance.web.partnerships.suggestions import Suggestion, suggest
from alliance.web.permissions import Action, can_partnership, editable_sides, permitted_organisation
from alliance.web.rendering import pdf_response

__all__ = ["router"]

router = Router(tags=["partnerships"])


class Answers(Schema):
    answers: dict[str, Any]
    #: {question: the version of its answer the change is based on} (GET gives them).
    versions: dict[str, Any] = {}
    #: The diagnostic's version a replacement (PUT) is based on.
    version: int | None = None


class NewPartnership(Schema):
    title: Any


class Agreement(Schema):
    """Terms left out stay as they are; a blank term is cleared; ``{}`` is refused."""

    category: Any = None
    common_objective: Any = None
    contract: Any = None
    #: Codes of the referential's ``common-objectives`` (a list; the wording goes beside).
    common_objectives: Any = None
    #: The ``agreement_version`` the change is based on (GET /partnerships/{pk} gives it).
    version: Any = None


class Qualification(Schema):
    objectives: dict[str, Any] = {}
    contributions: dict[str, Any] = {}


class NewInvitation(Schema):
    email: str
    #: The partner organisation inviting (needed only when the caller edits several).
    organisation: int | None = None


class Acceptance(Schema):
    organisation: int


class NewEvaluation(Schema):
    scores: dict[str, dict[str, Any]]
    comments: dict[str, Any] = {}
    organisation: int | None = None


def _partnership(request: HttpRequest, pk: int) -> Partnership:
    found = Partnership.objects.filter(pk=pk).first()
    if found is None or not can_partnership(request.user, Action.READ, found):
        raise HttpError(404, "not found")
    return found


def _my_side(request: HttpRequest, partnership: Partnership, organisation: int | None) -> Side:
    """Return the side the caller acts for: the one named, or the first they may edit."""
    mine = editable_sides(request.user, partnership)
    if organisation is not None:
        mine = [s for s in mine if s.organisation_id == organisation]
    if not mine:
        if organisation is not None and not Organisation.objects.filter(pk=organisation).exists():
            raise HttpError(404, "not found")  # erased meanwhile, not refused
        raise HttpError(403, "forbidden")
    return mine[0]


def _standing(standing: Standing) -> dict[str, Any]:
    reference = standing.reference.to_dict()
    reference.pop("distribution")
    return {
        "question": standing.question,
        "value": standing.value,
        "share_below": standing.below,
        "reference": reference,
    }


@router.get("/statistics/partnerships")
def statistics(request: HttpRequest) -> dict[str, Any]:
    """Give observatory staff aggregates of the registry (never a partnership itself).

    Counts below 5 are withheld (``null``); the others are rounded to a multiple of 5 (controlled
    random rounding, :mod:`alliance.disclosure`), so subtracting one count from another never
    reveals a small one (docs/small-counts.md).
    """
    if not getattr(request.user, "is_staff", False):
        raise HttpError(403, "forbidden")
    secret = settings.SECRET_KEY.encode()

    def shown(count: int, cell: str) -> int | None:
        return protected_count(count, cell, secret)

    everything = Partnership.objects.all()
    by_category = Counter(everything.values_list("category", flat=True))
    by_contract = Counter(everything.values_list("contract", flat=True))
    evaluated = Evaluation.objects.values("partnership").annotate(
        partners=Count("organisation", distinct=True)
    )
    return {
        "partnerships": shown(everything.count(), "partnerships"),
        "by_category": {k or "": shown(v, f"category:{k}") for k, v in sorted(by_category.items())},
        "by_contract": {k or "": shown(v, f"contract:{k}") for k, v in sorted(by_contract.items())},
        "evaluated_by_two_partners_or_more": shown(
            sum(1 for row in evaluated if row["partners"] >= 2), "evaluated"
        ),
        "organisations_with_a_diagnostic": shown(
            Diagnostic.objects.exclude(answers={}).count(), "diagnostics"
        ),
        "smallest_count_shown": SMALLEST_COUNT,
        "rounding_base": ROUNDING_BASE,
    }


def _suggestion(found: Suggestion | None) -> dict[str, Any] | None:
    """Return a next step's examples: the search, how many it finds, and why these."""
    return (
        None
        if found is None
        else {"query": found.query, "count": found.count, "reason": found.reason}
    )


@router.get("/organisations/{pk}/diagnostic")
def diagnostic(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Read the diagnostic: answers, scores per lever, benchmark against the study, next steps."""
    organisation = permitted_organisation(request, pk, Action.READ)
    found = actions.diagnostic_of(organisation)
    assessed = actions.assessment(organisation, found.answers)
    scores = assessed.scores
    profile = root_profile(organisation.profile)
    return {
        "instrument_version": found.instrument_version,
        "version": found.version,
        "versions": found.versions,
        "answers": found.answers,
        "scores": {
            "levers": {lever: scores.levers.get(lever) for lever in LEVERS},
            "overall": scores.overall,
            "balance": scores.balance,
            "weakest": scores.weakest,
            "rules": [
                {
                    "question": question.code,
                    "kind": rule.kind,
                    "parameters": rule.parameters,
                    "status": rule.status.value,
                    "sources": rule.sources,
                    "explanation": rule.explanation.model_dump(),
                }
                for question, rule in rules_for(default_instrument(), profile)
            ],
        },
        "benchmark": [_standing(s) for s in assessed.standings],
        "benchmark_population": assessed.population,
        "benchmark_levers": [
            {
                "lever": lever.lever,
                "questions": [s.question for s in lever.standings],
                "missing": lever.missing,
                "note": (
                    {"fr": lever.note("fr"), "en": lever.note("en")} if lever.missing else None
                ),
            }
            for lever in assessed.levers
        ],
        "next_steps": [
            {
                "code": s.code,
                "title": s.title.model_dump(),
                "why": s.why.model_dump(),
                "targets": s.targets,
                "examples": s.examples,
                "url": s.url,
                "note": s.note.model_dump() if s.note else None,
                "status": s.status.value,
                "suggestion": _suggestion(suggest(s, organisation, current_lang())),
            }
            for s in assessed.steps
        ],
    }


@router.put("/organisations/{pk}/diagnostic")
def replace_diagnostic(request: HttpRequest, pk: int, body: Answers) -> dict[str, Any]:
    """Replace every answer (all checked first; one invalid answer changes nothing).

    With ``version``, refused (409) if the diagnostic changed since that version was read.
    """
    organisation = permitted_organisation(request, pk, Action.EDIT)
    actions.save_answers(
        actions.diagnostic_of(organisation), body.answers, replace=True,
        versions=body.versions, version=body.version,
    )  # fmt: skip
    return diagnostic(request, pk)


@router.patch("/organisations/{pk}/diagnostic")
def update_diagnostic(request: HttpRequest, pk: int, body: Answers) -> dict[str, Any]:
    """Save some answers (one is enough) as a draft, keeping the others.

    Each answer sent with its ``versions`` entry is refused (409) if it changed since that
    version was read; answers to other questions saved meanwhile are kept, never overwritten.
    """
    organisation = permitted_organisation(request, pk, Action.EDIT)
    actions.save_answers(actions.diagnostic_of(organisation), body.answers, versions=body.versions)
    return diagnostic(request, pk)


def _partnership_record(partnership: Partnership) -> dict[str, Any]:
    """Return a partnership, its sides and what the « how to ally » chain says about it."""
    return {
        "id": partnership.pk,
        "title": partnership.title,
        "category": partnership.category,
        "common_objective": partnership.common_objective,
        "common_objectives": partnership.common_objectives,
        "contract": partnership.contract,
        "agreement_version": partnership.agreement_version,
        "created": partnership.created.isoformat(),
        "sides": [
            {
                "organisation": s.organisation_id,
                "name": s.organisation.name,
                "objectives": s.objectives,
                "contributions": s.contributions,
            }
            for s in partnership.sides.select_related("organisation").order_by("pk")
        ],
        "guidance": guidance_record(partnership, current_lang()),
    }


@router.get("/organisations/{pk}/partnerships")
def partnerships(request: HttpRequest, pk: int, page: Query[Slice]) -> list[dict[str, Any]]:
    """List the organisation's partnerships, with every partner's side."""
    organisation = permitted_organisation(request, pk, Action.READ)
    return [_partnership_record(p) for p in window(organisation.partnerships.order_by("pk"), page)]


@router.post("/organisations/{pk}/partnerships", response={201: dict[str, Any]})
def start_partnership(
    request: HttpRequest, pk: int, body: NewPartnership
) -> Status[dict[str, Any]]:
    """Start a partnership, the organisation being its first partner."""
    organisation = permitted_organisation(request, pk, Action.EDIT)
    return Status(201, _partnership_record(actions.start(organisation, body.title)))


@router.get("/partnerships/{pk}")
def partnership(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Read a partnership (its partners' members only)."""
    return _partnership_record(_partnership(request, pk))


@router.put("/partnerships/{pk}/agreement")
def agree(request: HttpRequest, pk: int, body: Agreement) -> dict[str, Any]:
    """Change the category, common objective or contract the partners agreed on.

    Each change leaves a revision (who, when, each term before and after) both partners read at
    ``/partnerships/{pk}/agreement/revisions``.
    """
    found = _partnership(request, pk)
    side = _my_side(request, found, None)
    actions.agree(
        found, body.category, body.common_objective, body.contract, body.common_objectives,
        by=side.organisation, author=request.user, version=body.version,  # type: ignore[arg-type]
    )  # fmt: skip
    return _partnership_record(found)


def _page(request: HttpRequest, count: int, limit: int, offset: int) -> dict[str, Any]:
    """Say where a page of a history is: how many entries in all, the next page's address."""
    following = offset + limit < count
    path = request.path
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": f"{path}?limit={limit}&offset={offset + limit}" if following else None,
    }


@router.get("/partnerships/{pk}/agreement/revisions")
def agreement_revisions(request: HttpRequest, pk: int, page: Query[Page]) -> dict[str, Any]:
    """Every change of the agreed terms, newest first: who, when, each term before and after."""
    found = _partnership(request, pk)
    limit, offset = page.limit, page.offset
    revisions = found.agreement_revisions.select_related("organisation", "author")
    return _page(request, revisions.count(), limit, offset) | {
        "revisions": [
            {
                "id": r.pk,
                "created": r.created.isoformat(),
                "organisation": r.organisation_id,
                "organisation_name": r.organisation.name if r.organisation else None,
                "author": r.author.email if r.author else None,
                "changes": {
                    term: {"before": before, "after": after}
                    for term, (before, after) in r.changes.items()
                },
            }
            for r in revisions[offset : offset + limit]
        ]
    }


@router.put("/partnerships/{pk}/sides/{organisation}")
def qualify(
    request: HttpRequest, pk: int, organisation: int, body: Qualification
) -> dict[str, Any]:
    """Set one's own side: carré magique objectives with priorities, contributions."""
    found = _partnership(request, pk)
    actions.qualify(_my_side(request, found, organisation), body.objectives, body.contributions)
    return _partnership_record(found)


def _invitation_link(request: HttpRequest) -> Any:
    return lambda token: request.build_absolute_uri(reverse("invitation", args=[token]))


def _invitation_record(invitation: Invitation) -> dict[str, Any]:
    return invitation_record(invitation) | {
        "partnership": invitation.partnership_id, "organisation": invitation.invited_by_id,
    }  # fmt: skip


@router.post("/partnerships/{pk}/invitations", response={201: dict[str, Any]})
def invite(request: HttpRequest, pk: int, body: NewInvitation) -> Status[dict[str, Any]]:
    """Invite a partner by e-mail; the link is sent to them, never returned here."""
    found = _partnership(request, pk)
    side = _my_side(request, found, body.organisation)
    invitation = invitations.invite(
        found, side.organisation, body.email, _invitation_link(request),
        request.user,  # type: ignore[arg-type]
    )  # fmt: skip
    return Status(201, {"id": invitation.pk, "email": invitation.email, "partnership": found.pk})


@router.get("/partnerships/{pk}/invitations")
def invitations_sent(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """List the invitations sent for the partners the caller edits for, newest first."""
    found = _partnership(request, pk)
    _my_side(request, found, None)
    return [_invitation_record(i) for i in invitations.sent_for(request.user, found)]  # type: ignore[arg-type]


def _sent(request: HttpRequest, pk: int, invitation: int) -> Invitation:
    """Return an invitation of the partnership sent for a partner the caller edits for."""
    found = _partnership(request, pk)
    _my_side(request, found, None)
    mine = next((i for i in invitations.sent_for(request.user, found) if i.pk == invitation), None)  # type: ignore[arg-type]
    if mine is None:
        raise HttpError(404, "not found")
    return mine


@router.post("/partnerships/{pk}/invitations/{int:invitation}/resend")
def resend_invitation(request: HttpRequest, pk: int, invitation: int) -> dict[str, Any]:
    """Send a waiting invitation again: same address, new link, new expiry."""
    found = invitations.resend(_sent(request, pk, invitation), _invitation_link(request))
    return _invitation_record(found)


@router.delete("/partnerships/{pk}/invitations/{int:invitation}")
def revoke_invitation(request: HttpRequest, pk: int, invitation: int) -> dict[str, Any]:
    """Cancel a waiting invitation: its link stops working."""
    found = _sent(request, pk, invitation)
    invitations.revoke(found)
    return _invitation_record(found)


@router.post("/invitations/{token}/accept")
def accept(request: HttpRequest, token: str, body: Acceptance) -> dict[str, Any]:
    """Join a partnership on behalf of an organisation the caller edits for.

    Only the person logged in with the invited address may (others → 403); a used, revoked or
    expired invitation → 410.
    """
    invitation = Invitation.by_token(token)
    if invitation is None:
        raise HttpError(404, "not found")
    organisation = permitted_organisation(request, body.organisation, Action.EDIT)
    invitations.accept(invitation, organisation, request.user)  # type: ignore[arg-type]
    return _partnership_record(invitation.partnership)


def _evaluation_record(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "id": evaluation.pk,
        "organisation": evaluation.organisation_id,
        "created": evaluation.created.isoformat(),
        "scores": evaluation.scores,
        "comments": evaluation.comments,
    }


@router.get("/partnerships/{pk}/evaluations")
def evaluations(request: HttpRequest, pk: int, page: Query[Page]) -> dict[str, Any]:
    """Read a page of the evaluations (newest first) and the two partners' latest views compared.

    ``limit`` is 1–100 (:mod:`alliance.web.paging`); ``next`` is the address of the following
    page (``null`` at the end).
    """
    found = _partnership(request, pk)
    views = actions.side_by_side(found)
    limit, offset = page.limit, page.offset
    history = found.evaluations.all()
    return _page(request, history.count(), limit, offset) | {
        "history": [_evaluation_record(e) for e in history[offset : offset + limit]],
        "comparison": [
            {
                "object": c.cell.object,
                "approach": c.cell.approach,
                "first": c.first,
                "second": c.second,
                "gap": c.gap,
                "diverges": c.diverges,
            }
            for c in views.comparison
        ],
        "first": views.first.organisation_id if views.first else None,
        "second": views.second.organisation_id if views.second else None,
    }


@router.post("/partnerships/{pk}/evaluations", response={201: dict[str, Any]})
def evaluate(request: HttpRequest, pk: int, body: NewEvaluation) -> Status[dict[str, Any]]:
    """Add one's evaluation to the history."""
    found = _partnership(request, pk)
    side = _my_side(request, found, body.organisation)
    evaluation = actions.evaluate(found, side.organisation, body.scores, body.comments)
    return Status(201, _evaluation_record(evaluation))


@router.get("/organisations/{pk}/diagnostic/report.pdf")
def diagnostic_pdf(request: HttpRequest, pk: int, lang: str = "fr") -> HttpResponse:
    """Download the diagnostic's report as PDF (``lang``: fr or en).

    The report a job produced (``POST`` here) is sent as it is; otherwise it is laid out during
    the request, a few at a time (503 with ``Retry-After`` when busy): scripts that want the
    bytes in one call keep working, and those that ask first never wait.
    """
    organisation = permitted_organisation(request, pk, Action.READ)
    language: Lang = "en" if lang == "en" else "fr"
    stored = reports.stored_report(organisation, language)
    if stored is not None:
        return HttpResponse(stored.read_bytes(), content_type="application/pdf")
    return pdf_response(
        request, lambda: pdf_bytes(export.diagnostic_report(organisation, language))
    )


@router.post("/organisations/{pk}/diagnostic/report.pdf", response={202: dict[str, Any]})
def request_diagnostic_pdf(
    request: HttpRequest, pk: int, lang: str = "fr"
) -> Status[dict[str, Any]]:
    """Ask for the report as a background job: 202 with the job (follow it at /api/jobs/{id}).

    Once the job is done, ``GET`` on this address sends the report at once.
    """
    organisation = permitted_organisation(request, pk, Action.READ)
    language: Lang = "en" if lang == "en" else "fr"
    job = reports.request_report(organisation, language, cast(User, request.user))
    return Status(202, job.to_json())


@router.get("/organisations/{pk}/export")
def export_all(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Export all the organisation's data."""
    return export.export_record(permitted_organisation(request, pk, Action.READ))
