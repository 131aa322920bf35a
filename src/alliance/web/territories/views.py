"""Territory pages: ``/territories/`` (choose one) and ``/territories/<kind>/<code>/``.

A kind spelled in French (``departement``, ``département``, ``région``), a region's short code or
a former commune code are redirected to the canonical address; an unknown kind or code answers
the site's 404 page with the located, bilingual message. Everything shown is public aggregate
data, except the form of the self-assessment, shown to the territory's coordinators only
(:func:`alliance.web.permissions.coordinates`), who save it with a POST to the same address.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from alliance.errors import LookupFailedError, RequestError
from alliance.i18n import Lang
from alliance.territory.geography import geography
from alliance.territory.maps import LEVELS, FranceMap, france_map, map_source
from alliance.territory.self_assessment import clean_assessment
from alliance.territory.territory import Territory, find_territory, search_territories
from alliance.text import normalise
from alliance.web import permissions
from alliance.web.accounts.models import User
from alliance.web.language import current_lang
from alliance.web.refusals import refuse
from alliance.web.territories import figures
from alliance.web.territories.indicators import DEFAULT, INDICATORS, indicator_values
from alliance.web.territories.models import SelfAssessment

__all__ = ["territories_page", "territory_page", "territory_url"]


def territory_url(kind: str, code: str) -> str:
    """Return the canonical address of a territory's page."""
    return reverse("territory", kwargs={"kind": kind, "code": code})


def _map(
    request: HttpRequest, lang: Lang, default_level: str, selected: str = ""
) -> dict[str, Any]:
    """Draw the page's map: ``?map=region|department``, ``?indicator=…`` (unknown: defaults)."""
    indicator = request.GET.get("indicator", DEFAULT)
    indicator = indicator if indicator in INDICATORS else DEFAULT
    level = request.GET.get("map", default_level)
    level = level if level in LEVELS else default_level
    label = str(INDICATORS[indicator])
    drawn: FranceMap = france_map(
        level,
        indicator_values(indicator, level),
        lambda code: territory_url(level, code),
        title=_("Carte de France par %(level)s : %(indicator)s")
        % {"level": _("région") if level == "region" else _("département"), "indicator": label},
        description=_(
            "Chaque zone est un lien vers sa page ; plus la couleur est foncée, plus le nombre "
            "est grand. Le tableau qui suit donne les mêmes chiffres. Les départements d'outre-mer "
            "ne sont pas dessinés : ils figurent dans le tableau."
        ),
        lang=lang,
        selected=selected,
    )
    source = map_source()
    attribution = source["attribution"]
    return {
        "svg": mark_safe(drawn.svg),  # built by alliance.territory.maps, every text escaped
        "areas": drawn.areas,
        "legend": drawn.legend,
        "level": level,
        "indicator": indicator,
        "indicator_label": label,
        "indicators": [(code, str(text)) for code, text in INDICATORS.items()],
        "levels": [("region", _("régions")), ("department", _("départements"))],
        "attribution": attribution[lang] if isinstance(attribution, dict) else attribution,
    }


def territories_page(request: HttpRequest) -> HttpResponse:
    """Choose a territory: search by name or code, the regions, the map."""
    lang = current_lang()
    query = request.GET.get("q", "")[:100]
    regions = sorted(geography().regions.values(), key=lambda r: normalise(r.label(lang)))
    links = [
        ({"name": r.label(lang), "url": territory_url("region", r.code)}, r.overseas_collectivity)
        for r in regions
    ]
    context = {
        "query": query,
        "found": [_link(t, lang) for t in search_territories(query)] if query.strip() else [],
        "regions": [link for link, collectivity in links if not collectivity],
        "collectivities": [link for link, collectivity in links if collectivity],
        "map": _map(request, lang, "region"),
    }
    return render(request, "territories/list.html", context)


def _link(territory: Territory, lang: Lang) -> dict[str, str]:
    kinds = {
        "commune": _("commune"),
        "epci": _("EPCI"),
        "department": _("département"),
        "region": _("région"),
    }
    return {
        "name": territory.label(lang),
        "kind": kinds[territory.kind],
        "code": territory.code,
        "url": territory_url(territory.kind, territory.code),
    }


def territory_page(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """Show a territory: actors, map, network, examples, regional results, self-assessment."""
    try:
        territory = find_territory(kind, code)
    except LookupFailedError as unknown:
        return refuse(request, unknown, 404)
    if (kind, code) != (territory.kind, territory.code):
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(territory_url(territory.kind, territory.code) + query, permanent=True)
    lang = current_lang()
    may_edit = permissions.coordinates(request.user, territory.kind, territory.code)
    error = ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_edit:
            raise PermissionDenied
        try:
            _save(request, territory)
        except RequestError as refused:
            error = refused.message(lang)
        else:
            return redirect(territory_url(territory.kind, territory.code) + "#self-assessment")
    level = "region" if territory.kind == "region" else "department"
    shown = figures.aggregates(territory, lang)
    context = {
        "territory": territory,
        "name": territory.label(lang),
        "parents": [_link(find_territory(k, c), lang) for k, c in territory.parents],
        "actors": shown["actors"],
        "organisations": shown["organisations"],
        "network": shown["network"],
        "network_url": reverse(
            "api:territory_network", kwargs={"kind": territory.kind, "code": territory.code}
        )
        + "?"
        + urlencode({"lang": lang}),
        "examples": shown["examples"],
        "results": shown["results"],
        "assessment": figures.self_assessment(territory, lang, authors=may_edit),
        "may_edit": may_edit,
        "error": error,
        "map": _map(request, lang, level, territory.parent(level)),
    }
    return render(request, "territories/detail.html", context, status=400 if error else 200)


def _save(request: HttpRequest, territory: Territory) -> SelfAssessment:
    """Keep a new version of the self-assessment from the form (``answer:<item>``, ``note:…``)."""
    answers = {
        k.removeprefix("answer:"): v for k, v in request.POST.items() if k.startswith("answer:")
    }
    notes = {k.removeprefix("note:"): v for k, v in request.POST.items() if k.startswith("note:")}
    return save_assessment(request, territory, answers, notes)


def save_assessment(
    request: HttpRequest, territory: Territory, answers: Any, notes: Any
) -> SelfAssessment:
    """Check and keep a new version, dated and signed by the caller (pages and API alike)."""
    kept, comments = clean_assessment(answers, notes)
    assert isinstance(request.user, User)  # coordinators only reach here
    return SelfAssessment.objects.create(
        kind=territory.kind,
        code=territory.code,
        answers=kept,
        notes=comments,
        author=request.user,
        author_email=getattr(request.user, "email", ""),
    )
