"""XLSX written by openpyxl: the header found under titles, sheets by name, texts kept."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from alliance.errors import DataFileError
from alliance.survey.io.spreadsheet import read_spreadsheet

pytestmark = pytest.mark.unit


def workbook(path, sheets):
    book = Workbook()
    for default in list(book.worksheets):
        book.remove(default)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def test_header_under_a_title_and_a_blank_row(tmp_path):
    path = tmp_path / "export.xlsx"
    rows = [
        ["Enquête élus 2022"],
        [],
        ["id", "taille", "q1"],
        ["E1", "lt1000", 1],
        ["E2", "50000+", 3],
    ]
    workbook(path, {"Réponses": rows})

    responses = read_spreadsheet(path)

    assert responses.sheet == "Réponses"
    assert responses.frame.columns == ["id", "taille", "q1"]
    assert responses.frame["q1"].to_list() == [1, 3]
    assert responses.location(1).row == 5


def test_named_sheet_and_unknown_sheet(tmp_path):
    path = tmp_path / "export.xlsx"
    workbook(path, {"notes": [["lisez-moi"]], "data": [["id", "q"], [1, 2]]})

    assert read_spreadsheet(path, "data").frame["q"].to_list() == [2]
    with pytest.raises(DataFileError) as caught:
        read_spreadsheet(path, "données")
    assert caught.value.message("en").startswith(
        "Sheet 'données' is not in the workbook (sheets: notes, data)"
    )


def test_column_mixing_numbers_and_texts_stays_text(tmp_path):
    path = tmp_path / "export.xlsx"
    workbook(path, {"s": [["id", "q"], [1, 1], [2, "Fort"]]})

    assert read_spreadsheet(path).frame["q"].to_list() == ["1", "Fort"]


def test_not_a_workbook(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_text("pas un classeur")

    with pytest.raises(DataFileError) as caught:
        read_spreadsheet(path)

    assert caught.value.key == "survey.file_unreadable"


def test_header_only_sheet(tmp_path):
    path = tmp_path / "export.xlsx"
    workbook(path, {"s": [["id", "q"]]})

    with pytest.raises(DataFileError) as caught:
        read_spreadsheet(path)

    assert caught.value.key == "survey.file_no_rows"
