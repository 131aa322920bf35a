"""What a territory page and its API show, gathered from the database with a few indexed queries.

Public registries' counts are public data and shown as they are. What comes from the platform —
its organisations and their partnerships — is counted under the statistics endpoint's rule
(:mod:`alliance.disclosure`: below 5 withheld, else rounded to a multiple of 5), keyed by the
territory so that two pages never give two draws of one cell. Examples and published results are
public already; fragile estimates keep the results app's flag.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum

from alliance.disclosure import ROUNDING_BASE, SMALLEST_COUNT, protected_count
from alliance.i18n import LANGUAGES, Lang
from alliance.referential import default_referential
from alliance.territory.network import Network, PartnershipRecord, alliance_network
from alliance.territory.self_assessment import assessment_items, levels
from alliance.territory.territory import Territory
from alliance.web.examples.models import InspiringExample
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships.models import Side
from alliance.web.registry.models import RegistryCount, RegistryEntry, RegistryImport
from alliance.web.results.catalogue import current_versions
from alliance.web.results.views import estimate_row
from alliance.web.territories.models import SelfAssessment

__all__ = [
    "REGION_SEGMENTS",
    "actors",
    "examples",
    "forget_self_assessment",
    "network",
    "organisations",
    "regional_results",
    "self_assessment",
]

#: Seconds a territory's aggregates are kept in the cache: they change with imports and new
#: partnerships, which may show a minute late. The self-assessment's public copy is kept as long;
#: its coordinators always read it fresh.
AGGREGATES_LIFETIME = 60
#: Segment variables of published studies that cut results by region (their groups are region
#: short codes such as ``HDF``, or INSEE codes).
REGION_SEGMENTS = ("region",)


def _secret() -> bytes:
    return settings.SECRET_KEY.encode()


def _profile_label(code: str, lang: Lang) -> str:
    profiles = default_referential().framework("actor-profiles")
    return profiles.item(code).label(lang) if code in profiles else code


def _in_profile_order(codes: Iterable[str]) -> list[str]:
    """Sort profile codes as the referential lists its actor profiles; unknown ones after."""
    order = {
        item.code: i for i, item in enumerate(default_referential().framework("actor-profiles"))
    }
    return sorted(codes, key=lambda code: (order.get(code, len(order)), code))


def _registry_filter(territory: Territory) -> Q:
    """Registry counts carry their commune's EPCI, department and region: one index each."""
    if territory.kind == "commune":
        return Q(commune__in=territory.communes())
    return Q(**{territory.kind: territory.code})


def actors(territory: Territory, lang: Lang) -> dict[str, Any]:
    """Count the registries' actors by profile: active ones, and closed or deleted ones apart.

    The sums of :class:`RegistryCount` (rebuilt after each import), not a count of the entries:
    a department is a few thousand count rows instead of tens of thousands of entries.
    """
    rows = (
        RegistryCount.objects.filter(_registry_filter(territory))
        .values("state", "profile")
        .annotate(count=Sum("count"))
        .order_by()
    )
    active: Counter[str] = Counter()
    apart: Counter[str] = Counter()
    for row in rows:
        if row["state"] == RegistryEntry.State.ACTIVE:
            active[row["profile"]] += row["count"]
        else:
            apart[row["state"]] += row["count"]
    by_profile = [
        {
            "profile": code or None,
            "label": _profile_label(code, lang) if code else None,
            "count": active[code],
        }
        for code in _in_profile_order(active)
    ]
    vintages = (
        RegistryImport.objects.exclude(finished=None)
        .values("source")
        .annotate(vintage=Max("vintage"), finished=Max("finished"))
        .order_by("source")
    )
    return {
        "active": sum(active.values()),
        "by_profile": by_profile,
        "closed": apart[RegistryEntry.State.CLOSED],
        "deleted": apart[RegistryEntry.State.DELETED],
        "vintages": [
            {
                "source": v["source"],
                "vintage": v["vintage"].isoformat() if v["vintage"] else None,
                "imported": v["finished"].isoformat(),
            }
            for v in vintages
        ],
    }


def organisations(territory: Territory, lang: Lang) -> dict[str, Any]:
    """Count the platform's organisations of the territory by profile (protected counts)."""
    counted = dict(
        Organisation.objects.filter(commune__in=territory.communes())
        .values_list("profile")
        .annotate(count=Count("pk"))
        .order_by()
    )
    cell = f"territory:{territory.key}:organisations"
    return {
        "total": protected_count(sum(counted.values()), cell, _secret()),
        "by_profile": [
            {
                "profile": code,
                "label": _profile_label(code, lang),
                "count": protected_count(counted[code], f"{cell}:{code}", _secret()),
            }
            for code in _in_profile_order(counted)
        ],
        "smallest_count_shown": SMALLEST_COUNT,
        "rounding_base": ROUNDING_BASE,
    }


def network(territory: Territory) -> Network:
    """Build the profile network of the partnerships with a partner in the territory."""
    inside = Side.objects.filter(organisation__commune__in=territory.communes()).values(
        "partnership_id"
    )
    sides = Side.objects.filter(partnership_id__in=inside).values_list(
        "partnership_id", "partnership__category", "organisation_id", "organisation__profile"
    )
    grouped: dict[int, list[tuple[int, str]]] = defaultdict(list)
    categories: dict[int, str] = {}
    for partnership, category, organisation, profile in sides:
        grouped[partnership].append((organisation, profile))
        categories[partnership] = category or ""
    records = [
        PartnershipRecord(pk, categories[pk], tuple(partners)) for pk, partners in grouped.items()
    ]
    return alliance_network(records, f"territory:{territory.key}", _secret())


def network_record(found: Network, lang: Lang) -> dict[str, Any]:
    """Return nodes and edges with labels, as the API and the graph's script read them."""
    categories = default_referential().framework("partnership-categories")

    def category(code: str) -> str | None:
        return categories.item(code).label(lang) if code in categories else None

    return {
        "partnerships": found.partnerships,
        "by_category": [
            {"category": c or None, "label": category(c), "partnerships": n}
            for c, n in found.by_category.items()
        ],
        "nodes": [
            {
                "id": n.profile,
                "label": _profile_label(n.profile, lang),
                "organisations": n.organisations,
                "partnerships": n.partnerships,
            }
            for n in found.nodes
        ],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "category": e.category or None,
                "category_label": category(e.category),
                "partnerships": e.partnerships,
                "withheld": e.withheld,
            }
            for e in found.edges
        ],
        "smallest_count_shown": SMALLEST_COUNT,
        "rounding_base": ROUNDING_BASE,
    }


def examples(territory: Territory) -> list[InspiringExample]:
    """Return the examples located in the territory (by commune; a region's by region too)."""
    found = Q(commune__in=territory.communes())
    if territory.kind == "region" and territory.region_short:
        found |= Q(region=territory.region_short)
    return list(InspiringExample.objects.filter(found))


def regional_results(territory: Territory, lang: Lang) -> list[dict[str, Any]]:
    """Return the current published results cut by the territory's region, fragile flagged."""
    region = territory.parent("region")
    groups = [g for g in (territory.region_short, region) if g]
    if not groups:
        return []
    found = []
    for version in current_versions():
        estimates = version.estimates.filter(
            by__in=REGION_SEGMENTS, group__in=groups, suppressed=False
        ).exclude(estimate=None)
        populations: dict[str, dict[str, Any]] = {}
        for estimate in estimates:
            if estimate.population not in populations:
                info = version.population(estimate.population)
                label = (info.label.get(lang) if info else None) or estimate.population
                populations[estimate.population] = {
                    "population": estimate.population, "label": label, "rows": []
                }  # fmt: skip
            populations[estimate.population]["rows"].append(estimate_row(estimate, lang))
        if populations:
            found.append(
                {
                    "study": version.study.code,
                    "title": version.study.title(lang),
                    "version": version.number,
                    "populations": list(populations.values()),
                    "fragile_below": version.fragile_below,
                }
            )
    return found


def results_record(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the regional results as the API gives them: one list, each with its population."""
    return [
        {
            **{k: v for k, v in study.items() if k != "populations"},
            "estimates": [
                {"population": p["population"], "population_label": p["label"], **vars(row)}
                for p in study["populations"]
                for row in p["rows"]
            ],
        }
        for study in found
    ]


def aggregates(territory: Territory, lang: Lang) -> dict[str, Any]:
    """Return a territory's public aggregates, kept :data:`AGGREGATES_LIFETIME` seconds.

    Actors, the platform's organisations, the network, examples and regional results: what the
    page and ``GET /api/territories/{kind}/{code}`` show of it, computed once for both.
    """
    key = f"territories:aggregates:{territory.key}:{lang}"
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        results = regional_results(territory, lang)
        found = {
            "actors": actors(territory, lang),
            "organisations": organisations(territory, lang),
            "network": network_record(network(territory), lang),
            "examples": [
                {
                    "code": e.code,
                    "title": e.title(lang),
                    "commune": e.commune,
                    "region": e.region,
                    "year": e.year,
                    "synthetic": e.synthetic,
                }
                for e in examples(territory)
            ],
            "results": results,
            "results_record": results_record(results),
        }
        cache.set(key, found, AGGREGATES_LIFETIME)
    return found


def _assessment_key(territory: Territory, lang: Lang) -> str:
    return f"territories:self-assessment:{territory.key}:{lang}"


def self_assessment(territory: Territory, lang: Lang, *, authors: bool) -> dict[str, Any]:
    """Return the current self-assessment (items, levels, answers) and its last versions.

    Who saved each version is personal data: shown (``authors``) to the territory's
    coordinators only; others read « coordination ». Coordinators read it fresh, so a save shows
    at once to whoever made it; everyone else reads a public copy kept
    :data:`AGGREGATES_LIFETIME` seconds (a department's page is read far more than it is saved),
    which :func:`forget_self_assessment` drops when a version is saved or deleted
    (:mod:`alliance.web.territories.signals`).
    """
    if authors:
        return _self_assessment(territory, lang, authors=True)
    key = _assessment_key(territory, lang)
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        found = _self_assessment(territory, lang, authors=False)
        cache.set(key, found, AGGREGATES_LIFETIME)
    return found


def forget_self_assessment(territory: Territory) -> None:
    """Drop the public copies of a territory's self-assessment, after a version changed.

    The cache is the process's own: another server process may show the previous version until
    its copy expires, at most :data:`AGGREGATES_LIFETIME` seconds later.
    """
    cache.delete_many([_assessment_key(territory, lang) for lang in LANGUAGES])


def _self_assessment(
    territory: Territory, lang: Lang, *, authors: bool, history: int = 20
) -> dict[str, Any]:
    versions = list(
        SelfAssessment.objects.filter(kind=territory.kind, code=territory.code)[:history]
    )
    current = versions[0] if versions else None
    return {
        "items": [vars(item) for item in assessment_items(lang)],
        "levels": [{"code": c, "label": label, "status": s} for c, label, s in levels(lang)],
        "answers": current.answers if current else {},
        "notes": current.notes if current else {},
        "history": [
            {
                "id": v.pk,
                "created": v.created.isoformat(),
                "date": v.created.strftime("%Y-%m-%d %H:%M UTC"),
                "author": v.author_email if authors else None,
                "answers": v.answers,
                "notes": v.notes,
            }
            for v in versions
        ],
    }
