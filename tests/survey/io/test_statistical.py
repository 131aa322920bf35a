"""SPSS and Stata files written by pyreadstat: labels and user-missing values survive reading."""

from __future__ import annotations

import polars as pl
import pyreadstat
import pytest

from alliance.errors import DataFileError
from alliance.survey.io.statistical import read_statistical

pytestmark = pytest.mark.unit

FRAME = pl.DataFrame(
    {"q1": [1.0, 2.0, 9.0, None], "sex": ["F", "M", "F", "M"], "w": [1.0, 2, 1, 1]}
)


def write_sav(path, **options):
    pyreadstat.write_sav(
        FRAME,
        str(path),
        column_labels={"q1": "Impact sur les territoires", "sex": "Sexe", "w": "Poids"},
        variable_value_labels={"q1": {1: "Très fort", 2: "Fort", 9: "Ne sait pas"}},
        missing_ranges={"q1": [9]},
        **options,
    )


def test_sav_keeps_labels_and_user_missing_codes(tmp_path):
    path = tmp_path / "wave.sav"
    write_sav(path)

    responses = read_statistical(path)

    assert responses.format == "spss"
    assert responses.variable_labels["q1"] == "Impact sur les territoires"
    assert responses.value_labels["q1"] == {1.0: "Très fort", 2.0: "Fort", 9.0: "Ne sait pas"}
    assert responses.missing_codes == {"q1": [9.0]}
    assert responses.frame["q1"].to_list() == [1.0, 2.0, 9.0, None]
    assert responses.for_estimates()["q1"].to_list() == [1.0, 2.0, None, None]


def test_compressed_zsav(tmp_path):
    path = tmp_path / "wave.zsav"
    write_sav(path, compress=True)

    assert read_statistical(path).frame.height == 4


def test_stata_dta_keeps_value_labels(tmp_path):
    path = tmp_path / "wave.dta"
    pyreadstat.write_dta(
        FRAME, str(path), variable_value_labels={"q1": {1: "Très fort", 2: "Fort", 9: "NSP"}}
    )

    responses = read_statistical(path)

    assert responses.format == "stata"
    assert responses.value_labels["q1"][1] == "Très fort"


def test_truncated_sav_is_unreadable_not_a_crash(tmp_path):
    path = tmp_path / "wave.sav"
    write_sav(path)
    path.write_bytes(path.read_bytes()[:300])

    with pytest.raises(DataFileError) as caught:
        read_statistical(path)

    assert caught.value.key == "survey.file_unreadable"
    assert caught.value.location.file == "wave.sav"
