"""One way to show a referential item to people, whatever shows it: a page, the notebook, the CLI.

Records (:mod:`alliance.referential.records`) are for machines: codes, raw fields. People need
more and less: the label; how sure we are of the item **and**, when it differs, of its definition
(an item named in the notebook whose meaning we reconstructed carries two badges); the published
figure with its population, year and sample size; the note, called a hypothesis when the item is a
placeholder for something the sources do not name; the typed links, each with its own status; the
practice sheet; the parent by its label; the sources by their titles. :func:`item_view` builds
that once, in the reader's language; the web template, the notebook's tables and ``alliance
referential show`` only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alliance.i18n import Lang
from alliance.messages import render
from alliance.referential.framework import Referential
from alliance.referential.model import ActorProfile, Item, PublishedFigure, Status

__all__ = ["Badge", "FigureView", "ItemView", "LinkView", "SheetView", "SourceView", "item_view"]


@dataclass(frozen=True)
class Badge:
    """A status as shown: its code (for the badge's colour) and its words."""

    status: str
    text: str


@dataclass(frozen=True)
class SourceView:
    """A source by its title, with its address when it has one."""

    title: str
    url: str | None = None


@dataclass(frozen=True)
class LinkView:
    """A typed link: what it says (« catégorie activée »), to which item, and how sure it is."""

    relation: str
    #: ``framework/code``.
    target: str
    target_label: str
    badge: Badge

    @property
    def target_framework(self) -> str:
        """The framework of the linked item."""
        return self.target.split("/")[0]

    @property
    def target_code(self) -> str:
        """The linked item's code in its framework."""
        return self.target.split("/")[1]


@dataclass(frozen=True)
class FigureView:
    """A published figure: its value, population, study, year and sample size."""

    value: float | None
    text: str
    population: str
    study: str | None
    year: int | None
    sample_size: int | None
    answer_points: str | None


@dataclass(frozen=True)
class SheetView:
    """A practice sheet: known (with its address) or not, and how sure we are of it."""

    badge: Badge
    url: str | None


@dataclass(frozen=True)
class ItemView:
    """Everything a reader sees of one item, in one language."""

    framework: str
    code: str
    label: str
    definition: str
    #: The item's status, then its definition's when it differs.
    badges: list[Badge]
    parent: tuple[str, str] | None
    note: str | None
    #: The note is a hypothesis: the item holds the place of something the sources do not name.
    hypothesis: bool
    figure: FigureView | None
    links: list[LinkView] = field(default_factory=list)
    sheet: SheetView | None = None
    sources: list[SourceView] = field(default_factory=list)

    @property
    def status_text(self) -> str:
        """The badges as one phrase, for plain text (a CLI cell, a notebook table)."""
        return " · ".join(badge.text for badge in self.badges)


def _badge(status: Status, lang: Lang, prefix: str = "") -> Badge:
    words = render(f"status.{status.value}", lang)
    return Badge(status.value, f"{prefix}{words}")


def _badges(item: Item, lang: Lang) -> list[Badge]:
    badges = [_badge(item.status, lang)]
    if item.definition_status is not None and item.definition_status is not item.status:
        badges.append(_badge(item.definition_status, lang, render("item.definition_prefix", lang)))
    return badges


def _percentage(value: float, lang: Lang) -> str:
    """Write a published percentage as published: ``56 %`` (French spacing), ``56%``."""
    digits = f"{value:g}"
    return f"{digits.replace('.', ',')}\u202f%" if lang == "fr" else f"{digits}%"


def _figure(item: Item, referential: Referential, lang: Lang) -> FigureView | None:
    if not isinstance(item, PublishedFigure):
        return None
    population = referential.item(f"actor-profiles/{item.population}").label(lang)
    detail = item.population_detail(lang)
    return FigureView(
        value=item.value,
        text=_percentage(item.value, lang) if item.value is not None else "—",
        population=f"{population} — {detail}" if detail else population,
        study=item.study,
        year=item.year,
        sample_size=item.sample_size,
        answer_points=item.answer_points(lang) if item.answer_points else None,
    )


def _sheet(item: Item, lang: Lang) -> SheetView | None:
    if not isinstance(item, ActorProfile) or item.practice_sheet is None:
        return None
    sheet = item.practice_sheet
    return SheetView(_badge(sheet.status, lang), sheet.url)


def item_view(item: Item, referential: Referential, lang: Lang, framework: str = "") -> ItemView:
    """Return what a reader sees of ``item`` (of ``framework``) in ``lang``.

    Examples
    --------
    >>> from alliance.referential import default_referential
    >>> referential = default_referential()
    >>> item = referential.item("partnership-categories/mecenat_competences")
    >>> view = item_view(item, referential, "fr", "partnership-categories")
    >>> view.label, view.parent
    ('Mécénat de compétences', ('mecenat', 'Mécénat'))
    """
    parent = None
    if item.parent is not None and framework:
        parent = (item.parent, referential.item(f"{framework}/{item.parent}").label(lang))
    links = [
        LinkView(
            relation=render(f"item.rel_{link.rel}", lang),
            target=link.target,
            target_label=referential.item(link.target).label(lang),
            badge=_badge(link.status, lang),
        )
        for link in item.links
    ]
    sources = [
        SourceView(referential.sources[code].title, referential.sources[code].url)
        for code in item.sources
    ]
    return ItemView(
        framework=framework,
        code=item.code,
        label=item.label(lang),
        definition=item.definition(lang),
        badges=_badges(item, lang),
        parent=parent,
        note=item.note(lang) if item.note else None,
        hypothesis=item.is_placeholder,
        figure=_figure(item, referential, lang),
        links=links,
        sheet=_sheet(item, lang),
        sources=sources,
    )
