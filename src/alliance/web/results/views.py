"""Study results: a page per population with the notebook's chart, its table and downloads."""

from __future__ import annotations

import csv
import io

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook

from alliance.demo.notebook import POPULATIONS
from alliance.report.charts import Bar, share_chart
from alliance.report.numbers import percent
from alliance.web.language import current_lang
from alliance.web.results.models import StudyResult

__all__ = ["download", "population_page", "results_page"]


def _rows(population: str, segment: bool) -> list[StudyResult]:
    rows = StudyResult.objects.filter(population=population)
    return list(rows.exclude(segment="") if segment else rows.filter(segment=""))


def _version() -> int:
    """Identify the loaded results (loading replaces the rows, so their ids change)."""
    last = StudyResult.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def results_page(request: HttpRequest) -> HttpResponse:
    """List the populations of the study."""
    lang = current_lang()
    populations = [
        (code, names[lang], StudyResult.objects.filter(population=code, segment="").count())
        for code, names in POPULATIONS.items()
    ]
    return render(request, "results/list.html", {"populations": populations})


def population_page(request: HttpRequest, population: str) -> HttpResponse:
    """Show a population's results: chart of both waves (or by segment), table, downloads."""
    if population not in POPULATIONS:
        raise Http404(population)
    lang = current_lang()
    by_segment = request.GET.get("view") == "segments"
    rows = _rows(population, by_segment)
    if by_segment:
        bars = [Bar(r.segment_label(lang), r.label(lang), r.estimate, r.low, r.high) for r in rows]
    else:
        bars = [Bar(r.label(lang), str(r.wave), r.estimate, r.low, r.high) for r in rows]
    key = f"chart:{population}:{by_segment}:{lang}:{_version()}"
    svg = cache.get(key)
    if svg is None:  # charts change only when results are loaded again: render each once
        axis = _("Part « fort + très fort » (IC 95 %)")
        svg = share_chart(bars, axis_title=axis, lang=lang) if bars else ""
        cache.set(key, svg, timeout=None)
    alt = " ; ".join(
        f"{b.label} ({b.series}) : {percent(b.estimate, lang)} "
        f"[{percent(b.low, lang)} – {percent(b.high, lang)}]"
        for b in bars
    )
    context = {
        "population": population,
        "name": POPULATIONS[population][lang],
        "rows": rows,
        "by_segment": by_segment,
        "chart": mark_safe(
            svg.split("?>", 1)[-1].replace(
                "<svg ", '<svg role="img" aria-labelledby="chart-alt" ', 1
            )
        ),
        "alt": alt,
    }
    return render(request, "results/population.html", context)


def download(request: HttpRequest, population: str, format: str) -> HttpResponse:
    """Download the population's results as CSV or XLSX (shares as numbers)."""
    if population not in POPULATIONS or format not in ("csv", "xlsx"):
        raise Http404(population)
    lang = current_lang()
    header = [
        "population",
        "item",
        "wave",
        "segment",
        "estimate",
        "ci_low",
        "ci_high",
        "n",
        "fragile",
        "synthetic",
    ]
    records = [
        [
            population,
            r.label(lang),
            r.wave,
            r.segment_label(lang),
            r.estimate,
            r.low,
            r.high,
            r.n,
            int(r.fragile),
            int(r.synthetic),
        ]
        for r in StudyResult.objects.filter(population=population)
    ]
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(records)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(header)
        for record in records:
            sheet.append(record)
        stream = io.BytesIO()
        book.save(stream)
        response = HttpResponse(
            stream.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{population}.{format}"'
    return response
