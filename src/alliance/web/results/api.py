"""The API of published studies: the studies, one study, its estimates (public data).

Records carry the fields of ``estimates.csv`` plus labels in ``?lang=`` (``fr`` by default),
the published figure when there is one, and whether the study is synthetic and the estimate
suppressed (a suppressed estimate has no values). An unknown study or population answers 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from alliance.errors import RequestError
from alliance.i18n import Lang
from alliance.web.api_errors import HttpRefusalError
from alliance.web.paging import Slice, window
from alliance.web.results.catalogue import current_version, current_versions
from alliance.web.results.models import StudyVersion

__all__ = ["router"]

router = Router(tags=["studies"])


def _lang(lang: str) -> Lang:
    return "en" if lang == "en" else "fr"


def _study(version: StudyVersion, lang: Lang) -> dict[str, Any]:
    return {
        "study": version.study.code,
        "title": version.study.title(lang),
        "synthetic": version.study.synthetic,
        "version": version.number,
        "published_at": version.published_at.isoformat(),
        "populations": [
            {
                "population": p.population,
                "label": p.label.get(lang) or p.population,
                "waves": [w.wave for w in p.waves],
            }
            for p in version.populations()
        ],
        "waves": version.waves,
    }


def _found(study: str) -> StudyVersion:
    version = current_version(study)
    if version is None:
        raise HttpRefusalError(404, RequestError("request.unknown_study", code=study))
    return version


@router.get("/studies")
def studies(request: HttpRequest, page: Query[Slice], lang: str = "fr") -> list[dict[str, Any]]:
    """List the published studies (current versions, the latest published first)."""
    return [_study(v, _lang(lang)) for v in window(current_versions(), page)]


@router.get("/studies/{study}")
def study(request: HttpRequest, study: str, lang: str = "fr") -> dict[str, Any]:
    """One published study: its current version, populations and waves."""
    return _study(_found(study), _lang(lang))


@router.get("/studies/{study}/results")
def results(
    request: HttpRequest,
    study: str,
    population: str = "",
    wave: str = "",
    by: str = "",
    segments: bool = False,
    lang: str = "fr",
    *,
    page: Query[Slice],
) -> list[dict[str, Any]]:
    """List the study's estimates, filtered by population and wave.

    The whole population's estimates by default; ``by=<variable>`` for that segment's groups,
    ``segments=true`` for every segment's groups.
    """
    version = _found(study)
    rows = version.estimates.all()
    if population:
        if version.population(population) is None:
            raise HttpRefusalError(404, RequestError("request.unknown_population", code=population))
        rows = rows.filter(population=population)
    if wave:
        rows = rows.filter(wave=wave)
    if by:
        rows = rows.filter(by=by)
    elif segments:
        rows = rows.exclude(by="")
    else:
        rows = rows.filter(by="")
    chosen = _lang(lang)
    synthetic = version.study.synthetic
    return [
        e.record(chosen) | {"published": e.published, "synthetic": synthetic}
        for e in window(rows, page)
    ]
