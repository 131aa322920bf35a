"""Parquet, the internal format: data and metadata together."""

from __future__ import annotations

import polars as pl
import pytest

from alliance.survey.io.parquet import read_parquet, stored_questionnaire, write_parquet
from alliance.survey.io.responses import Responses

pytestmark = pytest.mark.unit


def test_metadata_round_trip(tmp_path):
    path = tmp_path / "wave.parquet"
    responses = Responses(
        frame=pl.DataFrame({"q1": [1, 9]}),
        path=tmp_path / "wave.sav",
        format="spss",
        variable_labels={"q1": "Impact"},
        value_labels={"q1": {1: "Très fort", 9: "Ne sait pas"}},
        missing_codes={"q1": [9]},
    )

    write_parquet(responses, path, questionnaire={"questionnaire": "public", "version": "2022.1"})
    back = read_parquet(path)

    assert back.frame.equals(responses.frame)
    assert back.variable_labels == {"q1": "Impact"}
    assert back.value_labels == {"q1": {1: "Très fort", 9: "Ne sait pas"}}
    assert back.missing_codes == {"q1": [9]}
    assert stored_questionnaire(path) == {"questionnaire": "public", "version": "2022.1"}


def test_plain_parquet_reads_as_data(tmp_path):
    path = tmp_path / "plain.parquet"
    pl.DataFrame({"a": [1]}).write_parquet(path)

    back = read_parquet(path)

    assert (back.frame["a"].to_list(), back.missing_codes) == ([1], {})
    assert stored_questionnaire(path) is None
