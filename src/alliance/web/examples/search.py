"""Searching the catalogue: facets, and full text that ignores case and accents.

On PostgreSQL, full-text search with the French configuration (stemming: « écoles » finds
« école ») on the folded text; on SQLite, every word of the query must begin a word of the folded
text (« ecole » finds « ecoles », « velo » does not find « developpement »).
Both ignore accents because the text and the query are folded the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from alliance.referential import default_referential
from alliance.text import normalise
from alliance.web.examples.models import InspiringExample

__all__ = ["Filters", "search"]


@dataclass(frozen=True)
class Filters:
    """A search: words and facets (each facet optional)."""

    q: str = ""
    category: str = ""
    profile: str = ""
    region: str = ""
    sdg: int | None = None
    stage: str = ""


def _with_descendants(framework: str, code: str) -> list[str]:
    """Return a code and the codes below it (« entreprises » also finds « pme »)."""
    found = default_referential().framework(framework)
    if code not in found:
        return [code]
    codes, frontier = [code], [code]
    while frontier:
        children = [c.code for parent in frontier for c in found.children(parent)]
        codes += children
        frontier = children
    return codes


def search(filters: Filters) -> QuerySet[InspiringExample]:
    """Return the examples matching ``filters``, best first when there are words."""
    found = InspiringExample.objects.all()
    if filters.category:
        found = found.filter(
            category__in=_with_descendants("partnership-categories", filters.category)
        )
    if filters.region:
        found = found.filter(region=filters.region)
    if filters.stage:
        found = found.filter(innovation_stage=filters.stage)
    if filters.profile:
        wanted = Q()
        for code in _with_descendants("actor-profiles", filters.profile):
            wanted |= Q(partners__icontains=f'"profile": "{code}"')
        found = found.filter(wanted)
    if filters.sdg is not None:
        ids = [e.pk for e in found if filters.sdg in e.sdg]
        found = found.filter(pk__in=ids)
    words = normalise(filters.q).replace("_", " ").split()
    if not words:
        return found
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("search_text", config="french")
        query = SearchQuery(" ".join(words), config="french")  # every word, stemmed
        matching = found.annotate(document=vector).filter(document=query)
        return matching.annotate(rank=SearchRank(vector, query)).order_by("-rank", "-year", "code")
    for word in words:  # words starting with the query's words: « ecole » finds « ecoles »
        found = found.filter(Q(search_text__startswith=word) | Q(search_text__contains=f" {word}"))
    return found
