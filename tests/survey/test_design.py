"""Designs: hand-checkable variances (random, stratified, clustered, fpc) and clear errors."""

from __future__ import annotations

import polars as pl
import pytest

from alliance.errors import DesignError
from alliance.survey import Design, mean, share

pytestmark = pytest.mark.unit


def se_of_mean(frame: pl.DataFrame, **design: object) -> float:
    return mean(Design.from_frame(frame, **design), "y")[0].se  # type: ignore[arg-type]


def test_simple_random_sample_se_is_s_over_root_n():
    frame = pl.DataFrame({"y": [1.0, 2, 3, 4]})

    assert se_of_mean(frame) == pytest.approx(0.6454972243679028)


@pytest.mark.parametrize("fpc", [8.0, 0.5])
def test_fpc_as_population_size_or_fraction(fpc):
    frame = pl.DataFrame({"y": [1.0, 2, 3, 4], "fpc": [fpc] * 4})

    assert se_of_mean(frame, fpc="fpc") == pytest.approx(0.6454972243679028 * 0.5**0.5)


def test_stratified_variance_sums_within_stratum_deviations():
    frame = pl.DataFrame({"y": [1.0, 3, 2, 6], "h": ["A", "A", "B", "B"]})

    assert se_of_mean(frame, strata="h") == pytest.approx(1.25**0.5)


def test_clustered_variance_uses_psu_totals():
    frame = pl.DataFrame({"y": [1.0, 2, 3, 4], "psu": ["a", "a", "b", "b"]})

    assert se_of_mean(frame, psu="psu") == pytest.approx(1.0)


def test_history_describes_the_design():
    frame = pl.DataFrame({"y": [1.0, 2], "w": [1.0, 2], "h": ["A", "A"]})

    assert Design.from_frame(frame, weights="w", strata="h").history == (
        "design(weights=w, strata=h)",
    )


def test_single_psu_stratum_is_an_error_by_default():
    frame = pl.DataFrame({"y": [1.0, 2, 3], "h": ["A", "A", "B"]})

    with pytest.raises(DesignError) as caught:
        Design.from_frame(frame, strata="h")

    assert caught.value.message("en").startswith("Stratum 'B' has a single primary unit")


def test_single_psu_stratum_adjusted_on_the_grand_mean():
    frame = pl.DataFrame({"y": [1.0, 2, 3], "h": ["A", "A", "B"]})

    design = Design.from_frame(frame, strata="h", lonely_psu="adjust")

    # z = (y - 2) / 3 = [-1/3, 0, 1/3]; stratum A: 2 · (1/6² · 2) = 1/9; B centred on 0: 1/9.
    assert mean(design, "y")[0].se == pytest.approx((2 / 9) ** 0.5)


def test_psus_repeated_across_strata_need_nest():
    frame = pl.DataFrame({"y": [1.0, 2, 3, 4], "h": ["A", "A", "B", "B"], "psu": [1, 2, 1, 2]})

    with pytest.raises(DesignError) as caught:
        Design.from_frame(frame, strata="h", psu="psu")

    assert caught.value.key == "survey.psu_not_nested"
    assert Design.from_frame(frame, strata="h", psu="psu", nest=True).n_psu == 4


def test_negative_weight_names_row_and_column():
    frame = pl.DataFrame({"y": [1.0, 2], "w": [1.0, -2]})

    with pytest.raises(DesignError) as caught:
        Design.from_frame(frame, weights="w")

    assert caught.value.message("fr") == (
        "Poids manquant, négatif ou non numérique dans la colonne 'w' "
        "(rangée 2, champ 'w', valeur -2.0)"
    )


def test_missing_column_lists_the_available_ones():
    with pytest.raises(DesignError) as caught:
        Design.from_frame(pl.DataFrame({"y": [1.0]}), weights="poids")

    assert caught.value.message("en") == (
        "Column 'poids' is not in the data (columns: y) (field 'poids')"
    )


def test_fpc_must_be_constant_within_a_stratum():
    frame = pl.DataFrame({"y": [1.0, 2], "fpc": [10.0, 20.0]})

    with pytest.raises(DesignError) as caught:
        Design.from_frame(frame, fpc="fpc")

    assert caught.value.key == "survey.fpc_not_constant_unstratified"
    assert caught.value.message("en") == (
        "Finite population correction not constant (column 'fpc'): without strata, it must be "
        "one value for the whole sample (row 2, field 'fpc', value 20.0)"
    )


def test_pandas_frames_give_the_same_estimates_as_polars():
    import pandas as pd

    data = {
        "q": [1.0, 2.0, None, 4.0, 1.0],
        "w": [1.0, 2, 1, 1, 3],
        "g": ["a", "b", "a", None, "b"],
    }
    polars_design = Design.from_frame(pl.DataFrame(data), weights="w")
    pandas_design = Design.from_frame(pd.DataFrame(data), weights="w")

    def summary(design: Design) -> list[tuple[object, ...]]:
        return [(e.group, e.estimate, e.se, e.n) for e in share(design, "q", [1], by="g")]

    assert summary(pandas_design) == summary(polars_design)
    assert pandas_design.frame["g"].to_list() == ["a", "b", "a", None, "b"]


def test_columns_coded_together_are_kept_by_reweighted_designs():
    frame = pl.DataFrame({"g": ["a", "b", "a"], "h": [2, 1, 2], "w": [1.0, 2.0, 3.0]})
    design = Design.from_frame(frame, weights="w")

    found = design.codings(["g", "h", "g"])
    reweighted = design.with_weights(design.weights * 2, step="double")

    assert [c.levels for c in found] == [["a", "b"], [1, 2], ["a", "b"]]
    assert reweighted.coding("g") is found[0]  # same data: not coded again
