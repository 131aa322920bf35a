"""The report as one self-contained HTML file: styles inline, charts as inline SVG, no network.

The same HTML, with its print styles, is what WeasyPrint turns into the PDF, so both say exactly
the same thing.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from alliance.report.document import Document
from alliance.report.tables import Figure, Table

__all__ = ["render_html"]

_environment = Environment(
    loader=PackageLoader("alliance.report", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(document: Document) -> str:
    """Return the document as an HTML page."""
    template = _environment.get_template("notebook.html.j2")
    return template.render(
        doc=document,
        is_table=lambda block: isinstance(block, Table),
        is_figure=lambda block: isinstance(block, Figure),
        svg=lambda figure: Markup(_accessible(figure)),
    )


def _accessible(figure: Figure) -> str:
    """Give the chart's SVG an image role and its text alternative, also as its ``<title>``.

    Browsers read ``aria-label``; the tagged PDF takes a figure's alternate text (``/Alt``) from
    the SVG's ``<title>``, which WeasyPrint looks for as the SVG's first child.
    """
    svg = figure.svg.split("?>", 1)[-1].strip()
    if not svg:
        return ""  # every value withheld: no chart, the data table says why
    label = Markup.escape(figure.alt)
    head, rest = svg.split(">", 1)
    role = "" if 'role="img"' in head else 'role="img" '
    head = head.replace("<svg ", f'<svg {role}aria-label="{label}" ', 1)
    return f"{head}><title>{label}</title>{rest}"
