"""The workbook: notes sheet first, one sheet per table, shares as formatted numbers, flags 0/1."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from alliance.report.document import Chapter, Document
from alliance.report.tables import Column, Figure, Table
from alliance.report.xlsx import write_xlsx

pytestmark = pytest.mark.unit

LABELS = {
    "notes_sheet": "read me",
    "table": "Table",
    "title": "Title",
    "synthetic_short": "Synthetic.",
}
PROVENANCE = {
    "tables": {
        "T1": {"description": "From wave-2022.sav, raked to margins-2022.yaml"},
        "D1": {"description": "Data of chart F1"},
    }
}


def document(labels: dict[str, str] | None = None) -> Document:
    shares = Table(
        id="T1",
        title="Shares by domain",
        columns=[
            Column("item", "Domain"),
            Column("share", "Share", "percent"),
            Column("change", "Change", "points"),
            Column("deff", "Design effect", "number"),
            Column("n", "Answers", "integer"),
            Column("p", "p-value", "pvalue"),
            Column("fragile", "Fragile", "flag"),
        ],
        rows=[
            {
                "item": "Territories",
                "share": 0.558,
                "change": 0.043,
                "deff": 1.25,
                "n": 1234,
                "p": 0.0004,
                "fragile": False,
            },
            {"item": "People", "share": 0.3, "change": -0.02, "n": 25, "fragile": True},
        ],
        note="Weighted shares.",
        provenance="T1",
        synthetic=True,
    )
    data = Table(
        "D1",
        "Data of chart F1",
        [Column("label", "Label"), Column("share", "Share", "percent")],
        [{"label": "Innovation", "share": 0.42}],
    )
    chart = Figure("F1", "Innovation", "<svg></svg>", "Innovation: 42%.", data)
    return Document(
        lang="en",
        title="Alliance notebook",
        subtitle="Wave 2022",
        notice="Synthetic data: no figure describes a real organisation.",
        chapters=[
            Chapter("impact", "Impact", ["Text.", shares]),
            Chapter("charts", "Charts", [chart, "More text."]),
        ],
        provenance=PROVENANCE,
        labels=LABELS if labels is None else labels,
    )


def values(sheet: Worksheet) -> list[list[object]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "tables.xlsx"
    write_xlsx(document(), path)
    return path


def test_notes_sheet_first_then_one_sheet_per_table(written):
    book = load_workbook(written)

    assert book.sheetnames == ["read me", "T1", "D1"]
    assert [p.name for p in written.parent.iterdir()] == ["tables.xlsx"]


def test_notes_sheet_lists_the_tables_with_their_provenance(written):
    notes = load_workbook(written)["read me"]

    assert values(notes) == [
        ["Alliance notebook", None, None],
        ["Synthetic data: no figure describes a real organisation.", None, None],
        [None, None, None],
        ["Table", "Title", None],
        ["T1", "Shares by domain", "From wave-2022.sav, raked to margins-2022.yaml"],
        ["D1", "Data of chart F1", "Data of chart F1"],
    ]
    assert notes["A1"].font.b


def test_table_sheet_keeps_numbers_as_numbers(written):
    sheet = load_workbook(written)["T1"]

    assert values(sheet)[:4] == [
        ["T1 — Shares by domain", None, None, None, None, None, None],
        ["Domain", "Share", "Change", "Design effect", "Answers", "p-value", "Fragile"],
        ["Territories", 0.558, 0.043, 1.25, 1234, 0.0004, 0],
        ["People", 0.3, -0.02, None, 25, None, 1],
    ]
    assert sheet["A1"].font.b
    assert all(cell.font.b for cell in sheet[2])


def test_number_formats_per_column_kind(written):
    sheet = load_workbook(written)["T1"]

    assert [cell.number_format for cell in sheet[3]] == [
        "General",
        "0.0%",
        "+0.0%;-0.0%;0.0%",
        "0.00",
        "General",
        "0.000",
        "General",
    ]
    # Missing values stay empty cells, without a number format.
    assert [sheet.cell(4, column).number_format for column in (4, 6)] == ["General", "General"]
    assert sheet["B4"].number_format == "0.0%"


def test_flags_are_zero_or_one_integers(written):
    sheet = load_workbook(written)["T1"]

    flags = [sheet["G3"].value, sheet["G4"].value]
    assert flags == [0, 1]
    assert all(type(flag) is int for flag in flags)


def test_table_sheet_ends_with_its_note_synthetic_mention_and_provenance(written):
    rows = values(load_workbook(written)["T1"])

    assert [row[0] for row in rows[4:]] == [
        None,
        "Weighted shares.",
        "Synthetic.",
        "From wave-2022.sav, raked to margins-2022.yaml",
    ]


def test_figure_data_sheet(written):
    sheet = load_workbook(written)["D1"]

    assert values(sheet) == [
        ["D1 — Data of chart F1", None],
        ["Label", "Share"],
        ["Innovation", 0.42],
        [None, None],
        ["Data of chart F1", None],
    ]
    assert sheet["B3"].number_format == "0.0%"
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width) == (44, 18)


def test_without_labels_or_provenance_the_defaults_apply(tmp_path):
    bare = Document(
        lang="fr",
        title="Carnet",
        subtitle="",
        notice="Données synthétiques.",
        chapters=[Chapter("c", "C", [Table("T1", "Parts", [Column("a", "A")], [{"a": "x"}])])],
    )
    path = tmp_path / "bare.xlsx"

    write_xlsx(bare, path)

    book = load_workbook(path)
    assert book.sheetnames == ["notes", "T1"]
    assert values(book["notes"])[3:] == [["Table", None, None], ["T1", "Parts", None]]


def test_long_notes_sheet_name_is_cut_to_excel_limit(tmp_path):
    path = tmp_path / "long.xlsx"

    write_xlsx(document({**LABELS, "notes_sheet": "n" * 40}), path)

    assert load_workbook(path).sheetnames[0] == "n" * 31


def test_no_text_runs_as_a_formula(tmp_path: Path):
    table = Table(
        id="T9", title="=cmd|' /C calc'!A0",
        columns=[Column("item", "@Domain"), Column("share", "Share", "percent")],
        rows=[{"item": "=1+1", "share": -0.25}],
    )  # fmt: skip
    doc = Document(
        lang="en", title="+Report", subtitle="", notice="-",
        chapters=[Chapter("one", "One", [table])], labels=LABELS,
    )  # fmt: skip
    write_xlsx(doc, tmp_path / "tables.xlsx")
    book = load_workbook(tmp_path / "tables.xlsx")
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert {c.data_type for c in cells if c.value is not None} == {"s", "n"}
    assert book["T9"]["A3"].value == "'=1+1"
    assert book["T9"]["B3"].value == -0.25
    assert book.worksheets[0]["A1"].value == "'+Report"
