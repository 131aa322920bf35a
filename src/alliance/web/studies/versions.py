"""A study's published versions in the workspace: the list, the audit trail, withdrawal, compare.

Every publication and withdrawal is a :class:`~alliance.web.studies.models.PublicationEvent`
(who, what, when), kept in the database and shown here. Two versions' estimates can be compared
side by side, row by row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.errors import ConflictError
from alliance.i18n import Lang
from alliance.report.numbers import number, percent, points
from alliance.web.accounts.models import User
from alliance.web.language import current_lang
from alliance.web.permissions import permitted_study
from alliance.web.results.models import StudyVersion
from alliance.web.studies.models import PublicationEvent
from alliance.web.studies.publication import Comparison, compare, unpublish

__all__ = ["compare_page", "unpublish_page", "versions_page"]


@login_required
def versions_page(request: HttpRequest, code: str) -> HttpResponse:
    """List every version (published when, by whom, withdrawn?) and the audit trail."""
    study = permitted_study(request, code)
    versions = list(study.versions.select_related("published_by").order_by("-number"))
    events = PublicationEvent.objects.filter(study=study).select_related("user", "version", "run")
    current = study.current()
    context = {
        "study": study,
        "versions": versions,
        "current": current.number if current else None,
        "events": events,
    }
    return render(request, "studies/versions.html", context)


@login_required
@require_POST
def unpublish_page(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Withdraw a version: readers see the previous one, or no longer see the study."""
    study = permitted_study(request, code)
    version = get_object_or_404(StudyVersion, study=study, number=number)
    assert isinstance(request.user, User)
    try:
        unpublish(version, request.user)
    except ConflictError as refused:
        messages.error(request, refused.message(current_lang()))
    else:
        messages.success(request, _("Version %(number)d dépubliée.") % {"number": number})
    return redirect("workspace_versions", code=code)


@dataclass(frozen=True)
class Line:
    """One compared row, written for the page."""

    status: str
    population: str
    wave: str
    label: str
    group: str
    a: str
    b: str
    difference: str
    interval_a: str
    interval_b: str
    n_a: str
    n_b: str


@login_required
def compare_page(request: HttpRequest, code: str) -> HttpResponse:
    """Show two versions' estimates side by side: changed rows marked, added and removed ones."""
    study = permitted_study(request, code)
    chosen = []
    for name in ("a", "b"):
        value = request.GET.get(name, "")
        if not value.isdigit():
            raise Http404(name)
        chosen.append(get_object_or_404(StudyVersion, study=study, number=int(value)))
    a, b = chosen
    lang = current_lang()
    lines = [_line(c, lang) for c in compare(a, b, lang)]
    context = {
        "study": study,
        "a": a,
        "b": b,
        "lines": lines,
        "versions": list(study.versions.order_by("-number")),
        "counts": {s: sum(1 for line in lines if line.status == s) for s in _STATUSES},
    }
    return render(request, "studies/compare.html", context)


_STATUSES = ("changed", "added", "removed", "same")


def _line(c: Comparison, lang: Lang) -> Line:
    share = c.statistic == "share"

    def value(side: dict[str, float | int | bool | None] | None) -> str:
        if side is None:
            return ""
        if side["suppressed"]:
            return _("masquée")
        estimate = side["estimate"]
        if not isinstance(estimate, float):
            return ""
        text = percent(estimate, lang) if share else number(estimate, lang, 2)
        return f"{text} ⚠" if side["fragile"] else text

    def interval(side: dict[str, float | int | bool | None] | None) -> str:
        if side is None:
            return ""
        low, high = side["ci_low"], side["ci_high"]
        if not isinstance(low, float) or not isinstance(high, float):
            return ""
        if share:
            return f"{percent(low, lang)} – {percent(high, lang)}"
        return f"{number(low, lang, 2)} – {number(high, lang, 2)}"

    difference = c.difference
    shown = ""
    if difference is not None:
        shown = points(difference, lang) if share else number(difference, lang, 2)
    return Line(
        status=c.status,
        population=c.population,
        wave=c.wave,
        label=c.label,
        group=c.group_label or c.group,
        a=value(c.a),
        b=value(c.b),
        difference=shown,
        interval_a=interval(c.a),
        interval_b=interval(c.b),
        n_a="" if c.a is None else str(c.a["n"]),
        n_b="" if c.b is None else str(c.b["n"]),
    )
