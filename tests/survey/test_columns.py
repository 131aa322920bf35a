"""Columns: what counts as missing, and categorical codes by hashing."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from alliance.errors import DesignError
from alliance.survey import columns
from alliance.survey.columns import as_polars, coding, crossing, missing_mask, series

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


def test_crossing_keeps_the_combinations_present_first_column_fastest():
    sex = coding(pl.Series(["M", "F", "M", "F", None, "F"]))
    wave = coding(pl.Series([2022, 2018, 2018, 2022, 2018, None]))

    result = crossing([sex, wave])

    assert result.levels == [("F", 2018), ("M", 2018), ("F", 2022), ("M", 2022)]
    assert result.codes.tolist() == [3, 0, 1, 2, -1, -1]


def test_crossing_many_combinations_sorts_instead_of_counting(monkeypatch):
    rng = np.random.default_rng(1)
    a = coding(pl.Series(rng.integers(0, 50, 500)))
    b = coding(pl.Series(rng.integers(0, 50, 500).astype(str)))
    dense = crossing([a, b])

    monkeypatch.setattr(columns, "DENSE_COMBINATIONS", 10)
    sorted_ = crossing([a, b])

    assert sorted_.levels == dense.levels
    assert sorted_.codes.tolist() == dense.codes.tolist()


def test_crossing_renumbers_keys_that_would_overflow():
    values = [f"v{i}" for i in range(3000)] * 2
    wide = coding(pl.Series(values))

    crossed = crossing([wide] * 6)  # 3000**6 possible keys: more than 64 bits

    assert crossed.levels == [(value,) * 6 for value in sorted(set(values))]
    assert [crossed.levels[code] for code in crossed.codes] == [(value,) * 6 for value in values]


@pytest.mark.parametrize(
    "values",
    [
        pl.Series([5, -2, None, 5, 40], dtype=pl.Int16),  # counted
        pl.Series([10**15, 3, None, 3]),  # too wide a range to count: hashed
        pl.Series(["b", "", None, "a", "b"]),
        pl.Series([1.5, float("nan"), None, -2.0, 1.5]),
    ],
    ids=["integers", "wide-integers", "texts", "floats"],
)
def test_codes_of_every_kind_of_column_match_their_sorted_levels(values):
    result = coding(values)
    missing = missing_mask(values)

    present = values.filter(~pl.Series(missing)).unique().sort().to_list()
    assert result.levels == present
    assert (result.codes[missing] == -1).all()
    decoded = [result.levels[code] for code in result.codes[~missing]]
    assert decoded == values.filter(~pl.Series(missing)).to_list()


def test_several_columns_coded_together_as_one_by_one():
    frame = pl.DataFrame({"psu": [3, 1, 3], "sex": ["F", None, "M"], "x": [0.5, 0.5, None]})

    together = columns.codings(frame, ["sex", "psu", "x"])

    for name, found in zip(["sex", "psu", "x"], together, strict=True):
        alone = coding(frame[name])
        assert (found.levels, found.codes.tolist()) == (alone.levels, alone.codes.tolist())


def test_column_sums_add_rows_per_code_as_a_bincount_per_column():
    rng = np.random.default_rng(1)
    x, codes = rng.normal(size=(50, 7)), rng.integers(0, 4, size=50)

    sums = columns.column_sums(x, codes, 5)

    expected = np.column_stack([np.bincount(codes, x[:, j], minlength=5) for j in range(7)])
    assert np.array_equal(sums, expected)  # the same order of additions: the same bits
