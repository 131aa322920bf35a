"""A report as a document: chapters of paragraphs, tables and figures, in one language.

Writers (:mod:`alliance.report.html`, :mod:`alliance.report.pdf`, :mod:`alliance.report.xlsx`)
take a :class:`Document` and produce their format; nothing about the study lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alliance.i18n import Lang
from alliance.report.tables import Figure, Table

__all__ = ["Block", "Chapter", "Cover", "Document", "Reference"]

Block = Table | Figure | str


@dataclass(frozen=True)
class Chapter:
    """A chapter: its title, its paragraphs and blocks in reading order, and what it rests on."""

    id: str
    title: str
    blocks: list[Block]
    source: str = ""


@dataclass(frozen=True)
class Cover:
    """What a publication's cover says besides its title: edition, date and the names on it.

    ``credits`` are (role, name) pairs; ``mark`` is the synthetic mark when the data are.
    """

    edition: str = ""
    date: str = ""
    authors: list[str] = field(default_factory=list)
    credits: list[tuple[str, str]] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    mark: str = ""


@dataclass(frozen=True)
class Reference:
    """One entry of the bibliography: its text and, when it is online, its address."""

    text: str
    url: str = ""


@dataclass(frozen=True)
class Document:
    """A whole report."""

    lang: Lang
    title: str
    subtitle: str
    notice: str
    chapters: list[Chapter]
    provenance: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    cover: Cover | None = None
    #: The « chiffres clés » page, before the chapters (front matter, not numbered).
    key_figures: Chapter | None = None
    #: The earlier volumes of the publication's series, then every other source it cites.
    volumes: list[Reference] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    #: The « comment citer » text.
    citation: str = ""

    def tables(self) -> list[Table]:
        """Every table, with the data tables of figures, in reading order."""
        found: list[Table] = []
        front = [self.key_figures] if self.key_figures else []
        for chapter in [*front, *self.chapters]:
            for block in chapter.blocks:
                if isinstance(block, Table):
                    found.append(block)
                elif isinstance(block, Figure):
                    found.append(block.data)
        return found

    def figures(self) -> list[Figure]:
        """Every figure, in reading order."""
        return [b for c in self.chapters for b in c.blocks if isinstance(b, Figure)]
