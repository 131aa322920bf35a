"""An organisation's diagnostic, partnerships and evaluations, for its members only.

Forms post each answer as it changes (htmx), so a long questionnaire never loses what was typed:
the answer is checked and kept, and the scores beside the form are redrawn.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from alliance.diagnostic import (
    QuestionType,
    default_instrument,
    next_steps,
    root_profile,
    validate_answers,
)
from alliance.errors import AllianceError
from alliance.evaluation import compare, grid, validate_scores
from alliance.referential import default_referential
from alliance.web.language import current_lang
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships.models import Diagnostic, Evaluation, Invitation, Partnership, Side
from alliance.web.permissions import (
    Action,
    can,
    can_partnership,
    editable_sides,
    visible_organisations,
)

__all__ = [
    "diagnostic_page", "evaluation_page", "invitation_page", "partnership_page",
    "partnerships_page",
]  # fmt: skip


def _organisation(request: HttpRequest, pk: int, action: Action) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not can(request.user, Action.READ, organisation):
        raise Http404
    if action is not Action.READ and not can(request.user, action, organisation):
        raise Http404
    return organisation


def _partnership(request: HttpRequest, pk: int) -> Partnership:
    partnership = get_object_or_404(Partnership, pk=pk)
    if not can_partnership(request.user, Action.READ, partnership):
        raise Http404
    return partnership


def _answer_from_form(question: Any, data: Any) -> Any:
    if question.type is QuestionType.MIX:
        return {part: data.get(f"{question.code}.{part}", "") or 0 for part in question.parts}
    if question.type is QuestionType.CATEGORIES:
        return data.getlist(question.code)
    return data.get(question.code, "")


@login_required
def diagnostic_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the diagnostic form, the scores and the next steps; save each answer posted."""
    organisation = _organisation(request, pk, Action.READ)
    instrument = default_instrument()
    profile = root_profile(organisation.profile)
    diagnostic, _ = Diagnostic.objects.get_or_create(
        organisation=organisation, defaults={"instrument_version": instrument.version}
    )
    error = ""
    if request.method == "POST":
        if not can(request.user, Action.EDIT, organisation):
            raise Http404
        questions = {q.code: q for q in instrument.for_profile(profile)}
        for code, question in questions.items():
            present = any(key == code or key.startswith(f"{code}.") for key in request.POST)
            if not present:
                continue
            answer = _answer_from_form(question, request.POST)
            try:
                cleaned = validate_answers(instrument, profile, {code: answer})
            except AllianceError as problem:
                error = problem.message(current_lang())
                continue
            diagnostic.answers = {
                k: v for k, v in diagnostic.answers.items() if k != code
            } | cleaned
        diagnostic.instrument_version = instrument.version
        diagnostic.save()
    scores = diagnostic.scores()
    categories = sorted(
        {
            s.partnership.category
            for s in organisation.sides.select_related("partnership")
            if s.partnership.category
        }
    )
    context = {
        "organisation": organisation,
        "questions": instrument.for_profile(profile),
        "answers": diagnostic.answers,
        "scores": scores,
        "steps": next_steps(
            scores,
            organisation.profile
            if organisation.profile
            in {"associations", "entreprises", "fondations", "collectivites_territoriales"}
            else profile,
            categories_used=categories,
        ),
        "error": error,
        "can_edit": can(request.user, Action.EDIT, organisation),
        "levers": default_referential().framework("levers"),
        "categories": default_referential().framework("partnership-categories").roots(),
    }
    partial = request.headers.get("HX-Request") and request.method == "POST"
    return render(
        request, "partnerships/_scores.html" if partial else "partnerships/diagnostic.html", context
    )


@login_required
def partnerships_page(request: HttpRequest, pk: int) -> HttpResponse:
    """List the organisation's partnerships; start a new one."""
    organisation = _organisation(request, pk, Action.READ)
    if request.method == "POST":
        if not can(request.user, Action.EDIT, organisation):
            raise Http404
        title = request.POST.get("title", "").strip()[:200]
        if title:
            partnership = Partnership.objects.create(title=title)
            Side.objects.create(partnership=partnership, organisation=organisation)
            return redirect("partnership", partnership.pk)
    sides = organisation.sides.select_related("partnership")
    return render(
        request,
        "partnerships/list.html",
        {
            "organisation": organisation,
            "sides": sides,
            "can_edit": can(request.user, Action.EDIT, organisation),
        },
    )


@login_required
def partnership_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a partnership: each partner's side, what they agreed together, invitations."""
    partnership = _partnership(request, pk)
    mine = editable_sides(request.user, partnership)
    notice = ""
    if request.method == "POST" and mine:
        side = mine[0]
        form = request.POST.get("form")
        if form == "agreed":
            partnership.category = request.POST.get("category", "")
            partnership.common_objective = request.POST.get("common_objective", "")[:300]
            partnership.contract = request.POST.get("contract", "")
            partnership.save()
        elif form == "side":
            side.objectives = {
                code: int(priority)
                for code in (o.code for o in default_referential().framework("objectives"))
                if (priority := request.POST.get(f"objective.{code}", "")) in {"1", "2", "3"}
            }
            side.contributions = {
                k: request.POST.get(k, "")[:300] for k in ("money", "skills", "in_kind", "time")
            }
            side.save()
        elif form == "invite":
            email = request.POST.get("email", "").strip()
            if "@" in email:
                _, token = Invitation.create(partnership, email, side.organisation)
                link = request.build_absolute_uri(reverse("invitation", args=[token]))
                send_mail(
                    f"Invitation : {partnership.title}",
                    f"{side.organisation.name} vous invite à qualifier et évaluer le "
                    f"partenariat « {partnership.title} » : {link}",
                    None,
                    [email],
                )
                notice = "invited"
    referential = default_referential()
    context = {
        "partnership": partnership,
        "sides": partnership.sides.select_related("organisation"),
        "mine": mine[0] if mine else None,
        "objectives": list(referential.framework("objectives")),
        "categories": referential.framework("partnership-categories").roots(),
        "notice": notice,
    }
    return render(request, "partnerships/detail.html", context)


@login_required
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation for one of the organisations one may edit for."""
    invitation = Invitation.find(token)
    if invitation is None:
        raise Http404
    choices = [o for o in visible_organisations(request.user) if can(request.user, Action.EDIT, o)]
    if request.method == "POST":
        chosen = next((o for o in choices if str(o.pk) == request.POST.get("organisation")), None)
        if chosen is not None:
            Side.objects.get_or_create(partnership=invitation.partnership, organisation=chosen)
            invitation.accepted_by = chosen
            invitation.save()
            return redirect("partnership", invitation.partnership.pk)
    return render(
        request, "partnerships/invitation.html", {"invitation": invitation, "choices": choices}
    )


@login_required
def evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Score the partnership on the grid; see both partners' views side by side."""
    partnership = _partnership(request, pk)
    mine = editable_sides(request.user, partnership)
    error = ""
    if request.method == "POST" and mine:
        raw: dict[str, dict[str, object]] = {c.object: {} for c in grid()}
        for cell in grid():
            raw[cell.object][cell.approach] = request.POST.get(f"{cell.object}.{cell.approach}", "")
        try:
            scores = validate_scores(raw)
        except AllianceError as problem:
            error = problem.message(current_lang())
        else:
            comments = {o: request.POST.get(f"comment.{o}", "")[:1000] for o in raw}
            Evaluation.objects.create(
                partnership=partnership,
                organisation=mine[0].organisation,
                scores=scores,
                comments=comments,
            )
            return redirect("evaluation", partnership.pk)
    sides = list(partnership.sides.select_related("organisation"))
    latest = {
        side.organisation_id: side.organisation.evaluations.filter(partnership=partnership).first()
        for side in sides
    }
    first, second = [*sides, None, None][:2]
    comparison = []
    first_latest = latest.get(first.organisation_id) if first else None
    second_latest = latest.get(second.organisation_id) if second else None
    if first_latest is not None and second_latest is not None:
        comparison = compare(first_latest.scores, second_latest.scores)
    referential = default_referential()
    context = {
        "partnership": partnership,
        "mine": mine[0] if mine else None,
        "objects": list(referential.framework("evaluation-objects")),
        "approaches": list(referential.framework("evaluation-approaches")),
        "first": first,
        "second": second,
        "comparison": comparison,
        "history": partnership.evaluations.select_related("organisation"),
        "mine_latest": latest.get(mine[0].organisation_id) if mine else None,
        "error": error,
    }
    return render(request, "partnerships/evaluation.html", context)
