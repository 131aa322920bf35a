"""The territories' API: a territory's public aggregates, its network, its self-assessment.

``GET /api/territories/{kind}/{code}`` and ``…/network`` are public (aggregate data, small counts
withheld); ``PUT`` (or ``POST``) ``…/self-assessment`` keeps a new version for the territory's
coordinators and administrators (anonymous: 401; anyone else: 403). The kind may be spelled in
French; an unknown kind or code answers 404 in the API's error shape, with the value not found.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from alliance.errors import LookupFailedError, RequestError
from alliance.i18n import Lang
from alliance.territory.territory import Territory, find_territory, search_territories
from alliance.web.accounts.api import PRIVATE
from alliance.web.api_errors import HttpRefusalError
from alliance.web.permissions import coordinates
from alliance.web.territories import figures
from alliance.web.territories.views import save_assessment, territory_url

__all__ = ["router"]

router = Router(tags=["territories"])


def _lang(lang: str) -> Lang:
    return "en" if lang == "en" else "fr"


def _territory(kind: str, code: str) -> Territory:
    try:
        return find_territory(kind, code)
    except LookupFailedError as error:
        raise HttpRefusalError(404, error) from error


def _record(territory: Territory, lang: Lang) -> dict[str, Any]:
    return {
        "kind": territory.kind,
        "code": territory.code,
        "name": territory.label(lang),
        "url": territory_url(territory.kind, territory.code),
        "parents": [
            {"kind": k, "code": c, "name": find_territory(k, c).label(lang)}
            for k, c in territory.parents
        ],
    }


@router.get("/territories", url_name="territories")
def territories(request: HttpRequest, q: str = "", lang: str = "fr") -> list[dict[str, Any]]:
    """Find territories by name or code (case and accents ignored), regions first, at most 20."""
    return [_record(t, _lang(lang)) for t in search_territories(q[:100])]


@router.get("/territories/{kind}/{code}", url_name="territory")
def territory(request: HttpRequest, kind: str, code: str, lang: str = "fr") -> dict[str, Any]:
    """Give a territory's actors, organisations, partnerships, examples, results, self-assessment.

    Actors by profile come with the registries' vintage; the platform's organisations and
    partnerships by category are protected counts.
    """
    found = _territory(kind, code)
    language = _lang(lang)
    shown = figures.aggregates(found, language)
    network = shown["network"]
    return {
        "territory": _record(found, language),
        "actors": shown["actors"],
        "organisations": shown["organisations"],
        "partnerships": {
            k: network[k]
            for k in ("partnerships", "by_category", "smallest_count_shown", "rounding_base")
        },
        "examples": shown["examples"],
        "results": shown["results_record"],
        "self_assessment": figures.self_assessment(
            found, language, authors=coordinates(request.user, found.kind, found.code)
        ),
    }


@router.get("/territories/{kind}/{code}/network", url_name="territory_network")
def network(request: HttpRequest, kind: str, code: str, lang: str = "fr") -> dict[str, Any]:
    """Give the alliance network: profiles as nodes, partnerships by category as edges."""
    found = _territory(kind, code)
    language = _lang(lang)
    graph: dict[str, Any] = figures.aggregates(found, language)["network"]
    return {"territory": _record(found, language)} | graph


class Assessment(Schema):
    #: {item key: level code or empty}
    answers: Any = {}
    #: {item key: comment}
    notes: Any = {}


@router.api_operation(
    ["PUT", "POST"], "/territories/{kind}/{code}/self-assessment", auth=PRIVATE,
    response={200: dict[str, Any], 201: dict[str, Any]},
)  # fmt: skip
def self_assessment(
    request: HttpRequest, kind: str, code: str, body: Assessment, lang: str = "fr"
) -> Status[dict[str, Any]]:
    """Keep a new version of the self-assessment (the territory's coordinators, administrators).

    Every save is a new version, so ``PUT`` (answers 200) and ``POST`` (201) do the same.
    """
    found = _territory(kind, code)
    if not coordinates(request.user, found.kind, found.code):
        raise HttpRefusalError(403, RequestError("request.forbidden"))
    save_assessment(request, found, body.answers, body.notes)
    record = figures.self_assessment(found, _lang(lang), authors=True)
    return Status(201 if request.method == "POST" else 200, record)
