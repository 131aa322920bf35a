"""Table cells written per column kind in French and English; tables and figures as data."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from alliance.i18n import Lang
from alliance.report.tables import Column, Figure, Table

pytestmark = pytest.mark.unit

NNBSP = "\u202f"

COLUMNS = [
    Column("item", "Item"),
    Column("share", "Share", "percent"),
    Column("change", "Change", "points"),
    Column("deff", "Design effect", "number"),
    Column("n", "Answers", "integer"),
    Column("p", "p-value", "pvalue"),
    Column("fragile", "Fragile", "flag"),
]
ROW = {
    "item": "Territoires",
    "share": 0.558,
    "change": 0.043,
    "deff": 1.23456,
    "n": 12345,
    "p": 0.0421,
    "fragile": True,
}


def table(rows: list[dict[str, Any]] | None = None) -> Table:
    return Table(id="T1", title="Shares", columns=COLUMNS, rows=[ROW] if rows is None else rows)


def cells(row: dict[str, Any], lang: Lang) -> dict[str, str]:
    built = table([row])
    return {column.key: built.cell(row, column, lang) for column in COLUMNS}


def test_cells_in_french():
    assert cells(ROW, "fr") == {
        "item": "Territoires",
        "share": f"55,8{NNBSP}%",
        "change": f"+4,3{NNBSP}pts",
        "deff": "1,23",
        "n": f"12{NNBSP}345",
        "p": "0,042",
        "fragile": "⚠",
    }


def test_cells_in_english():
    assert cells(ROW, "en") == {
        "item": "Territoires",
        "share": "55.8%",
        "change": "+4.3 pts",
        "deff": "1.23",
        "n": "12,345",
        "p": "0.042",
        "fragile": "⚠",
    }


@pytest.mark.parametrize("missing", [None, ""])
def test_missing_values_are_empty_cells_whatever_the_kind(missing):
    row = dict.fromkeys(ROW, missing)

    assert set(cells(row, "fr").values()) == {""}
    assert set(cells({}, "en").values()) == {""}


@pytest.mark.parametrize(
    ("p", "french", "english"),
    [
        (0.0004, "<\u202f0,001", "< 0.001"),
        (0.0, "<\u202f0,001", "< 0.001"),
        (0.00099, "<\u202f0,001", "< 0.001"),
        (0.001, "0,001", "0.001"),
        (0.5, "0,500", "0.500"),
        (1, "1,000", "1.000"),
    ],
)
def test_small_p_values_are_bounded(p, french, english):
    column = Column("p", "p", "pvalue")

    assert table().cell({"p": p}, column, "fr") == french
    assert table().cell({"p": p}, column, "en") == english


@pytest.mark.parametrize(("value", "shown"), [(True, "⚠"), (1, "⚠"), (False, ""), (0, "")])
def test_flags_are_a_warning_sign_or_nothing(value, shown):
    assert table().cell({"f": value}, Column("f", "F", "flag"), "fr") == shown


def test_zero_is_a_value_not_a_missing_cell():
    zero = dict.fromkeys(["share", "change", "deff", "n", "p"], 0)

    assert cells(zero, "en") == {
        "item": "",
        "share": "0.0%",
        "change": "0.0 pts",
        "deff": "0.00",
        "n": "0",
        "p": "< 0.001",
        "fragile": "",
    }


def test_text_cells_are_written_as_given_and_numbers_accept_numeric_text():
    row = {"item": 2022, "share": "0.25", "n": 7.0}

    assert cells(row, "fr")["item"] == "2022"
    assert cells(row, "fr")["share"] == f"25,0{NNBSP}%"
    assert cells(row, "fr")["n"] == "7"


def test_column_kind_defaults_to_text():
    assert Column("item", "Item").kind == "text"


def test_table_defaults_and_immutability():
    built = table()

    assert (built.note, built.provenance, built.synthetic) == ("", "", False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.title = "Other"  # type: ignore[misc]


def test_figure_carries_its_data_table_and_has_no_notes_by_default():
    data = table()
    figure = Figure(id="F1", title="Shares", svg="<svg></svg>", alt="Territoires: 55.8%", data=data)

    assert figure.data is data
    assert figure.notes == []
    assert Figure("F2", "t", "<svg/>", "a", data).notes is not figure.notes
