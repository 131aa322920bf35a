"""The respondents' pages: public, no login, one question per screen, saved on every submit.

- ``/collect/<public code>/``: the anonymous link. It shows the privacy notice and a button to
  start; starting makes a random token, keeps it in a cookie (so the same browser comes back to
  its answers) and goes to ``/collect/<public code>/r/<token>/``, the resume link.
- ``/collect/invitation/<token>/``: a personal link from an e-mail, one answer each; an expired
  link, or one whose answer is complete, shows a page saying so (410).

Both answer pages work alike: a GET shows the item on screen with the saved answer (a reload
loses nothing); a POST saves it and redirects (``next``), goes back (``back``) or erases every
answer after a confirmation (``erase``). Skip logic is applied on the server with the
questionnaire's expressions: an item that does not apply is never shown and its answer is
cleared. The pages need no JavaScript.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from alliance.errors import AllianceError
from alliance.survey.questionnaire.model import ItemType, Question
from alliance.web.collection import service
from alliance.web.collection.models import Collection, CollectionInvitation, Response
from alliance.web.language import current_lang
from alliance.web.refusals import RefusalError, refusal_page

__all__ = ["anonymous_page", "answer_page", "invitation_page", "thanks_page"]

COOKIE = "alliance_collect_{code}"
#: What a respondent may still do once their answers are complete.
ERASE = ("erase", "erase_confirmed")
#: The resume cookie lasts as long as a collection is likely to stay open.
COOKIE_AGE = 60 * 60 * 24 * 120


def _collection(code: str) -> Collection:
    found = get_object_or_404(Collection.objects.select_related("study"), public_code=code)
    if not found.anonymous:
        raise Http404
    return found


@require_http_methods(["GET", "POST"])
def anonymous_page(request: HttpRequest, code: str) -> HttpResponse:
    """Show the anonymous link's notice, then start (or continue) the answers."""
    collection = _collection(code)
    if not collection.is_open:
        return refusal_page(request, RefusalError(HTTPStatus.GONE, "collection.closed"))
    kept = request.COOKIES.get(COOKIE.format(code=code), "")
    ongoing = service.respondent(collection, kept, current_lang(), create=False) if kept else None
    if ongoing is not None and ongoing.complete:
        ongoing = None
    if request.method == "POST":
        token = kept if ongoing is not None else service.new_token()
        try:
            service.respondent(collection, token, current_lang(), create=True)
        except RefusalError as refused:
            return refusal_page(request, refused)
        answer = redirect("collect_answer", code=code, token=token)
        answer.set_cookie(
            COOKIE.format(code=code), token, max_age=COOKIE_AGE, httponly=True, samesite="Lax",
            secure=request.is_secure(), path="/collect/",
        )  # fmt: skip
        return answer
    return render(request, "collection/start.html", _start_context(collection, ongoing))


def _start_context(collection: Collection, ongoing: Response | None) -> dict[str, Any]:
    lang = current_lang()
    form = collection.form()
    return {
        "collection": collection, "title": form.title(lang), "notice": collection.notice(lang),
        "ongoing": ongoing, "synthetic": collection.study.synthetic,
    }  # fmt: skip


@require_http_methods(["GET", "POST"])
def answer_page(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """Show the anonymous respondent's questionnaire (their resume link)."""
    collection = _collection(code)
    response = service.respondent(collection, token, current_lang(), create=False)
    if response is None:
        raise Http404
    here = reverse("collect_answer", args=[code, token])
    return _respond(request, collection, response, here, None)


@require_http_methods(["GET", "POST"])
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """Show the invited respondent's questionnaire: one answer per invitation."""
    invitation = CollectionInvitation.by_token(token)
    if invitation is None:
        raise Http404
    collection = invitation.collection
    response = service.respondent(collection, token, current_lang(), create=False)
    here = reverse("collect_invitation", args=[token])
    if not collection.is_open:
        return refusal_page(request, RefusalError(HTTPStatus.GONE, "collection.closed"))
    if response is not None and response.complete and _action(request) in ERASE:
        return _respond(request, collection, response, here, invitation)  # erasing stays possible
    try:
        service.check_alive(invitation, response)
    except RefusalError as refused:
        context = {"message": refused.message(current_lang()), "here": here if response else None}
        return render(request, "collection/refused.html", context, status=refused.status)
    if response is None:
        if request.method == "GET":
            return render(request, "collection/start.html", _start_context(collection, None))
        try:
            service.respondent(collection, token, current_lang(), create=True)
        except RefusalError as refused:
            return refusal_page(request, refused)
        return redirect("collect_invitation", token=token)
    return _respond(request, collection, response, here, invitation)


def thanks_page(request: HttpRequest) -> HttpResponse:
    """Thank the respondent (the answers are complete and saved), or say they are erased."""
    return render(request, "collection/thanks.html", {"erased": request.GET.get("erased") == "1"})


def _respond(
    request: HttpRequest,
    collection: Collection,
    response: Response,
    here: str,
    invitation: CollectionInvitation | None,
) -> HttpResponse:
    """Show the item on screen, or act on the submitted form (save, back, erase)."""
    if not collection.is_open:
        return refusal_page(request, RefusalError(HTTPStatus.GONE, "collection.closed"))
    action = _action(request)
    if response.complete and action not in ERASE:  # done: thanks, and erasing still possible
        if request.method == "POST":
            return redirect(here)
        return render(request, "collection/thanks.html", {"erased": False, "here": here})
    error = None
    try:
        if action == "erase":
            return render(request, "collection/erase.html", {"here": here})
        if action == "erase_confirmed":
            service.erase(collection, response)
            if invitation is not None:
                invitation.used = False
                invitation.save(update_fields=["used"])
            return redirect(f"{reverse('collect_thanks')}?erased=1")
        if action == "back":
            service.back(collection, response)
            return redirect(here)
        if action == "next":
            item = request.POST.get("item", "")
            response.language = current_lang()
            following = service.answer(collection, response, item, request.POST.getlist(item))
            if following is None and response.complete:
                if invitation is not None:
                    invitation.used = True
                    invitation.save(update_fields=["used"])
                return redirect("collect_thanks")
            return redirect(here)
    except RefusalError as refused:
        return refusal_page(request, refused)
    except AllianceError as refused:
        error = service.refusal_message(refused, current_lang())
    return _question(request, collection, response, here, error, request.POST if error else None)


def _action(request: HttpRequest) -> str:
    return request.POST.get("action", "next") if request.method == "POST" else ""


def _question(
    request: HttpRequest,
    collection: Collection,
    response: Response,
    here: str,
    error: str | None,
    posted: Any,
) -> HttpResponse:
    item, position, total = service.screen(collection, response)
    if item is None:  # every item answered but the last save did not complete it: complete now
        return redirect("collect_thanks")
    lang = current_lang()
    form = collection.form()
    values = posted.getlist(item.name) if posted is not None else _saved(response, item)
    context = {
        "collection": collection, "title": form.title(lang), "item": item,
        "label": item.label(lang), "kind": _kind(item), "choices": _choices(form, item, lang),
        "values": values, "position": position, "total": total, "error": error,
        "here": here, "first": position == 1, "synthetic": collection.study.synthetic,
    }  # fmt: skip
    return render(request, "collection/question.html", context, status=400 if error else 200)


def _saved(response: Response, item: Question) -> list[str]:
    value = response.answers.get(item.name)
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, float) and current_lang() == "fr":
        return [str(value).replace(".", ",")]
    return [str(value)]


def _kind(item: Question) -> str:
    return {
        ItemType.SELECT_ONE: "radio", ItemType.SELECT_MULTIPLE: "checkbox",
        ItemType.INTEGER: "integer", ItemType.DECIMAL: "decimal", ItemType.TEXT: "text",
    }[item.type]  # fmt: skip


def _choices(form: Any, item: Question, lang: str) -> list[dict[str, str]]:
    scale = form.scale_of(item)
    if scale is None:
        return []
    return [{"code": str(c.code), "label": c.label(lang)} for c in scale.choices]
