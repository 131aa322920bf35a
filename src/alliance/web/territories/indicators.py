"""The indicators a map of France can be coloured by, computed for every region or department.

Each indicator is a count by area. Registry counts are public and exact; the platform's
organisations and partnerships are protected as on the statistics endpoint
(:mod:`alliance.disclosure`); examples are public. A map's values are computed with one grouped
query and kept a few minutes in the cache: they change with imports, not with each visit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from alliance.disclosure import protected_count
from alliance.territory.geography import geography
from alliance.web.examples.models import InspiringExample
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships.models import Side
from alliance.web.registry.models import RegistryCount, RegistryEntry

__all__ = ["DEFAULT", "INDICATORS", "indicator_values"]

#: Seconds a map's values stay in the cache.
LIFETIME = 300
DEFAULT = "actors"
#: code → label (French source, translated).
INDICATORS = {
    "actors": _("acteurs actifs des registres"),
    "associations": _("associations actives des registres"),
    "organisations": _("organisations inscrites sur la plateforme"),
    "partnerships": _("partenariats enregistrés sur la plateforme"),
    "examples": _("exemples inspirants"),
}
ASSOCIATIONS = ("associations", "associations_employeuses")


@cache
def _area_of_commune(level: str) -> dict[str, str]:
    places = geography()
    return {code: getattr(c, level) for code, c in places.communes.items()}


def _registry(level: str, profiles: tuple[str, ...] = ()) -> dict[str, int]:
    """Sum the registry counts (one row per commune, profile and state) by area."""
    rows = RegistryCount.objects.filter(state=RegistryEntry.State.ACTIVE)
    if profiles:
        rows = rows.filter(profile__in=profiles)
    grouped = rows.values(level).annotate(count=Sum("count")).order_by()
    return {r[level]: r["count"] for r in grouped if r[level]}


def _by_commune(pairs: list[tuple[str, int]], level: str) -> dict[str, int]:
    """Count distinct ids by area, from ``(commune, id)`` pairs."""
    area = _area_of_commune(level)
    ids: dict[str, set[int]] = defaultdict(set)
    for commune, pk in pairs:
        if commune in area:
            ids[area[commune]].add(pk)
    return {code: len(found) for code, found in ids.items()}


def _organisations(level: str) -> dict[str, int]:
    grouped = Organisation.objects.exclude(commune="").values("commune").annotate(n=Count("pk"))
    area = _area_of_commune(level)
    counts: dict[str, int] = defaultdict(int)
    for row in grouped.order_by():
        if row["commune"] in area:
            counts[area[row["commune"]]] += row["n"]
    return counts


def _partnerships(level: str) -> dict[str, int]:
    pairs = Side.objects.exclude(organisation__commune="").values_list(
        "organisation__commune", "partnership_id"
    )
    return _by_commune(list(pairs.distinct()), level)


def _examples(level: str) -> dict[str, int]:
    rows = list(InspiringExample.objects.values_list("commune", "region", "pk"))
    if level == "department":
        return _by_commune([(c, pk) for c, _, pk in rows], level)
    places = geography()
    counts: dict[str, int] = defaultdict(int)
    for _commune, region, _pk in rows:
        found = places.region(region)
        if found is not None:
            counts[found.code] += 1
    return counts


COUNTS: dict[str, Callable[[str], dict[str, int]]] = {
    "actors": lambda level: _registry(level),
    "associations": lambda level: _registry(level, ASSOCIATIONS),
    "organisations": _organisations,
    "partnerships": _partnerships,
    "examples": _examples,
}
#: Indicators counted from the platform's private data, shown as protected counts.
PROTECTED = ("organisations", "partnerships")


def indicator_values(indicator: str, level: str) -> dict[str, float | None]:
    """Return the indicator for every region or department (``level``) that has a count."""
    key = f"territories:map:{indicator}:{level}"
    found: dict[str, float | None] | None = django_cache.get(key)
    if found is None:
        counts = COUNTS[indicator](level)
        if indicator in PROTECTED:
            secret = settings.SECRET_KEY.encode()
            found = {
                code: protected_count(n, f"map:{level}:{code}:{indicator}", secret)
                for code, n in counts.items()
            }
        else:
            found = {code: float(n) for code, n in counts.items()}
        django_cache.set(key, found, LIFETIME)
    return found
