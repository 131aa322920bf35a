"""Responses: where a row is in its file, missing codes made null for estimates."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from alliance.survey.io.responses import Responses

pytestmark = pytest.mark.unit


def test_rows_of_a_statistical_file_are_cases():
    responses = Responses(frame=pl.DataFrame({"q": [1]}), path=Path("/x/w.sav"), format="spss")

    assert responses.location(0, "q", 1).describe("en") == "file w.sav, row 1, field 'q', value 1"


def test_missing_codes_are_null_for_estimates_only():
    responses = Responses(
        frame=pl.DataFrame({"q": [1, 9, 2], "w": [1.0, -1.0, 2.0]}),
        path=Path("w.sav"),
        format="spss",
        missing_codes={"q": [9], "w": [-1.0], "absent": [1]},
    )

    assert responses.for_estimates().to_dict(as_series=False) == {
        "q": [1, None, 2],
        "w": [1.0, None, 2.0],
    }
    assert responses.frame["q"].to_list() == [1, 9, 2]
