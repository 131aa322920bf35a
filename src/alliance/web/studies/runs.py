"""A study's runs in the workspace: start one, follow it, read its weighting, preview, publish.

Pages under ``/studies/<code>/runs/``, for the analysts who manage the study
(:func:`~alliance.web.permissions.permitted_study`). A run is a background job
(:mod:`alliance.web.studies.running`): its page shows the job's progress until it is done, then
what it found, with links to its weighting diagnostics, the preview of its estimates as readers
will see them, and its notebook; publishing is one button.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from alliance.errors import ConflictError
from alliance.i18n import Lang
from alliance.report.charts import Bar, histogram_chart, share_chart
from alliance.report.numbers import number, percent, points
from alliance.study.outputs import OUTPUT_FILES
from alliance.web.accounts.models import User
from alliance.web.language import current_lang
from alliance.web.permissions import permitted_study
from alliance.web.results.models import StudyVersion
from alliance.web.results.publishing import estimate_rows
from alliance.web.results.views import estimates_section
from alliance.web.studies.models import Run
from alliance.web.studies.publication import publish_run, run_results
from alliance.web.studies.running import outputs_folder, start_run

__all__ = [
    "notebook_page", "output_file", "preview_page", "publish_page", "run_new", "run_page",
    "weighting_page",
]  # fmt: skip

#: What the outputs' downloads are served as.
CONTENT_TYPES = {
    "notebook.html": "text/html; charset=utf-8",
    "notebook.pdf": "application/pdf",
    "tables.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "provenance.json": "application/json",
    "estimates.csv": "text/csv; charset=utf-8",
    "results.json": "application/json",
    "datapackage.json": "application/json",
}
#: The notebook is the run's own HTML: shown in a sandbox where nothing in it may run or load.
NOTEBOOK_POLICY = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
)


def _run(request: HttpRequest, code: str, number: int) -> Run:
    """Return the study's run ``number`` if the caller manages the study (else 403/404)."""
    study = permitted_study(request, code)
    return get_object_or_404(Run.objects.select_related("job", "study"), study=study, number=number)


def _done(run: Run) -> bool:
    return run.job.status == run.job.Status.DONE and run.results is not None


@login_required
@require_POST
def run_new(request: HttpRequest, code: str) -> HttpResponse:
    """Start a run of the study's stored files; show its page (progress, then its findings)."""
    study = permitted_study(request, code)
    assert isinstance(request.user, User)
    run = start_run(study, request.user, current_lang())
    return redirect("workspace_run", code=study.code, number=run.number)


@login_required
def run_page(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Show a run: its job's progress, its problems if it failed, a summary once done."""
    run = _run(request, code, number)
    context: dict[str, Any] = {"run": run, "study": run.study, "job": run.job, "done": _done(run)}
    if context["done"]:
        results = run_results(run)
        lang = current_lang()
        context |= {
            "populations": [
                {
                    "label": p.label.get(lang) or p.population,
                    "waves": [{"wave": w.wave, "n": w.n, "file": w.file} for w in p.waves],
                }
                for p in results.populations
            ],
            "estimates": len(results.estimates),
            "fragile": sum(1 for r in results.estimates if r.fragile and not r.suppressed),
            "suppressed": sum(1 for r in results.estimates if r.suppressed),
        }
    return render(request, "studies/run.html", context)


@dataclass(frozen=True)
class MarginRow:
    """One category of a margin variable: sample share, weighted share, target."""

    variable: str
    category: str
    before: str
    after: str
    target: str
    gap: str


@login_required
def weighting_page(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Show how each wave was weighted: margins, weights' range, efficiency, a chart of weights."""
    run = _run(request, code, number)
    if not _done(run):
        return redirect("workspace_run", code=code, number=number)
    lang = current_lang()
    key = f"weighting:{run.study.code}:{run.number}:{run.job_id}:{lang}"
    waves = [_wave(record, lang, index, key) for index, record in enumerate(run.weighting)]
    return render(
        request, "studies/weighting.html", {"run": run, "study": run.study, "waves": waves}
    )


def _wave(record: dict[str, Any], lang: Lang, index: int, key: str) -> dict[str, Any]:
    """Return what the weighting page shows of one population's wave (charts drawn once)."""
    margins = record["margins"]
    rows = [
        MarginRow(
            variable=m["variable_label"].get(lang, m["variable"]),
            category=m["category_label"].get(lang, m["category"]),
            before=percent(m["before"], lang),
            after=percent(m["after"], lang),
            target=percent(m["target"], lang),
            gap=points(m["after"] - m["target"], lang, 2),
        )
        for m in margins
    ]
    histogram = record["histogram"]
    bins = [
        f"{number(low, lang, 2)} – {number(high, lang, 2)} : {count}"
        for low, high, count in zip(
            histogram["edges"][:-1], histogram["edges"][1:], histogram["counts"], strict=True
        )
    ]
    weights_id, margins_id = f"weights-{index}", f"margins-{index}"
    weights_chart: str | None = cache.get(f"{key}:{index}:weights")
    if weights_chart is None:
        weights_chart = histogram_chart(
            histogram["edges"],
            histogram["counts"],
            axis_title=_("Poids"),
            count_title=_("Répondants"),
            lang=lang,
        )
        cache.set(f"{key}:{index}:weights", weights_chart, timeout=None)
    margins_chart: str | None = cache.get(f"{key}:{index}:margins")
    if margins_chart is None:
        margins_chart = _margins_chart(margins, rows, lang)
        cache.set(f"{key}:{index}:margins", margins_chart, timeout=None)
    return {
        "label": record["label"].get(lang, record["population"]),
        "wave": record["wave"],
        "n": record["n"],
        "raked": record["raked"],
        "effective_n": number(record["effective_n"], lang, 1),
        "efficiency": percent(record["efficiency"], lang),
        "min_weight": number(record["min_weight"], lang, 2),
        "max_weight": number(record["max_weight"], lang, 2),
        "ratio": number(record["ratio"], lang, 1),
        "iterations": record["iterations"],
        "largest_gap": f"{record['largest_gap']:.1e}",
        "design": record["design"],
        "trimming": record["trimming"],
        "margins": rows,
        "weights_chart": _svg(weights_chart, weights_id),
        "weights_id": weights_id,
        "bins": bins,
        "margins_chart": _svg(margins_chart, margins_id) if margins_chart else "",
        "margins_id": margins_id,
    }


def _margins_chart(margins: list[dict[str, Any]], rows: list[MarginRow], lang: Lang) -> str:
    """Return bars of each margin category: sample, after weighting, target (none if unraked)."""
    if not margins:
        return ""
    names = (_("Échantillon"), _("Après pondération"), _("Cible"))
    bars = [
        Bar(f"{row.variable} : {row.category}", name, value, value, value)
        for m, row in zip(margins, rows, strict=True)
        for name, value in zip(names, (m["before"], m["after"], m["target"]), strict=True)
    ]
    return share_chart(bars, axis_title=_("Part"), lang=lang)


def _svg(svg: str, alt_id: str) -> SafeString:
    """Return the chart's SVG labelled by its text (drawn from numbers, never from input)."""
    body = svg.split("?>", 1)[-1]
    return mark_safe(body.replace("<svg ", f'<svg role="img" aria-labelledby="{alt_id}" ', 1))


@login_required
def preview_page(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Show the run's estimates as readers will see them once published (not published yet)."""
    run = _run(request, code, number)
    if not _done(run):
        return redirect("workspace_run", code=code, number=number)
    results = run_results(run)
    lang = current_lang()
    draft = StudyVersion(study=run.study, number=0, digest=results.digest())
    rows = estimate_rows(results, draft)
    sections = []
    for index, population in enumerate(results.populations):
        code_ = population.population
        mine = [e for e in rows if e.population == code_]
        key = f"preview:{run.study.code}:{run.number}:{draft.digest[:16]}:{code_}"
        parts = [
            {
                "title": _("Ensemble, par vague"),
                **estimates_section(
                    [e for e in mine if not e.by], lang, f"{key}::{lang}", alt_id=f"alt-{index}"
                ),
            }
        ]
        latest = population.waves[-1].wave if population.waves else ""
        for position, segment in enumerate(population.segments):
            selected = [e for e in mine if e.by == segment and e.wave == latest]
            if selected:
                parts.append(
                    {
                        "title": population.segment_label(segment, lang),
                        **estimates_section(
                            selected,
                            lang,
                            f"{key}:{segment}:{lang}",
                            by_segment=True,
                            wave=latest,
                            alt_id=f"alt-{index}-{position}",
                        ),
                    }
                )
        sections.append(
            {
                "label": population.label.get(lang) or code_,
                "waves": population.waves,
                "parts": parts,
            }
        )
    context = {
        "run": run,
        "study": run.study,
        "title": results.title.get(lang) or results.study,
        "synthetic": results.synthetic,
        "sections": sections,
        "fragile_below": results.fragile_below,
        "suppress_below": results.suppress_below,
    }
    return render(request, "studies/preview.html", context)


@login_required
def notebook_page(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Show the run's notebook (sandboxed) with links to download its files."""
    run = _run(request, code, number)
    if not _done(run):
        return redirect("workspace_run", code=code, number=number)
    return render(
        request, "studies/notebook.html", {"run": run, "study": run.study, "files": OUTPUT_FILES}
    )


@login_required
@xframe_options_sameorigin
def output_file(
    request: HttpRequest, code: str, number: int, name: str
) -> HttpResponse | FileResponse:
    """Serve one of the run's outputs to those who manage the study (the notebook sandboxed)."""
    run = _run(request, code, number)
    if name not in CONTENT_TYPES or not _done(run) or not run.outputs:
        raise Http404(name)
    path = outputs_folder(run) / name
    if not path.is_file():
        raise Http404(name)
    response = FileResponse(
        path.open("rb"),
        content_type=CONTENT_TYPES[name],
        as_attachment=name != "notebook.html",
        filename=f"{run.study.code}-{run.number}-{name}",
    )
    if name == "notebook.html":
        response.headers["Content-Security-Policy"] = NOTEBOOK_POLICY
    return response


@login_required
@require_POST
def publish_page(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Publish the run's results; say whether a new version was made or nothing changed."""
    run = _run(request, code, number)
    assert isinstance(request.user, User)
    try:
        version, created = publish_run(run, request.user)
    except ConflictError as refused:
        messages.error(request, refused.message(current_lang()))
        return redirect("workspace_run", code=code, number=number)
    if created:
        messages.success(request, _("Version %(number)d publiée.") % {"number": version.number})
    else:
        messages.info(
            request,
            _("Ces résultats sont déjà ceux de la version %(number)d : rien n'a été publié.")
            % {"number": version.number},
        )
    return redirect("workspace_versions", code=code)
