"""Documents: chapters of paragraphs, tables and figures, and their tables and figures in order."""

from __future__ import annotations

import dataclasses

import pytest

from alliance.report.document import Chapter, Document
from alliance.report.tables import Column, Figure, Table

pytestmark = pytest.mark.unit

COLUMNS = [Column("item", "Item"), Column("share", "Share", "percent")]


def table(id: str) -> Table:
    return Table(id=id, title=f"Table {id}", columns=COLUMNS, rows=[{"item": "a", "share": 0.5}])


def figure(id: str, data: str) -> Figure:
    return Figure(id=id, title=f"Figure {id}", svg="<svg></svg>", alt="a: 50%", data=table(data))


def document() -> Document:
    return Document(
        lang="fr",
        title="Carnet",
        subtitle="Vague 2022",
        notice="Données synthétiques",
        chapters=[
            Chapter("intro", "Introduction", ["Un paragraphe."]),
            Chapter("shares", "Parts", ["Texte", table("T1"), figure("F1", "D1"), table("T2")]),
            Chapter("changes", "Évolutions", [figure("F2", "D2"), "Fin"], source="Enquête 2022"),
        ],
    )


def test_tables_in_reading_order_with_the_data_tables_of_figures():
    assert [t.id for t in document().tables()] == ["T1", "D1", "T2", "D2"]


def test_figures_in_reading_order():
    assert [f.id for f in document().figures()] == ["F1", "F2"]


def test_paragraphs_are_neither_tables_nor_figures():
    only_text = Document("en", "T", "S", "N", [Chapter("c", "C", ["one", "two"])])

    assert (only_text.tables(), only_text.figures()) == ([], [])


def test_defaults_are_empty_and_documents_are_frozen():
    built = document()

    assert (built.provenance, built.labels) == ({}, {})
    assert built.chapters[0].source == ""
    assert built.chapters[2].source == "Enquête 2022"
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.title = "Autre"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.chapters[0].title = "Autre"  # type: ignore[misc]
