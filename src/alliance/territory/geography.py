"""The official geography: every commune resolves to its EPCI, department and region, by name.

Codes are what registries and files give (RNA's ``adrs_codeinsee``, SIRENE's
``codeCommuneEtablissement``, an example's commune, a questionnaire's region); names are what
people read. The tables ship with the project (``data/geography/``, built by
:mod:`alliance.territory.geography_source` from INSEE's Code officiel géographique, vintage and
source in ``source.yaml``) and are read once, on first use.

Codes that left the COG still resolve: a delegated or associated commune, or a former code, leads
to the current commune that absorbed it (:attr:`Commune.current`). Regions are found by INSEE
code (``32``) or by the short code the project's questionnaires use (``HDF``, ISO 3166-2:FR).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from alliance.i18n import Lang

__all__ = [
    "PLACE_COLUMNS", "Commune", "Department", "Epci", "Geography", "Region", "geography",
    "place_name", "place_value", "region_names",
]  # fmt: skip

DATA = Path(__file__).parent / "data" / "geography"
#: Columns of study data and registries whose values are region, department or commune codes.
PLACE_COLUMNS = frozenset(
    {"region", "region_code", "department", "departement", "department_code", "commune",
     "commune_code", "code_commune", "codgeo", "insee_code"}
)  # fmt: skip


@dataclass(frozen=True)
class Region:
    """A region: INSEE code, names in French and English, short code."""

    code: str
    name: str
    name_en: str
    #: ISO 3166-2:FR suffix (``HDF``), or the project's ``COR`` for Corsica; empty overseas.
    short: str

    def label(self, lang: Lang) -> str:
        """Return the region's name in ``lang``."""
        return self.name_en if lang == "en" else self.name

    @property
    def overseas_collectivity(self) -> bool:
        """Whether it is an overseas collectivity (975, 977… 989), kept at the region's level.

        Their INSEE codes have three digits, a region's two: Saint-Pierre-et-Miquelon or
        New Caledonia are neither regions nor departments, yet their communes need a place.
        """
        return len(self.code) == 3


@dataclass(frozen=True)
class Department:
    """A department and the INSEE code of its region."""

    code: str
    name: str
    region: str


@dataclass(frozen=True)
class Epci:
    """An EPCI à fiscalité propre, by its SIREN."""

    code: str
    name: str
    #: CC, CA, CU or METRO (communauté de communes, d'agglomération, urbaine, métropole).
    type: str


@dataclass(frozen=True)
class Commune:
    """A commune code: current, an arrondissement, or a code that leads to a current commune."""

    code: str
    name: str
    #: ``commune-actuelle``, ``arrondissement-municipal``, ``commune-deleguee``,
    #: ``commune-associee`` or ``ancien-code``.
    type: str
    department: str
    region: str
    epci: str
    #: The current commune this code belongs to (empty for a current commune).
    parent: str

    @property
    def current(self) -> str:
        """Return the code of the current commune (itself, or the one that absorbed it)."""
        return self.code if self.type == "commune-actuelle" or not self.parent else self.parent


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


class Geography:
    """The four tables, indexed by code."""

    def __init__(self) -> None:
        self.regions = {r["code"]: Region(**r) for r in _rows("regions.csv")}
        self.by_short = {r.short: r for r in self.regions.values() if r.short}
        self.departments = {d["code"]: Department(**d) for d in _rows("departments.csv")}
        self.epcis = {e["code"]: Epci(**e) for e in _rows("epci.csv")}
        self.communes: dict[str, Commune] = {}
        for row in _rows("communes.csv"):
            del row["population"]
            self.communes.setdefault(row["code"], Commune(**row))
        self.source: dict[str, object] = yaml.safe_load(
            (DATA / "source.yaml").read_text(encoding="utf-8")
        )

    def region(self, code: str) -> Region | None:
        """Return the region of INSEE code ``32`` or short code ``HDF`` (None when unknown)."""
        key = code.strip()
        return self.regions.get(key) or self.by_short.get(key.upper().removeprefix("FR-"))

    def department(self, code: str) -> Department | None:
        """Return the department of code ``59``, ``2A`` or ``974`` (None when unknown)."""
        return self.departments.get(code.strip().upper())

    def commune(self, code: str) -> Commune | None:
        """Return the commune of INSEE code ``59350`` (current or former; None when unknown)."""
        return self.communes.get(code.strip().upper().zfill(5))

    def epci(self, code: str) -> Epci | None:
        """Return the EPCI of SIREN ``245900410`` (None when unknown)."""
        return self.epcis.get(code.strip())

    @property
    def vintage(self) -> int:
        """The year of the Code officiel géographique the tables hold."""
        return int(str(self.source["vintage"]))


@cache
def geography() -> Geography:
    """Return the geography, read on first use."""
    return Geography()


def place_name(code: str, lang: Lang = "fr") -> str:
    """Name a commune (``Lille (59)``), department or region code; unknown codes stay as given.

    Five characters (or a Corsican ``2A…``/``2B…``) are a commune; two or three, a department or
    an INSEE region code — a department wins, as registries write departments more often; letters
    alone are a region's short code.
    """
    found = geography()
    text = code.strip()
    if len(text) == 5:
        commune = found.commune(text)
        if commune is not None:
            return f"{commune.name} ({commune.department})"
    department = found.department(text) if len(text) in (2, 3) else None
    if department is not None and not text.isalpha():
        return department.name
    region = found.region(text)
    return region.label(lang) if region is not None else code


def place_value(column: str, value: object, lang: Lang = "fr") -> str:
    """Write a value of ``column`` for people: a place's name when the column holds places.

    A segment or domain by ``region`` shows « Hauts-de-France », never « HDF »; values of other
    columns (``sex=F``, a size band ``75``) are left as they are, since a code alone cannot say
    whether it is a place.
    """
    text = str(value)
    return place_name(text, lang) if column.strip().lower() in PLACE_COLUMNS else text


def region_names(codes: Iterable[str], lang: Lang) -> dict[str, str]:
    """Name the regions when every code given is a region's (INSEE ``84`` or short ``ARA``).

    A category the questionnaire does not label would reach a reader as its code; when all the
    categories of a variable are region codes they are regions, and get their names. Codes that
    are not all regions' stay as they are (an empty mapping): « 11 » alone proves nothing.
    """
    found = {code: geography().region(code) for code in codes}
    if not found or any(region is None for region in found.values()):
        return {}
    return {code: region.label(lang) for code, region in found.items() if region is not None}
