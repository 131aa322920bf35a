"""The catalogue: a faceted, paginated search (htmx updates the results as one types)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from alliance.i18n import Lang
from alliance.referential import default_referential
from alliance.territory.geography import place_name
from alliance.web.examples.models import InspiringExample
from alliance.web.examples.search import Filters, search
from alliance.web.language import current_lang

__all__ = ["PAGE_SIZE", "example_page", "examples_page", "filters_from"]

PAGE_SIZE = 12
REGIONS = [
    "ARA",
    "BFC",
    "BRE",
    "CVL",
    "COR",
    "GES",
    "HDF",
    "IDF",
    "NOR",
    "NAQ",
    "OCC",
    "PDL",
    "PAC",
]


def filters_from(request: HttpRequest) -> Filters:
    """Read the search and facets from the query string (bad values are ignored)."""
    sdg = request.GET.get("sdg", "")
    return Filters(
        q=request.GET.get("q", "")[:200],
        category=request.GET.get("category", ""),
        profile=request.GET.get("profile", ""),
        region=request.GET.get("region", ""),
        sdg=int(sdg) if sdg.isdigit() and 1 <= int(sdg) <= 17 else None,
        stage=request.GET.get("stage", ""),
    )


def _facets(lang: Lang) -> dict[str, list[tuple[str, str]]]:
    referential = default_referential()

    def roots(code: str) -> list[tuple[str, str]]:
        return [(item.code, item.label(lang)) for item in referential.framework(code).roots()]

    return {
        "category": roots("partnership-categories"),
        "profile": [(i.code, i.label(lang)) for i in referential.framework("actor-profiles")],
        "region": sorted(((code, place_name(code, lang)) for code in REGIONS), key=lambda r: r[1]),
        "stage": [(i.code, i.label(lang)) for i in referential.framework("innovation-stages")],
        "sdg": [(str(n), str(n)) for n in range(1, 18)],
    }


def _without_page(request: HttpRequest) -> str:
    """Return the search's query string without its page, for the pages' links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def examples_page(request: HttpRequest) -> HttpResponse:
    """Search the catalogue; htmx requests get the results list alone."""
    filters = filters_from(request)
    page = Paginator(search(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "facets": _facets(current_lang()),
        "query": _without_page(request),
    }
    template = (
        "examples/_results.html" if request.headers.get("HX-Request") else "examples/list.html"
    )
    return render(request, template, context)


def example_page(request: HttpRequest, code: str) -> HttpResponse:
    """One example, every field with the referential's labels."""
    example = get_object_or_404(InspiringExample, code=code)
    referential = default_referential()
    lang = current_lang()

    def label(framework: str, code: str) -> str:
        try:
            return referential.label(f"{framework}/{code}", lang)
        except Exception:  # an example may cite a code the referential no longer has
            return code

    context = {
        "example": example,
        "category": label("partnership-categories", example.category),
        "objectives": [label("objectives", c) for c in example.objectives],
        "impacts": [label("impacts", c) for c in example.impacts],
        "stage": label("innovation-stages", example.innovation_stage)
        if example.innovation_stage
        else "",
        "partners": [
            (p["name"], label("actor-profiles", p["profile"]), p["profile"])
            for p in example.partners
        ],
    }
    return render(request, "examples/detail.html", context)
