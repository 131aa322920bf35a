"""Columns: what counts as missing, and categorical codes by hashing."""

from __future__ import annotations

import polars as pl
import pytest

from alliance.errors import DesignError
from alliance.survey.columns import as_polars, coding, missing_mask, series

pytestmark = pytest.mark.unit


def test_nulls_nans_and_empty_texts_are_missing():
    assert missing_mask(pl.Series([1, None, 3])).tolist() == [False, True, False]
    assert missing_mask(pl.Series([1.0, float("nan")])).tolist() == [False, True]
    assert missing_mask(pl.Series(["Oui", "", None])).tolist() == [False, True, True]


def test_codes_follow_sorted_levels_and_missing_is_minus_one():
    result = coding(pl.Series([3, 1, None, 3]))

    assert result.levels == [1, 3]
    assert result.codes.tolist() == [1, 0, -1, 1]


def test_missing_column_is_a_design_error_listing_the_columns():
    with pytest.raises(DesignError) as caught:
        series(pl.DataFrame({"a": [1], "b": [2]}), "poids")

    assert caught.value.message("fr") == (
        "Colonne 'poids' absente des données (colonnes : a, b) (champ 'poids')"
    )


def test_polars_frames_are_kept_as_they_are():
    frame = pl.DataFrame({"a": [1]})

    assert as_polars(frame) is frame
