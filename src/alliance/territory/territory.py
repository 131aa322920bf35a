"""A territory — a commune, an EPCI, a department or a region — found by its kind and code.

Pages and the API name a territory as ``<kind>/<code>``: the kind in English (``department``),
or in French (``departement``, ``région``), which leads to the English one; the code as the COG
writes it (INSEE codes; an EPCI's SIREN), or a region's short code (``HDF``) and a former commune
code, which lead to the current one. A territory knows its parents (a commune's EPCI, department
and region) and every commune code it contains (former and delegated codes included, as
registries and organisations may still write them), so that rows located by commune are counted
by territory with one ``IN`` list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from alliance.errors import Location, LookupFailedError
from alliance.i18n import Lang
from alliance.territory.geography import geography
from alliance.text import normalise

__all__ = ["KINDS", "Territory", "canonical_kind", "find_territory", "search_territories"]

#: The kinds of territory, from the smallest.
KINDS = ("commune", "epci", "department", "region")

#: Spellings accepted in addresses for each kind (accents and case folded by :func:`normalise`).
SPELLINGS = {
    "commune": "commune",
    "epci": "epci",
    "department": "department",
    "departement": "department",
    "region": "region",
}


@dataclass(frozen=True)
class Territory:
    """One territory: its kind, canonical code, names and parents."""

    kind: str
    code: str
    name: str
    name_en: str
    #: ``(kind, code)`` of the larger territories it lies in, smallest first.
    parents: tuple[tuple[str, str], ...]

    def label(self, lang: Lang) -> str:
        """Return the territory's name in ``lang`` (only regions' names differ)."""
        return self.name_en if lang == "en" else self.name

    @property
    def key(self) -> str:
        """``kind/code``, the territory's name in addresses and records."""
        return f"{self.kind}/{self.code}"

    def parent(self, kind: str) -> str:
        """Return the code of the parent of ``kind`` (the territory's own code for its kind)."""
        if kind == self.kind:
            return self.code
        return dict(self.parents).get(kind, "")

    def communes(self) -> tuple[str, ...]:
        """Return every commune code in the territory, current or former, sorted."""
        return _index().communes[(self.kind, self.code)]

    def departments(self) -> tuple[str, ...]:
        """Return the codes of the departments the territory lies in or holds, sorted."""
        if self.kind in ("commune", "department"):
            return (self.parent("department"),)
        return _index().departments[(self.kind, self.code)]

    @property
    def region_short(self) -> str:
        """The short code of the territory's region (``HDF``), as questionnaires write it."""
        region = geography().region(self.parent("region"))
        return region.short if region is not None else ""


def canonical_kind(text: str) -> str:
    """Return the kind ``text`` spells (``département`` → ``department``).

    Raises :class:`LookupFailedError` (bilingual, with the value) when it is no kind.

    Examples
    --------
    >>> canonical_kind("Région"), canonical_kind("departement")
    ('region', 'department')
    """
    kind = SPELLINGS.get(normalise(text))
    if kind is None:
        raise LookupFailedError(
            "territories.unknown_kind",
            Location(field="kind", value=text),
            kinds=", ".join(KINDS),
        )
    return kind


def find_territory(kind: str, code: str) -> Territory:
    """Return the territory of ``kind`` (any accepted spelling) and ``code``.

    A region's short code or a former commune's code gives the canonical territory, whose
    ``code`` then differs from the one asked for. Raises :class:`LookupFailedError` when
    nothing of that kind has that code.

    Examples
    --------
    >>> find_territory("commune", "59350").parents
    (('epci', '200093201'), ('department', '59'), ('region', '32'))
    >>> find_territory("région", "HDF").code
    '32'
    """
    found = _find(canonical_kind(kind), code.strip())
    if found is None:
        raise LookupFailedError(
            "territories.unknown_code",
            Location(field="code", value=code),
            kind=canonical_kind(kind),
        )
    return found


def _find(kind: str, code: str) -> Territory | None:
    places = geography()
    if kind == "region":
        region = places.region(code)
        if region is None:
            return None
        return Territory("region", region.code, region.name, region.name_en, ())
    if kind == "department":
        department = places.department(code)
        if department is None:
            return None
        return Territory(
            "department",
            department.code,
            department.name,
            department.name,
            (("region", department.region),),
        )
    if kind == "epci":
        epci = places.epci(code)
        if epci is None or (kind, epci.code) not in _index().communes:
            return None
        seat, home = _index().epci_places[epci.code]
        return Territory(
            "epci", epci.code, epci.name, epci.name, (("department", seat), ("region", home))
        )
    commune = places.commune(code) if len(code) <= 5 else None
    if commune is None:
        return None
    current = places.commune(commune.current) or commune
    parents: tuple[tuple[str, str], ...] = tuple(
        (k, v)
        for k, v in (
            ("epci", current.epci),
            ("department", current.department),
            ("region", current.region),
        )
        if v
    )
    return Territory("commune", current.code, current.name, current.name, parents)


def search_territories(query: str, limit: int = 20) -> list[Territory]:
    """Find territories whose name or code matches ``query`` (case and accents ignored).

    Regions come first, then departments, EPCI and communes; within a kind, names that start
    with the query before names that only contain it.
    """
    wanted = normalise(query)
    if not wanted:
        return []
    ranked: list[tuple[int, bool, str, str]] = []
    for kind, code, name in _index().names:
        folded = normalise(name)
        if wanted in folded or wanted == normalise(code):
            ranked.append((KINDS[::-1].index(kind), not folded.startswith(wanted), kind, code))
    results = []
    for _, _, kind, code in sorted(ranked)[:limit]:
        territory = _find(kind, code)
        if territory is not None:
            results.append(territory)
    return results


@dataclass(frozen=True)
class _Index:
    communes: dict[tuple[str, str], tuple[str, ...]]
    departments: dict[tuple[str, str], tuple[str, ...]]
    epci_places: dict[str, tuple[str, str]]
    names: tuple[tuple[str, str, str], ...]


@cache
def _index() -> _Index:
    """Which commune codes and departments each territory holds, built once from the geography."""
    places = geography()
    communes: dict[tuple[str, str], set[str]] = defaultdict(set)
    departments: dict[tuple[str, str], set[str]] = defaultdict(set)
    epci_places: dict[str, tuple[str, str]] = {}
    for commune in places.communes.values():
        current = places.communes.get(commune.current, commune)
        communes[("commune", current.code)].add(commune.code)
        communes[("department", commune.department)].add(commune.code)
        communes[("region", commune.region)].add(commune.code)
        departments[("region", commune.region)].add(commune.department)
        if current.epci:
            communes[("epci", current.epci)].add(commune.code)
            departments[("epci", current.epci)].add(current.department)
            epci_places.setdefault(current.epci, (current.department, current.region))
    names = (
        *(("region", r.code, r.name) for r in places.regions.values()),
        *(("department", d.code, d.name) for d in places.departments.values()),
        *(("epci", e.code, e.name) for e in places.epcis.values()),
        *(
            ("commune", c.code, c.name)
            for c in places.communes.values()
            if c.type == "commune-actuelle"
        ),
    )
    return _Index(
        communes={k: tuple(sorted(v)) for k, v in communes.items()},
        departments={k: tuple(sorted(v)) for k, v in departments.items()},
        epci_places=epci_places,
        names=names,
    )
