"""The analyst's pages of a study's collections, under ``/studies/<code>/collections/``.

Who may see them is :func:`alliance.web.permissions.permitted_study`'s rule, as for the rest of
the workspace. A collection's page shows its links, the complete and partial responses and the
quotas filling against the population's margins; ``alliance/collection.js`` polls
``GET /api/studies/{code}/collections/{id}/progress`` to keep the figures live (the page shows
them without JavaScript too). Closing writes the wave into the study's files.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from alliance.errors import AllianceError
from alliance.i18n import LANGUAGES
from alliance.web.accounts.models import User
from alliance.web.collection import service
from alliance.web.collection.models import Collection
from alliance.web.language import current_lang
from alliance.web.permissions import permitted_study
from alliance.web.refusals import refusal_status
from alliance.web.results.models import Study

__all__ = ["close_page", "collection_page", "collections_page", "invitations_page"]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required and permitted_study ensure it
    return request.user


def _list_context(study: Study) -> dict[str, Any]:
    lang = current_lang()
    populations = [s | {"name": s["label"][lang]} for s in service.sources(study)]
    return {
        "study": study, "populations": populations,
        "collections": study.collections.all(), "notice": service.default_notice(study),
        "values": {}, "error": None,
    }  # fmt: skip


@login_required
def collections_page(request: HttpRequest, code: str) -> HttpResponse:
    """List the study's collections, with a form to open one for a new wave."""
    study = permitted_study(request, code)
    context = _list_context(study)
    if request.method != "POST":
        return render(request, "collection/list.html", context)
    post = request.POST
    values: dict[str, Any] = {name: post.get(name, "").strip() for name in
              ("population", "wave", "goal", "notice_fr", "notice_en")}  # fmt: skip
    values["anonymous"] = post.get("anonymous") == "on"
    values["invitations"] = post.get("invitations") == "on"
    context["values"] = values
    try:
        created = service.create_collection(
            study, _user(request), population=values["population"], wave=values["wave"],
            anonymous=values["anonymous"], invitations=values["invitations"],
            goal=int(values["goal"]) if values["goal"].isdigit() else 100,
            notice={"fr": values["notice_fr"], "en": values["notice_en"]},
        )  # fmt: skip
    except AllianceError as error:
        context["error"] = error.message(current_lang())
        return render(request, "collection/list.html", context, status=refusal_status(error))
    return redirect("collection", code=study.code, pk=created.pk)


def _collection(request: HttpRequest, code: str, pk: int) -> Collection:
    study = permitted_study(request, code)
    return get_object_or_404(Collection.objects.select_related("study"), study=study, pk=pk)


def _page_context(request: HttpRequest, collection: Collection) -> dict[str, Any]:
    lang = current_lang()
    progress = service.progress(collection)
    for row in progress["quotas"]:
        row["name"] = row["label"][lang]
        row["variable_name"] = row["variable_label"][lang]
        row["percent"] = min(100, round(100 * row["filled"]))
    return {
        "collection": collection, "study": collection.study, "progress": progress,
        "title": collection.form().title(lang),
        "public_link": request.build_absolute_uri(
            reverse("collect_start", args=[collection.public_code])
        ),
        "invited": collection.sent_invitations.count(),
        "progress_url": reverse(
            "api:collection_progress", args=[collection.study.code, collection.pk]
        ),
        "error": None, "sent": None,
    }  # fmt: skip


@login_required
def collection_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Show a collection (links, live counts, quotas, invitations, closing); edit its notice."""
    collection = _collection(request, code, pk)
    if request.method == "POST":
        try:
            service.edit_notice(
                collection, {lang: request.POST.get(f"notice_{lang}", "") for lang in LANGUAGES}
            )
        except AllianceError as error:
            context = _page_context(request, collection)
            context["error"] = error.message(current_lang())
            return render(request, "collection/detail.html", context, status=refusal_status(error))
        return redirect("collection", code=code, pk=pk)
    context = _page_context(request, collection)
    sent = request.GET.get("sent", "")
    context["sent"] = int(sent) if sent.isdigit() else None
    return render(request, "collection/detail.html", context)


@login_required
@require_POST
def invitations_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Send personal links to the pasted addresses (bilingual mails, limited per day)."""
    collection = _collection(request, code, pk)

    def link(token: str) -> str:
        return request.build_absolute_uri(reverse("collect_invitation", args=[token]))

    try:
        sent = service.invite(collection, request.POST.get("addresses", ""), link)
    except AllianceError as error:
        context = _page_context(request, collection)
        context["error"] = error.message(current_lang())
        return render(request, "collection/detail.html", context, status=refusal_status(error))
    return redirect(f"{reverse('collection', args=[code, pk])}?sent={len(sent)}")


@login_required
@require_POST
def close_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Close the collection: the complete responses become the wave's file in the study."""
    collection = _collection(request, code, pk)
    try:
        path = service.close(collection, _user(request))
    except AllianceError as error:
        context = _page_context(request, collection)
        context["error"] = error.message(current_lang())
        return render(request, "collection/detail.html", context, status=refusal_status(error))
    return redirect("workspace_file", code=code, path=path)
