"""Writers: SPSS with labels for pollsters, XLSX, CSV; atomic; unsupported formats named."""

from __future__ import annotations

import polars as pl
import pyreadstat
import pytest
from openpyxl import load_workbook

from alliance.errors import DataFileError
from alliance.survey.io.responses import Responses
from alliance.survey.io.writing import write_responses

pytestmark = pytest.mark.unit


def responses(tmp_path):
    return Responses(
        frame=pl.DataFrame({"q1": [1.0, 2.0, 9.0], "sex": ["F", "M", "F"]}),
        path=tmp_path / "in.csv",
        format="csv",
        variable_labels={"q1": "Impact sur les territoires"},
        value_labels={"q1": {1: "Très fort", 2: "Fort", 9: "Ne sait pas"}},
        missing_codes={"q1": [9]},
    )


def test_sav_has_variable_labels_value_labels_and_missing_codes(tmp_path):
    path = tmp_path / "out.sav"

    write_responses(responses(tmp_path), path)

    frame, meta = pyreadstat.read_sav(str(path), output_format="polars", user_missing=True)
    assert frame["q1"].to_list() == [1.0, 2.0, 9.0]
    assert meta.column_names_to_labels["q1"] == "Impact sur les territoires"
    assert meta.variable_value_labels["q1"] == {1.0: "Très fort", 2.0: "Fort", 9.0: "Ne sait pas"}
    assert meta.missing_ranges["q1"] == [{"lo": 9.0, "hi": 9.0}]


def test_xlsx_and_csv(tmp_path):
    write_responses(responses(tmp_path), tmp_path / "out.xlsx")
    write_responses(responses(tmp_path), tmp_path / "out.csv")

    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == ["q1", "sex"]
    assert (tmp_path / "out.csv").read_text().splitlines()[1] == "1.0,F"


def test_unsupported_output_names_the_formats(tmp_path):
    with pytest.raises(DataFileError) as caught:
        write_responses(responses(tmp_path), tmp_path / "out.json")

    assert caught.value.message("en").startswith(
        "Unsupported output format (.json); writable formats: .parquet, .sav, .xlsx, .csv"
    )
    assert list(tmp_path.iterdir()) == []
