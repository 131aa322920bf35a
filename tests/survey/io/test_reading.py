"""One entry point for every format."""

from __future__ import annotations

import polars as pl
import pytest

from alliance.errors import DataFileError
from alliance.survey.io import read_responses

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_format_follows_the_extension(tmp_path, suffix):
    path = tmp_path / f"r{suffix}"
    frame = pl.DataFrame({"q": [1, 2]})
    frame.write_csv(path) if suffix == ".csv" else frame.write_parquet(path)

    assert read_responses(path).frame["q"].to_list() == [1, 2]


def test_unknown_format_lists_the_readable_ones(tmp_path):
    with pytest.raises(DataFileError) as caught:
        read_responses(tmp_path / "r.json")

    assert caught.value.message("fr").startswith(
        "Format de fichier non pris en charge (.json) ; formats lus : .csv, .tsv"
    )


def test_missing_file(tmp_path):
    with pytest.raises(DataFileError) as caught:
        read_responses(tmp_path / "r.sav")

    assert caught.value.key == "survey.file_missing"
