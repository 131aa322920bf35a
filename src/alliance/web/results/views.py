"""Published studies: the studies, a study's populations, a population's chart and table, files.

Addresses: ``/results/`` (every study), ``/results/<study>/``, ``/results/<study>/<population>/``
and their downloads ``download.<csv|xlsx|parquet>`` (``?convention=fr`` for a French CSV). The
demo's old addresses ``/results/<population>/`` lead to the latest published study's population.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from alliance.i18n import Lang
from alliance.report.charts import Bar, share_chart
from alliance.report.numbers import number, percent
from alliance.study.results import PopulationInfo
from alliance.web.language import current_lang
from alliance.web.results.catalogue import current_version, current_versions, population_redirect
from alliance.web.results.downloads import FORMATS, download_response, estimates_frame
from alliance.web.results.models import Estimate, StudyVersion

__all__ = [
    "estimate_row", "estimates_section", "population_download", "population_page", "results_page",
    "study_download", "study_page",
]  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One shown estimate, written for the page's language."""

    label: str
    wave: str
    group: str
    value: str
    interval: str
    n: int
    fragile: bool
    published: str


def results_page(request: HttpRequest) -> HttpResponse:
    """List every published study: title, populations, waves, version, publication date."""
    lang = current_lang()
    studies = [
        {
            "version": version,
            "title": version.study.title(lang),
            "populations": [_label(p, lang) for p in version.populations()],
            "waves": version.waves,
        }
        for version in current_versions()
    ]
    return render(request, "results/list.html", {"studies": studies})


def study_page(request: HttpRequest, study: str) -> HttpResponse:
    """List a study's populations; an old ``/results/<population>/`` address is redirected."""
    version = current_version(study)
    if version is None:
        found = population_redirect(study)
        if found is None:
            raise Http404(study)
        return redirect("population", study=found.study.code, population=study)
    lang = current_lang()
    counts = dict(
        version.estimates.filter(by="", suppressed=False)
        .values_list("population")
        .annotate(count=Count("pk"))
        .values_list("population", "count")
    )
    populations = [
        {
            "code": p.population,
            "name": _label(p, lang),
            "universe": p.universe.get(lang, ""),
            "waves": [w.wave for w in p.waves],
            "count": counts.get(p.population, 0),
        }
        for p in version.populations()
    ]
    context = {"version": version, "title": version.study.title(lang), "populations": populations}
    return render(request, "results/study.html", context)


def population_page(request: HttpRequest, study: str, population: str) -> HttpResponse:
    """Show a population's results: chart and table by wave, or by segment (``?view=segments``)."""
    version, info = _population(study, population)
    lang = current_lang()
    estimates = version.estimates.filter(population=population)
    segments = _segments(info, estimates)
    by_segment = request.GET.get("view") == "segments" and bool(segments)
    by, wave, waves = "", "", []
    if by_segment:
        by = request.GET.get("by") or segments[0][0]
        if by not in dict(segments):
            raise Http404(by)
        known = set(estimates.filter(by=by).values_list("wave", flat=True))
        waves = [w for w in _waves(info) if w in known] + sorted(known - set(_waves(info)))
        wave = request.GET.get("wave") or waves[-1]
        if wave not in waves:
            if wave not in _waves(info):
                raise Http404(wave)
            wave = waves[-1]  # another segment was chosen in the form: its latest wave
        selected = list(estimates.filter(by=by, wave=wave))
    else:
        selected = list(estimates.filter(by=""))
    key = ":".join(
        ["chart", version.study.code, str(version.number), version.digest[:16], population, by,
         wave, lang]
    )  # fmt: skip
    context = {
        "version": version,
        "study": version.study,
        "study_title": version.study.title(lang),
        "population": population,
        "name": _label(info, lang),
        "universe": info.universe.get(lang, ""),
        "waves_info": info.waves,
        "segments": segments,
        "by": by,
        "waves": waves,
        **estimates_section(selected, lang, key, by_segment=by_segment, wave=wave),
    }
    return render(request, "results/population.html", context)


def estimates_section(
    selected: list[Estimate],
    lang: Lang,
    key: str,
    *,
    by_segment: bool = False,
    wave: str = "",
    alt_id: str = "chart-alt",
) -> dict[str, Any]:
    """Return what ``results/estimates.html`` shows of ``selected``: chart, rows, flags, notes.

    The public population page and the workspace's preview of a run not yet published show
    estimates the same way. ``key`` names the chart in the cache; ``alt_id`` is the id of its
    text alternative (one per chart of a page).
    """
    shown = [e for e in selected if e.shown]
    bars = [
        Bar(e.label(lang), e.group_label(lang) if by_segment else e.wave, e.estimate, low, high)
        for e in shown
        if e.statistic == "share"
        and e.estimate is not None
        and (low := e.ci_low) is not None
        and (high := e.ci_high) is not None
    ]
    return {
        "by_segment": by_segment,
        "wave": wave,
        "rows": [estimate_row(e, lang) for e in shown],
        "hidden": len(selected) - len(shown),
        "any_fragile": any(e.fragile for e in shown),
        "any_published": any(e.published is not None for e in shown),
        "sources": sorted({e.published_source for e in shown if e.published_source}),
        "chart": _chart(key, bars, lang, alt_id),
        "alt_id": alt_id,
        "alt": " ; ".join(
            f"{b.label} ({b.series}) : {percent(b.estimate, lang)} "
            f"[{percent(b.low, lang)} – {percent(b.high, lang)}]"
            for b in bars
        ),
    }


def study_download(request: HttpRequest, study: str, format: str) -> HttpResponse:
    """Download every estimate of the study (CSV, XLSX, Parquet)."""
    version = current_version(study)
    if version is None:
        found = population_redirect(study)
        if found is None:
            raise Http404(study)
        return _redirect_download(request, found, study, format)
    return _download(request, version.estimates.all(), study, format)


def population_download(
    request: HttpRequest, study: str, population: str, format: str
) -> HttpResponse:
    """Download the population's estimates (CSV, XLSX, Parquet)."""
    version, _info = _population(study, population)
    estimates = version.estimates.filter(population=population)
    return _download(request, estimates, f"{study}-{population}", format)


def _population(study: str, population: str) -> tuple[StudyVersion, PopulationInfo]:
    version = current_version(study)
    info = version.population(population) if version else None
    if version is None or info is None:
        raise Http404(population)
    return version, info


def _label(info: PopulationInfo, lang: Lang) -> str:
    return info.label.get(lang) or info.population


def _waves(info: PopulationInfo) -> list[str]:
    return [w.wave for w in info.waves]


def _segments(info: PopulationInfo, estimates: QuerySet[Estimate]) -> list[tuple[str, str]]:
    """Return the population's segment variables that have estimates, with their labels."""
    found = set(estimates.exclude(by="").values_list("by", flat=True))
    ordered = [s for s in info.segments if s in found] + sorted(found - set(info.segments))
    return [(s, info.segment_label(s, current_lang())) for s in ordered]


def estimate_row(estimate: Estimate, lang: Lang) -> Row:
    """Write a shown estimate for the page's language (territory pages show them alike)."""
    assert estimate.estimate is not None
    value = _value(estimate.statistic, estimate.estimate, lang)
    interval = ""
    if estimate.ci_low is not None and estimate.ci_high is not None:
        low = _value(estimate.statistic, estimate.ci_low, lang)
        interval = f"{low} – {_value(estimate.statistic, estimate.ci_high, lang)}"
    published = ""
    if estimate.published is not None:
        published = _value(estimate.statistic, estimate.published, lang)
    return Row(
        label=estimate.label(lang),
        wave=estimate.wave,
        group=estimate.group_label(lang),
        value=value,
        interval=interval,
        n=estimate.n,
        fragile=estimate.fragile,
        published=published,
    )


def _value(statistic: str, value: float, lang: Lang) -> str:
    """Write a share as a percentage, a mean with two decimals, a total as a whole number."""
    if statistic == "share":
        return percent(value, lang)
    return number(value, lang, 2 if statistic == "mean" else 0)


def _chart(key: str, bars: list[Bar], lang: Lang, alt_id: str) -> SafeString:
    """Return the accessible chart; rendered once per version, view and language (cached)."""
    svg: str | None = cache.get(key)
    if svg is None:
        axis = _("Part (IC 95 %)")
        svg = share_chart(bars, axis_title=axis, lang=lang) if bars else ""
        cache.set(key, svg, timeout=None)
    return mark_safe(
        svg.split("?>", 1)[-1].replace("<svg ", f'<svg role="img" aria-labelledby="{alt_id}" ', 1)
    )


def _french(request: HttpRequest) -> bool | None:
    """Whether a French CSV is asked (``?convention=fr``); None for an unknown convention."""
    convention = request.GET.get("convention", "")
    return {"": False, "fr": True}.get(convention)


def _download(
    request: HttpRequest, estimates: QuerySet[Estimate], name: str, format: str
) -> HttpResponse:
    if format not in FORMATS:
        raise Http404(format)
    french = _french(request)
    if french is None:
        return HttpResponseBadRequest(_("Convention inconnue : « fr » ou rien."))
    frame = estimates_frame(estimates, current_lang())
    return download_response(frame, name, format, french=french)


def _redirect_download(
    request: HttpRequest, version: StudyVersion, population: str, format: str
) -> HttpResponse:
    url = reverse("population_download", args=[version.study.code, population, format])
    query = urlencode(request.GET)
    return redirect(f"{url}?{query}" if query else url)
