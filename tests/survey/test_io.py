"""Reading responses and targets, writing weighted data: formats, missing values, clear errors."""

from __future__ import annotations

import json

import polars as pl
import pytest

from alliance.errors import DataFileError
from alliance.survey.io import read_margins, read_responses, write_responses

pytestmark = pytest.mark.unit


def test_csv_empty_cells_and_na_are_missing(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("q,w\n1,1.5\n,2\nNA,3\n", encoding="utf-8")

    frame = read_responses(path)

    assert frame["q"].to_list() == [1, None, None]
    assert frame["w"].dtype == pl.Float64


def test_parquet_round_trip_is_atomic(tmp_path):
    path = tmp_path / "out" / "r.parquet"
    frame = pl.DataFrame({"q": [1, 2], "weight": [0.5, 1.5]})

    write_responses(frame, path)

    assert read_responses(path).equals(frame)
    assert sorted(p.name for p in path.parent.iterdir()) == ["r.parquet"]


def test_unknown_format_names_the_suffix(tmp_path):
    with pytest.raises(DataFileError) as caught:
        read_responses(tmp_path / "r.sav")

    assert caught.value.message("en") == (
        f"Unsupported file format (.sav): CSV or Parquet expected (file {tmp_path / 'r.sav'})"
    )


def test_ragged_csv_is_unreadable_with_the_file(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("a,b\n1,2\n3,4,5,6\n", encoding="utf-8")

    with pytest.raises(DataFileError) as caught:
        read_responses(path)

    assert caught.value.key == "survey.file_unreadable"
    assert caught.value.location.file == str(path)


def test_margins_with_population_total(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"sex": {"F": 0.52, "M": 0.48}, "population_total": 1000}))

    margins, total = read_margins(path)

    assert margins == {"sex": {"F": 0.52, "M": 0.48}}
    assert total == 1000.0


def test_margins_json_syntax_error_gives_line_and_column(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{\n  "sex": {"F": 0.5,}\n}')

    with pytest.raises(DataFileError) as caught:
        read_margins(path)

    assert (caught.value.location.line, caught.value.location.column) == (2, 20)


def test_negative_target_names_variable_and_category(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"sex": {"F": -0.1, "M": 1.1}}))

    with pytest.raises(DataFileError) as caught:
        read_margins(path)

    assert caught.value.message("fr") == (
        f"Fichier de cibles invalide : not a number ≥ 0 (fichier {path}, champ 'sex.F', "
        "valeur -0.1)"
    )
