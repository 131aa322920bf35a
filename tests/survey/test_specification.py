"""Design options declared once: DesignSpec, and Design.from_spec giving the same design."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from alliance.survey import Design, DesignSpec, mean

pytestmark = pytest.mark.unit

FRAME = pl.DataFrame(
    {
        "y": [1.0, 3, 2, 6, 5, 4],
        "w": [1.0, 2, 1, 1, 2, 1],
        "h": ["A", "A", "A", "B", "B", "B"],
        "psu": [1, 1, 2, 1, 2, 2],
        "fpc": [10.0] * 6,
    }
)


def test_defaults_describe_a_simple_random_sample():
    spec = DesignSpec()

    assert (spec.weights, spec.strata, spec.psu, spec.fpc) == (None, None, None, None)
    assert (spec.nest, spec.lonely_psu) == (False, "fail")
    assert spec.columns == ()
    assert spec.describe() == ""


def test_spec_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DesignSpec().weights = "w"  # type: ignore[misc]


def test_unknown_lonely_psu_rule_is_refused():
    rules = "one of 'fail', 'adjust', 'remove', 'certainty', 'average'"
    with pytest.raises(ValueError, match=rules):
        DesignSpec(lonely_psu="adjsut")  # type: ignore[arg-type]


def test_from_spec_is_from_frame_with_the_same_options():
    spec = DesignSpec(weights="w", strata="h", psu="psu", fpc="fpc", nest=True)

    by_spec = Design.from_spec(FRAME, spec)
    by_arguments = Design.from_frame(
        FRAME, weights="w", strata="h", psu="psu", fpc="fpc", nest=True
    )

    assert by_spec.spec == by_arguments.spec == spec
    assert (
        by_spec.history
        == by_arguments.history
        == ("design(weights=w, strata=h, psu=psu, fpc=fpc)",)
    )
    assert mean(by_spec, "y")[0] == mean(by_arguments, "y")[0]


def test_design_keeps_its_spec_through_weighting_steps():
    design = Design.from_spec(FRAME, DesignSpec(strata="h", lonely_psu="adjust"))

    reweighted = design.with_weights(FRAME["w"].to_numpy(), step="custom")

    assert reweighted.spec == DesignSpec(strata="h", lonely_psu="adjust")
    assert reweighted.lonely_psu == "adjust"


def test_psu_and_fpc_take_one_column_per_stage():
    spec = DesignSpec(weights="w", psu=["dnum", "snum"], fpc=("fpc1", "fpc2"))

    assert spec.psu == ("dnum", "snum")
    assert spec.psu_columns == ("dnum", "snum")
    assert spec.columns == ("w", "dnum", "snum", "fpc1", "fpc2")
    assert spec.describe() == "weights=w, psu=dnum+snum, fpc=fpc1+fpc2"
    assert DesignSpec(psu="psu").psu_columns == ("psu",)


@pytest.mark.parametrize("rule", ["fail", "adjust", "remove", "certainty", "average"])
def test_every_r_lonely_psu_rule_is_accepted(rule):
    assert DesignSpec(lonely_psu=rule).lonely_psu == rule
