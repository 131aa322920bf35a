"""A report as a document: chapters of paragraphs, tables and figures, in one language.

Writers (:mod:`alliance.report.html`, :mod:`alliance.report.pdf`, :mod:`alliance.report.xlsx`)
take a :class:`Document` and produce their format; nothing about the study lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alliance.i18n import Lang
from alliance.report.tables import Figure, Table

__all__ = ["Block", "Chapter", "Document"]

Block = Table | Figure | str


@dataclass(frozen=True)
class Chapter:
    """A chapter: its title, its paragraphs and blocks in reading order, and what it rests on."""

    id: str
    title: str
    blocks: list[Block]
    source: str = ""


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

    def tables(self) -> list[Table]:
        """Every table, with the data tables of figures, in reading order."""
        found: list[Table] = []
        for chapter in self.chapters:
            for block in chapter.blocks:
                if isinstance(block, Table):
                    found.append(block)
                elif isinstance(block, Figure):
                    found.append(block.data)
        return found

    def figures(self) -> list[Figure]:
        """Every figure, in reading order."""
        return [b for c in self.chapters for b in c.blocks if isinstance(b, Figure)]
