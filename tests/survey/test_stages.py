"""Sampling stages: hand-checkable two-stage variances, fpc checks, lonely units and strata."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from alliance.errors import DesignError
from alliance.survey import Design, mean, total
from alliance.survey.stages import first_stage_deviations

pytestmark = pytest.mark.unit

# Two PSUs of a population of 4 (f₁ = 1/2), each with 2 of its 4 schools (f₂ = 1/2).
TWO_STAGE = pl.DataFrame(
    {
        "district": ["a", "a", "b", "b"],
        "school": [1, 2, 1, 2],
        "y": [1.0, 3, 2, 6],
        "fpc1": [4] * 4,
        "fpc2": [4] * 4,
    }
)


def test_two_stage_variance_adds_the_second_stage_scaled_by_the_first_fraction():
    design = Design.from_frame(TWO_STAGE, psu=["district", "school"], fpc=["fpc1", "fpc2"])

    estimate = total(design, "y")[0]

    # Weights 4 = (4/2)·(4/2). V₁: PSU totals 16, 32 → 2 · 8² · (1 - ½) · 2 = 128.
    # V₂ = ½ · [(1 - ½) · 2 · 2 · 4²] + ½ · [(1 - ½) · 2 · 2 · 8²] = 16 + 64. R: SE 14.422.
    assert design.weights.tolist() == [4.0] * 4
    assert estimate.estimate == pytest.approx(48.0)
    assert estimate.se**2 == pytest.approx(128 + 80)


def test_without_fpc_only_the_first_stage_counts_as_in_r():
    two = Design.from_frame(TWO_STAGE, psu=["district", "school"])
    one = Design.from_frame(TWO_STAGE, psu="district")

    assert two.stages == ()
    assert total(two, "y")[0].se == pytest.approx(total(one, "y")[0].se)


def test_school_ids_are_nested_in_their_district():
    design = Design.from_frame(TWO_STAGE, psu=["district", "school"], fpc=["fpc1", "fpc2"])

    assert design.n_psu == 2
    assert design.n_units == 4


def test_fpc_for_fewer_stages_than_psu_columns_is_refused():
    with pytest.raises(DesignError) as caught:
        Design.from_frame(TWO_STAGE, psu=["district", "school"], fpc="fpc1")

    assert caught.value.message("fr").startswith(
        "--fpc donne 1 colonne(s) pour 2 degré(s) de tirage dans --psu"
    )


def test_second_stage_fpc_varying_within_a_psu_is_refused_and_located():
    frame = TWO_STAGE.with_columns(fpc2=pl.Series([4, 4, 4, 5]))

    with pytest.raises(DesignError) as caught:
        Design.from_frame(frame, psu=["district", "school"], fpc=["fpc1", "fpc2"])

    assert caught.value.key == "survey.fpc_varies_in_unit"
    assert caught.value.message("en") == (
        "Finite population correction of stage 2 not constant within unit 'b' (column 'fpc2'): "
        "it must be one value per unit of the stage above (row 4, field 'fpc2', value 5.0)"
    )


def test_fpc_mixing_fractions_and_sizes_is_refused():
    frame = TWO_STAGE.with_columns(fpc2=pl.Series([0.5, 0.5, 0.5, 0.5]))

    with pytest.raises(DesignError) as caught:
        Design.from_frame(frame, psu=["district", "school"], fpc=["fpc1", "fpc2"])

    assert caught.value.key == "survey.fpc_invalid"


def test_population_smaller_than_the_sample_is_refused():
    frame = TWO_STAGE.with_columns(fpc1=pl.lit(1))

    with pytest.raises(DesignError) as caught:
        Design.from_frame(frame, psu=["district", "school"], fpc=["fpc1", "fpc2"])

    assert caught.value.key == "survey.fpc_invalid"


def lonely_school() -> pl.DataFrame:
    """District b has one sampled school out of 4."""
    return TWO_STAGE.filter(~((pl.col("district") == "b") & (pl.col("school") == 2)))


@pytest.mark.parametrize("rule", ["fail", "average"])
def test_a_psu_with_a_single_sampled_unit_is_refused_under_fail_and_average(rule):
    with pytest.raises(DesignError) as caught:
        Design.from_frame(
            lonely_school(), psu=["district", "school"], fpc=["fpc1", "fpc2"], lonely_psu=rule
        )

    assert caught.value.key == "survey.lonely_unit"
    assert "--lonely-psu" in caught.value.message("en")


@pytest.mark.parametrize("rule", ["adjust", "remove", "certainty"])
def test_a_psu_with_a_single_sampled_unit_adds_nothing_at_its_stage(rule):
    design = Design.from_frame(
        lonely_school(), psu=["district", "school"], fpc=["fpc1", "fpc2"], lonely_psu=rule
    )
    weights = design.weights

    # First stage: totals 4·4 = 16 and 8·2 = 16 → 0. Second stage, district a only:
    # ½ · (1 - ½) · 2 · 2 · 4² = 16.
    assert weights.tolist() == [4.0, 4.0, 8.0]
    assert total(design, "y")[0].se ** 2 == pytest.approx(16.0)


def test_a_fully_sampled_unit_is_not_lonely():
    frame = lonely_school().with_columns(
        fpc2=pl.when(pl.col("district") == "b").then(1).otherwise(4)
    )

    design = Design.from_frame(frame, psu=["district", "school"], fpc=["fpc1", "fpc2"])

    # Weights 4, 4 and 2 · 1: PSU totals 16 and 4 → (1 - ½) · 2 · (6² + 6²) = 72; district b's
    # only school is its whole population (f₂ = 1), so only district a adds 16.
    assert total(design, "y")[0].se ** 2 == pytest.approx(72 + 16)


def test_a_stratum_sampled_with_certainty_is_not_lonely():
    frame = pl.DataFrame({"y": [1.0, 3, 2], "h": ["A", "A", "B"], "fpc": [10, 10, 1]})

    design = Design.from_frame(frame, strata="h", fpc="fpc")

    assert design.lonely_psu == "fail"
    assert mean(design, "y")[0].se > 0


def lonely_totals() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stratum 0 with PSU totals 1 and 3, stratum 1 with a single PSU of total 5."""
    return np.array([[1.0], [3.0], [5.0]]), np.array([0, 0, 1]), np.zeros(2)


def test_adjust_centres_a_lonely_psu_on_the_grand_mean():
    totals, strata, fpc = lonely_totals()

    deviations, scale = first_stage_deviations(totals, strata, fpc, "adjust")

    assert deviations[:, 0].tolist() == [-1.0, 1.0, 5 - 9 / 3]
    assert scale.tolist() == [2.0, 2.0, 1.0]


def test_adjust_leaves_out_a_lonely_stratum_the_domain_misses():
    totals, strata, fpc = lonely_totals()
    present = np.array([[True], [False]])

    deviations, _ = first_stage_deviations(totals * [[1], [1], [0]], strata, fpc, "adjust", present)

    assert deviations[2, 0] == 0.0


@pytest.mark.parametrize("rule", ["remove", "certainty"])
def test_remove_and_certainty_give_a_lonely_stratum_no_variance(rule):
    totals, strata, fpc = lonely_totals()

    _, scale = first_stage_deviations(totals, strata, fpc, rule)

    assert scale.tolist() == [2.0, 2.0, 0.0]


def test_average_scales_the_other_strata_by_strata_over_kept_strata():
    totals, strata, fpc = lonely_totals()

    deviations, scale = first_stage_deviations(totals, strata, fpc, "average")

    variance = float((deviations[:, 0] ** 2 * scale).sum())
    assert variance == pytest.approx(4.0 * 2 / 1)
