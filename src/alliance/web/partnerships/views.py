"""An organisation's diagnostic, partnerships and evaluations, for its members only.

Forms post each answer as it changes (htmx), so a long questionnaire never loses what was typed:
the answer is checked and kept, and the scores beside the form are redrawn.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alliance.diagnostic import QuestionType, default_instrument, root_profile
from alliance.diagnostic.scoring import rules_for
from alliance.errors import AllianceError, ConflictError
from alliance.evaluation import grid
from alliance.evaluation.guidance import contract_for
from alliance.evaluation.qualification import Agreement as EvaluationAgreement
from alliance.referential import default_referential
from alliance.web.accounts.models import User
from alliance.web.invitations import check_acceptable, check_alive, signup_link
from alliance.web.language import current_lang
from alliance.web.partnerships import actions, export, invitations, reports
from alliance.web.partnerships.guidance import bridging_examples, guidance_of
from alliance.web.partnerships.models import Invitation, Partnership
from alliance.web.partnerships.suggestions import suggest
from alliance.web.permissions import (
    Action,
    can,
    can_partnership,
    editable_sides,
    permitted_organisation,
    visible_organisations,
)
from alliance.web.refusals import RefusalError, refusal_page
from alliance.web.results.catalogue import population_labels

__all__ = [
    "diagnostic_page", "diagnostic_pdf", "diagnostic_report_file", "erase_page", "evaluation_page",
    "export_download", "invitation_page", "partnership_page", "partnerships_page",
]  # fmt: skip


def _reading_or_editing(request: HttpRequest) -> Action:
    """Return what a request asks: reading (any member) or, for a post, editing."""
    return Action.EDIT if request.method == "POST" else Action.READ


def _partnership(request: HttpRequest, pk: int) -> Partnership:
    partnership = get_object_or_404(Partnership, pk=pk)
    if not can_partnership(request.user, Action.READ, partnership):
        raise Http404
    return partnership


def _answer_from_form(question: Any, data: Any) -> Any:
    """Read one answer from the form; blank fields make a blank answer (which clears it).

    Unticked boxes send nothing, so the categories' fieldset carries a hidden
    ``<code>.shown`` field: its presence says the question was on the form.
    """
    if question.type is QuestionType.MIX:
        shares = {part: data.get(f"{question.code}.{part}", "").strip() for part in question.parts}
        return {part: share or 0 for part, share in shares.items()} if any(shares.values()) else {}
    if question.type is QuestionType.CATEGORIES:
        return data.getlist(question.code)
    if question.type is QuestionType.CHOICE:
        return data.get(question.code, "").strip()
    return data.get(question.code, "")


@login_required
def diagnostic_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the diagnostic form, the scores and the next steps; save each answer posted.

    Each question is its own form, so a change posts that answer alone with the version it was
    read at (``version.<code>``): an answer changed meanwhile in another tab or by a colleague is
    refused with 409 and shown as it is now, never overwritten; other answers are never touched.
    """
    organisation = permitted_organisation(request, pk, _reading_or_editing(request))
    instrument = default_instrument()
    profile = root_profile(organisation.profile)
    diagnostic = actions.diagnostic_of(organisation)
    error = ""
    status = HTTPStatus.OK
    posted_questions = []
    oob = "version"
    if request.method == "POST":
        posted_questions = [
            question
            for question in instrument.for_profile(profile)
            if any(k == question.code or k.startswith(f"{question.code}.") for k in request.POST)
        ]
        posted = {q.code: _answer_from_form(q, request.POST) for q in posted_questions}
        versions = {
            code: request.POST[f"version.{code}"]
            for code in posted
            if f"version.{code}" in request.POST
        }
        try:
            refused = actions.save_draft(diagnostic, posted, versions)
        except ConflictError as problem:
            error, status, oob = problem.message(current_lang()), HTTPStatus.CONFLICT, "form"
            diagnostic = actions.diagnostic_of(organisation)
        except AllianceError as problem:  # a version that is not a version: nothing kept
            error, status = problem.message(current_lang()), HTTPStatus.BAD_REQUEST
        else:
            error = refused[-1].message(current_lang()) if refused else ""
    found = actions.assessment(organisation, diagnostic.answers)
    context = {
        "organisation": organisation,
        "questions": instrument.for_profile(profile),
        "answers": diagnostic.answers,
        "versions": diagnostic.versions,
        "posted_questions": posted_questions,
        "oob": oob,
        "scores": found.scores,
        "rules": [
            {"question": q.label(current_lang()), "rule": r, "text": r.explanation(current_lang())}
            for q, r in rules_for(instrument, profile)
        ],
        "steps": [(step, suggest(step, organisation, current_lang())) for step in found.steps],
        "standings": found.standings,
        "levers": [(lever, lever.note(current_lang())) for lever in found.levers],
        "population_names": population_labels(current_lang()),
        "error": error,
        "can_edit": can(request.user, Action.EDIT, organisation),
        "categories": default_referential().framework("partnership-categories").roots(),
    }
    partial = request.headers.get("HX-Request") and request.method == "POST"
    return render(
        request,
        "partnerships/_saved.html" if partial else "partnerships/diagnostic.html",
        context,
        status=status,
    )


@login_required
def partnerships_page(request: HttpRequest, pk: int) -> HttpResponse:
    """List the organisation's partnerships; start a new one."""
    organisation = permitted_organisation(request, pk, _reading_or_editing(request))
    error = ""
    if request.method == "POST":
        try:
            partnership = actions.start(organisation, request.POST.get("title"))
        except AllianceError as problem:
            error = problem.message(current_lang())
        else:
            return redirect("partnership", partnership.pk)
    sides = organisation.sides.select_related("partnership")
    return render(
        request,
        "partnerships/list.html",
        {
            "organisation": organisation,
            "sides": sides,
            "can_edit": can(request.user, Action.EDIT, organisation),
            "error": error,
        },
    )


#: Entries of a history shown on one page.
HISTORY_PAGE = 20


@login_required
def partnership_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a partnership: each partner's side, what they agreed together, invitations.

    Every change of the agreed terms is listed (who, when, before and after), newest first.
    The agreed terms' form carries the version it shows: saving it after a partner changed the
    terms answers 409 with the partner's version, rather than undoing their change.
    """
    partnership = _partnership(request, pk)
    mine = editable_sides(request.user, partnership)
    notice = error = ""
    status = HTTPStatus.OK
    if request.method == "POST" and not mine:
        raise PermissionDenied
    if request.method == "POST":
        side = mine[0]
        form = request.POST.get("form")
        data = request.POST
        try:
            if form == "agreed":
                # The contract follows from what is agreed (the rule is shown on the page).
                chosen, wording = (
                    data.getlist("common_objectives"),
                    data.get("common_objective", ""),
                )
                contract = contract_for(EvaluationAgreement("", wording, "", tuple(chosen)))
                actions.agree(
                    partnership, data.get("category", ""), wording, contract, chosen,
                    by=side.organisation, author=request.user,  # type: ignore[arg-type]
                    version=data.get("agreement_version"),
                )  # fmt: skip
                notice = "saved"
            elif form == "side":
                objectives = {
                    key.removeprefix("objective."): value
                    for key, value in data.items()
                    if key.startswith("objective.")
                }
                contributions = {k: data.get(k, "") for k in ("money", "skills", "in_kind", "time")}
                actions.qualify(side, objectives, contributions)
                notice = "saved"
            elif form == "invite":
                invitations.invite(
                    partnership, side.organisation, data.get("email", ""), _link(request),
                    request.user,  # type: ignore[arg-type]
                )  # fmt: skip
                notice = "invited"
            elif form in ("resend", "revoke"):
                notice = _answer_invitation(request, partnership, form, data.get("invitation"))
        except ConflictError as problem:
            error, status = problem.message(current_lang()), HTTPStatus.CONFLICT
            partnership.refresh_from_db()
        except AllianceError as problem:
            error = problem.message(current_lang())
            status = getattr(problem, "status", HTTPStatus.OK)
    referential = default_referential()
    revisions = Paginator(
        partnership.agreement_revisions.select_related("organisation", "author"), HISTORY_PAGE
    ).get_page(request.GET.get("revisions"))
    lang = current_lang()
    guidance, _sides = guidance_of(partnership, lang)
    context = {
        "partnership": partnership,
        "guidance": guidance,
        "guided": zip(_sides, guidance.proposals, strict=True),
        "bridging": bridging_examples(guidance),
        "revisions": revisions,
        "sides": partnership.sides.select_related("organisation"),
        "mine": mine[0] if mine else None,
        "objectives": list(referential.framework("objectives")),
        "categories": referential.framework("partnership-categories").roots(),
        "contracts": list(referential.framework("contract-types")),
        "common_objectives": [
            {"code": o.code, "label": o.label(lang), "note": o.note(lang) if o.note else ""}
            for o in referential.framework("common-objectives")
        ],
        "contribution_labels": {
            "money": _("Apport financier"),
            "skills": _("Apport de compétences"),
            "in_kind": _("Apport en nature"),
            "time": _("Temps"),
        },
        "notice": notice,
        "error": error,
        "invitations": invitations.sent_for(request.user, partnership) if mine else [],  # type: ignore[arg-type]
    }
    return render(request, "partnerships/detail.html", context, status=status)


def _link(request: HttpRequest) -> Any:
    return lambda token: request.build_absolute_uri(reverse("invitation", args=[token]))


def _answer_invitation(
    request: HttpRequest, partnership: Partnership, form: str, pk: object
) -> str:
    """Resend or revoke one of the invitations the person may manage; return the notice."""
    found = next(
        (i for i in invitations.sent_for(request.user, partnership) if str(i.pk) == pk),  # type: ignore[arg-type]
        None,
    )
    if found is None:
        raise Http404
    if form == "resend":
        invitations.resend(found, _link(request))
        return "resent"
    invitations.revoke(found)
    return "revoked"


def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation, logged in with the invited address, for an organisation one edits.

    Anyone holding the link sees who invites and is asked to log in or sign up with the invited
    address; someone logged in with another address, or the sender, gets a refusal (403), and a
    used, revoked or expired link says so (410).
    """
    invitation = Invitation.by_token(token)
    if invitation is None:
        raise Http404
    here = request.get_full_path()
    try:
        check_alive(invitation)
    except RefusalError as refused:
        return refusal_page(request, refused)
    if not request.user.is_authenticated:
        return render(
            request, "partnerships/invitation.html",
            {"invitation": invitation, "signup": signup_link(invitation.email, here),
             "login": f"{reverse('login')}?{urlencode({'next': here})}"},
        )  # fmt: skip
    choices = [o for o in visible_organisations(request.user) if can(request.user, Action.EDIT, o)]
    try:
        check_acceptable(invitation, request.user)
        if request.method == "POST":
            chosen = next(
                (o for o in choices if str(o.pk) == request.POST.get("organisation")), None
            )
            if chosen is not None:
                invitations.accept(invitation, chosen, request.user)
                return redirect("partnership", invitation.partnership.pk)
    except RefusalError as refused:
        return refusal_page(request, refused)
    return render(
        request, "partnerships/invitation.html",
        {"invitation": invitation, "choices": choices,
         "create": f"{reverse('organisation_new')}?{urlencode({'next': here})}"},
    )  # fmt: skip


@login_required
def evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Score the partnership on the grid; see both partners' views side by side.

    The history is shown a page (:data:`HISTORY_PAGE` evaluations) at a time, newest first.
    """
    partnership = _partnership(request, pk)
    mine = editable_sides(request.user, partnership)
    error = ""
    if request.method == "POST" and not mine:
        raise PermissionDenied
    if request.method == "POST":
        scores: dict[str, dict[str, object]] = {cell.object: {} for cell in grid()}
        for cell in grid():
            scores[cell.object][cell.approach] = request.POST.get(f"{cell.object}.{cell.approach}")
        comments = {o: request.POST.get(f"comment.{o}", "") for o in scores}
        try:
            actions.evaluate(partnership, mine[0].organisation, scores, comments)
        except AllianceError as problem:
            error = problem.message(current_lang())
        else:
            return redirect("evaluation", partnership.pk)
    views = actions.side_by_side(partnership)
    referential = default_referential()
    context = {
        "partnership": partnership,
        "mine": mine[0] if mine else None,
        "objects": list(referential.framework("evaluation-objects")),
        "approaches": list(referential.framework("evaluation-approaches")),
        "first": views.first,
        "second": views.second,
        "comparison": views.comparison,
        "comments": _comments(views, [o.code for o in referential.framework("evaluation-objects")]),
        "history": Paginator(
            partnership.evaluations.select_related("organisation"), HISTORY_PAGE
        ).get_page(request.GET.get("page")),
        "mine_latest": (
            partnership.evaluations.filter(organisation=mine[0].organisation).first()
            if mine
            else None
        ),
        "error": error,
    }
    return render(request, "partnerships/evaluation.html", context)


@require_GET
@login_required
def export_download(request: HttpRequest, pk: int, format: str) -> HttpResponse:
    """Download all the organisation's data: ``json``, or ``zip`` of CSV files."""
    organisation = permitted_organisation(request, pk, Action.READ)
    stem = f"organisation-{organisation.pk}"
    if format == "json":
        body = json.dumps(export.export_record(organisation), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    elif format == "zip":
        response = HttpResponse(export.export_csv_zip(organisation), content_type="application/zip")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{stem}.{format}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def diagnostic_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Give the diagnostic's report as PDF, in the page's language, produced in the background.

    POST queues its job and sends to the job's page, which offers the download when done. GET
    downloads the report if the current one was already produced, else shows the button that
    asks for it: a page never waits on a PDF (:mod:`alliance.web.partnerships.reports`).
    """
    organisation = permitted_organisation(request, pk, Action.READ)
    lang = current_lang()
    if request.method == "POST":
        job = reports.request_report(organisation, lang, cast(User, request.user))
        response = redirect("job", pk=job.pk)
        response.status_code = HTTPStatus.SEE_OTHER
        return response
    stored = reports.stored_report(organisation, lang)
    if stored is not None:
        return _report_download(organisation.pk, stored)
    return render(request, "partnerships/report.html", {"organisation": organisation})


@require_GET
@login_required
def diagnostic_report_file(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    """Download a report a job produced, to the organisation's members only."""
    organisation = permitted_organisation(request, pk, Action.READ)
    path = reports.report_file(organisation.pk, name)
    if path is None:
        raise Http404
    return _report_download(organisation.pk, path)


def _report_download(pk: int, path: Path) -> FileResponse:
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=reports.download_name(pk),
        content_type="application/pdf",
    )


@login_required
def erase_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Let an owner erase the organisation, once its name is typed as confirmation."""
    organisation = permitted_organisation(request, pk, Action.MANAGE)
    mismatch = False
    if request.method == "POST":
        if request.POST.get("confirm", "").strip() == organisation.name:
            name = organisation.name
            export.erase(organisation)
            return render(request, "partnerships/erased.html", {"name": name})
        mismatch = True
    counts = {
        "sides": organisation.sides.count(),
        "evaluations": organisation.evaluations.count(),
        "members": organisation.memberships.count(),
    }
    return render(
        request,
        "partnerships/erase.html",
        {"organisation": organisation, "counts": counts, "mismatch": mismatch},
    )


def _comments(views: actions.SideBySide, objects: list[str]) -> list[tuple[str, str, str]]:
    """Return each commented evaluation object with both partners' latest comments."""
    if views.first_latest is None or views.second_latest is None:
        return []
    pairs = [
        (o, views.first_latest.comments.get(o, ""), views.second_latest.comments.get(o, ""))
        for o in objects
    ]
    return [pair for pair in pairs if pair[1] or pair[2]]
