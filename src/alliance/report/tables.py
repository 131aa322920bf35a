"""Tables and figures of a report, independent of the output format (HTML, PDF, XLSX).

A :class:`Table` holds raw values (shares as 0–1, counts as integers) and the kind of each column;
each writer formats them its own way (text with the language's separators for HTML, numbers for
XLSX). A :class:`Figure` is a chart as SVG with its text alternative and the table of its data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from alliance.i18n import Lang
from alliance.report.numbers import number, percent, points

__all__ = ["Column", "Figure", "Table"]

Kind = Literal["text", "percent", "points", "number", "integer", "pvalue", "flag"]


@dataclass(frozen=True)
class Column:
    """A column: the key in each row, its header, and how to write its values."""

    key: str
    label: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """A numbered table with its provenance reference."""

    id: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    note: str = ""
    provenance: str = ""
    synthetic: bool = False

    def cell(self, row: dict[str, Any], column: Column, lang: Lang) -> str:
        """Return a value as people read it in ``lang``."""
        value = row.get(column.key)
        if value is None or value == "":
            return ""
        if column.kind == "percent":
            return percent(float(value), lang)
        if column.kind == "points":
            return points(float(value), lang)
        if column.kind == "number":
            return number(float(value), lang, 2)
        if column.kind == "integer":
            return number(float(value), lang, 0)
        if column.kind == "pvalue":
            if value < 0.001:
                return "<\u202f0,001" if lang == "fr" else "< 0.001"
            return number(float(value), lang, 3)
        if column.kind == "flag":
            return "⚠" if value else ""
        return str(value)


@dataclass(frozen=True)
class Figure:
    """A chart: its SVG, what it shows in words, and the table of its data."""

    id: str
    title: str
    svg: str
    alt: str
    data: Table
    notes: list[str] = field(default_factory=list)
