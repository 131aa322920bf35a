"""The notebook's frameworks drawn from the referential's data: the figures that teach them.

The notebook explains its frameworks with figures (the « maison » of the socio-economic model, the
carré magique, the four categories, the innovation process, the three engineerings); its figures
were images and are lost. These diagrams are drawn from the referential alone, so they change when
the data does, and say how sure they are: a diagram resting on any inferred or unknown item or
link carries the words « schéma reconstitué » on the drawing itself. Each is an SVG (the same in
the HTML, the PDF and the referential's pages) with a title, a description and a text alternative
that says, in words, everything the drawing shows.

SVG is built with :mod:`xml.etree.ElementTree`, so texts from the data are escaped, never markup.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from alliance.i18n import Lang
from alliance.messages import render
from alliance.referential import default_referential
from alliance.referential.model import Item, Status

__all__ = ["DIAGRAMS", "Diagram", "diagram"]

FONT = "DejaVu Sans, sans-serif"
INK, LINE, PALE, STRONG = "#1b2733", "#8aa2bd", "#e8eef5", "#1f4e79"
SURE = {Status.NOTEBOOK, Status.CONFIRMED}


@dataclass(frozen=True)
class Diagram:
    """A framework drawn: its SVG, what it says in words, and whether it is a reconstruction."""

    framework: str
    title: str
    svg: str
    alt: str
    reconstructed: bool


class _Canvas:
    """An SVG under construction: boxes, lines and wrapped texts."""

    def __init__(self, width: int, height: int, title: str, alt: str) -> None:
        self.root = ET.Element("svg", {
            "xmlns": "http://www.w3.org/2000/svg", "width": str(width), "height": str(height),
            "viewBox": f"0 0 {width} {height}", "role": "img", "font-family": FONT,
        })  # fmt: skip
        ET.SubElement(self.root, "title").text = title
        ET.SubElement(self.root, "desc").text = alt
        self.width, self.height = width, height

    def box(self, x: float, y: float, w: float, h: float, *, fill: str = PALE) -> None:
        ET.SubElement(self.root, "rect", {
            "x": f"{x:g}", "y": f"{y:g}", "width": f"{w:g}", "height": f"{h:g}", "rx": "6",
            "fill": fill, "stroke": LINE, "stroke-width": "1.2",
        })  # fmt: skip

    def line(self, points: Iterable[tuple[float, float]], *, dashed: bool = False) -> None:
        attributes = {"fill": "none", "stroke": LINE, "stroke-width": "1.5"}
        if dashed:
            attributes["stroke-dasharray"] = "5 4"
        attributes["points"] = " ".join(f"{x:g},{y:g}" for x, y in points)
        ET.SubElement(self.root, "polyline", attributes)

    def text(
        self, x: float, y: float, words: str, *, size: int = 12, width: int = 24,
        bold: bool = False, colour: str = INK, anchor: str = "middle",
    ) -> None:  # fmt: skip
        """Write ``words`` wrapped at ``width`` characters, its first line's baseline at ``y``."""
        node = ET.SubElement(self.root, "text", {
            "x": f"{x:g}", "y": f"{y:g}", "fill": colour, "font-size": str(size),
            "text-anchor": anchor, "font-weight": "bold" if bold else "normal",
        })  # fmt: skip
        for index, line in enumerate(textwrap.wrap(words, width) or [""]):
            span = ET.SubElement(node, "tspan", {"x": f"{x:g}", "dy": "1.2em" if index else "0"})
            span.text = line

    def stamp(self, lang: Lang) -> None:
        """Write « schéma reconstitué » in the top right corner."""
        words = render("report.diagram_reconstructed", lang)
        self.text(self.width - 8, 16, words, size=11, width=60, colour="#8a5a00", anchor="end")

    def svg(self) -> str:
        return ET.tostring(self.root, encoding="unicode")


def _sure(items: Iterable[Item], statuses: Iterable[Status] = ()) -> bool:
    """Whether every item (and every extra status, a link's) is notebook or confirmed."""
    return all(
        i.status in SURE and (i.definition_status or i.status) in SURE for i in items
    ) and all(s in SURE for s in statuses)


def _finish(canvas: _Canvas, code: str, title: str, alt: str, sure: bool, lang: Lang) -> Diagram:
    if not sure:
        canvas.stamp(lang)
    return Diagram(code, title, canvas.svg(), alt, reconstructed=not sure)


def _house(lang: Lang) -> Diagram:
    """Draw the « maison »: the three levers as the house's pillars, with their components."""
    framework = default_referential().framework("levers")
    levers = framework.roots()
    title = framework.title(lang)
    parts = {
        lever.code: [c.label(lang) for c in framework.children(lever.code)] for lever in levers
    }
    alt = render("report.diagram_house_alt", lang, levers=" ; ".join(
        f"{lever.label(lang)} ({', '.join(parts[lever.code])})" for lever in levers
    ))  # fmt: skip
    canvas = _Canvas(560, 330, title, alt)
    canvas.line([(40, 112), (280, 16), (520, 112)])
    canvas.text(280, 84, render("report.diagram_house_roof", lang), size=12, width=34, bold=True)
    for index, lever in enumerate(levers):
        x = 40 + index * 165
        canvas.box(x, 120, 150, 190, fill=PALE)
        canvas.text(x + 75, 142, lever.label(lang), bold=True, width=20)
        canvas.text(x + 75, 180, " · ".join(parts[lever.code]), size=10, width=25)
    return _finish(canvas, "levers", title, alt, _sure(levers), lang)


def _magic_square(lang: Lang) -> Diagram:
    """Draw the carré magique: the four objectives on the two axes, with what each calls for."""
    referential = default_referential()
    framework = referential.framework("objectives")
    title = framework.title(lang)
    cells = {"processus": (0, 0), "positionnement": (1, 0), "business_model": (0, 1),
             "proposition_valeur": (1, 1)}  # fmt: skip
    placed = [o for o in framework if o.code in cells]
    shown = ("lever_position", "stake", "activates_category")
    links = {o.code: [link for link in o.links if link.rel in shown] for o in placed}
    words = {
        o.code: [
            f"{render(f'item.rel_{link.rel}', lang)} : {referential.item(link.target).label(lang)}"
            for link in links[o.code]
        ]
        for o in placed
    }
    alt = render("report.diagram_square_alt", lang, cells=" ; ".join(
        f"{o.label(lang)} ({'; '.join(words[o.code])})" for o in placed
    ))  # fmt: skip
    canvas = _Canvas(560, 390, title, alt)
    for objective in placed:
        column, row = cells[objective.code]
        x, y = 150 + column * 200, 70 + row * 150
        canvas.box(x, y, 190, 140, fill=PALE if row == 0 else "#eef5ea")
        canvas.text(x + 95, y + 26, objective.label(lang), bold=True, width=22)
        inside = [
            w
            for w, link in zip(words[objective.code], links[objective.code], strict=True)
            if link.rel == "activates_category" or (row == 1 and link.rel == "stake")
        ]
        canvas.text(x + 95, y + 56, " — ".join(inside), size=10, width=30)
    axes = referential.framework("objective-axes")
    canvas.text(350, 30, axes.item("position_levier").label(lang), size=11, bold=True, width=60)
    canvas.text(245, 58, axes.item("levier_interne").label(lang), size=10, width=30)
    canvas.text(445, 58, axes.item("levier_externe").label(lang), size=10, width=30)
    canvas.text(70, 130, axes.item("mobilisation").label(lang), size=10, width=18)
    canvas.text(70, 280, render("report.diagram_valorisation", lang), size=10, width=18)
    statuses = [link.status for code in links for link in links[code]]
    return _finish(canvas, "objectives", title, alt, _sure(placed, statuses), lang)


def _row(code: str, lang: Lang, *, arrows: bool, alt_key: str) -> Diagram:
    """Draw a framework's root items side by side (a process when ``arrows``), children inside."""
    framework = default_referential().framework(code)
    roots = framework.roots()
    title = framework.title(lang)
    width = max(560, 40 + len(roots) * 150)
    step = (width - 40) / len(roots)
    children = {r.code: [c.label(lang) for c in framework.children(r.code)] for r in roots}
    alt = render(alt_key, lang, items=" ; ".join(
        r.label(lang) + (f" ({', '.join(children[r.code])})" if children[r.code] else "")
        for r in roots
    ))  # fmt: skip
    height = 150 if any(children.values()) else 80
    canvas = _Canvas(int(width), height + 80, title, alt)
    for index, item in enumerate(roots):
        x = 20 + index * step
        canvas.box(x, 40, step - 24, height, fill=STRONG if item.status in SURE else "#f6ead2")
        colour = "#ffffff" if item.status in SURE else INK
        canvas.text(x + (step - 24) / 2, 64, item.label(lang), bold=True, width=18, colour=colour)
        if children[item.code]:
            text = " · ".join(children[item.code])
            canvas.text(x + (step - 24) / 2, 110, text, size=9, width=24, colour=colour)
        if arrows and index < len(roots) - 1:
            tip, middle = x + step - 6, 40 + height / 2
            canvas.line([(tip - 14, middle), (tip, middle)])
            canvas.line([(tip - 6, middle - 6), (tip, middle), (tip - 6, middle + 6)])
    if not _sure(roots):
        legend = render("report.diagram_legend_inferred", lang)
        canvas.text(20, height + 66, legend, size=10, width=90, anchor="start")
    return _finish(canvas, code, title, alt, _sure(roots), lang)


#: The frameworks drawn, and how.
DIAGRAMS: dict[str, Callable[[Lang], Diagram]] = {
    "levers": _house,
    "objectives": _magic_square,
    "partnership-categories": lambda lang: _row(
        "partnership-categories", lang, arrows=False, alt_key="report.diagram_categories_alt"
    ),
    "innovation-stages": lambda lang: _row(
        "innovation-stages", lang, arrows=True, alt_key="report.diagram_process_alt"
    ),
    "territorial-engineerings": lambda lang: _row(
        "territorial-engineerings", lang, arrows=False, alt_key="report.diagram_engineerings_alt"
    ),
}


def diagram(framework: str, lang: Lang) -> Diagram | None:
    """Return the framework's diagram in ``lang`` (None for a framework not drawn)."""
    draw = DIAGRAMS.get(framework)
    return draw(lang) if draw is not None else None
