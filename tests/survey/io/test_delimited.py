"""CSV as people write it: encodings, separators and decimal commas detected; broken files named."""

from __future__ import annotations

import codecs

import polars as pl
import pytest

from alliance.errors import DataFileError
from alliance.survey.io.delimited import detect_encoding, read_delimited

pytestmark = pytest.mark.unit

FRENCH = "id;région;poids;q1\nR1;Île-de-France;1,5;1\nR2;Hauts-de-France;0,75;NA\nR3;Grand Est;2;\n"


def test_french_csv_from_a_spreadsheet(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(FRENCH.encode("cp1252"))

    responses = read_delimited(path)

    assert (responses.encoding, responses.separator, responses.decimal_comma) == (
        "windows-1252",
        ";",
        True,
    )
    assert responses.frame["région"].to_list() == ["Île-de-France", "Hauts-de-France", "Grand Est"]
    assert responses.frame["poids"].to_list() == [1.5, 0.75, 2.0]
    assert responses.frame["q1"].to_list() == [1, None, None]
    assert responses.describe() == "csv, encoding=windows-1252, separator=;, decimal=,"


def test_utf8_with_bom_and_commas(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(codecs.BOM_UTF8 + "id,âge,w\n1,35,1.25\n".encode())

    responses = read_delimited(path)

    assert responses.encoding == "utf-8-sig"
    assert responses.frame.columns == ["id", "âge", "w"]
    assert responses.frame["w"].dtype == pl.Float64


def test_tab_separated(tmp_path):
    path = tmp_path / "export.tsv"
    path.write_text("id\tq\n1\t2\n2\t3\n", encoding="utf-8")

    assert read_delimited(path).separator == "\t"


def test_latin1_is_told_from_windows_1252():
    assert detect_encoding("é".encode("latin-1") + b"\x81") == "latin-1"
    assert detect_encoding("« é »".encode("cp1252")) == "windows-1252"


def test_rows_are_located_by_line(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(FRENCH, encoding="utf-8")

    location = read_delimited(path).location(1, "q1", "NA")

    assert (location.file, location.line, location.field) == ("export.csv", 3, "q1")


def test_ragged_line_names_the_line(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a;b;c\n1;2;3\n4;5\n6;7;8\n", encoding="utf-8")

    with pytest.raises(DataFileError) as caught:
        read_delimited(path)

    assert caught.value.message("en") == (
        "Line with 2 fields where the header has 3 (file ragged.csv, line 3)"
    )


@pytest.mark.parametrize(
    ("content", "key"),
    [(b"", "survey.file_empty"), (b"  \n", "survey.file_empty"), (b"a;b\n", "survey.file_no_rows")],
    ids=["empty", "blank", "header-only"],
)
def test_files_without_responses(tmp_path, content, key):
    path = tmp_path / "r.csv"
    path.write_bytes(content)

    with pytest.raises(DataFileError) as caught:
        read_delimited(path)

    assert caught.value.key == key


def test_ragged_line_found_in_a_quoted_file(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text('id,comment\n1,"oui, très"\n2\n', encoding="utf-8")

    with pytest.raises(DataFileError) as caught:
        read_delimited(path)

    assert caught.value.location.line == 3


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes("id\tréponse\n1\tOui\n".encode("utf-16"))

    responses = read_delimited(path)

    assert (responses.encoding, responses.separator) == ("utf-16", "\t")
    assert responses.frame["réponse"].to_list() == ["Oui"]


def test_binary_file_is_not_read_as_text(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")

    with pytest.raises(DataFileError) as caught:
        read_delimited(path)

    assert caught.value.message("en") == (
        "This file is not CSV text (null bytes): save it as UTF-8 CSV (file export.csv)"
    )


def test_windows_1252_after_a_utf8_looking_head(tmp_path):
    path = tmp_path / "long.csv"
    head = "id;q\n" + "".join(f"R{i};1\n" for i in range(120_000))
    path.write_bytes(head.encode("ascii") + "R-fin;Élevé\n".encode("cp1252"))

    responses = read_delimited(path)

    assert responses.encoding == "windows-1252"
    assert responses.frame["q"][-1] == "Élevé"
