"""Domains: each row's slot, and the counts estimators ask for, computed once."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from alliance.survey import Design

pytestmark = pytest.mark.unit

FRAME = pl.DataFrame(
    {
        "psu": [1, 1, 2, 2, 3, 3],
        "w": [1.0, 0.0, 2.0, 1.0, 1.0, 3.0],
        "g": ["a", "b", "a", None, "b", "b"],
    }
)


def test_rows_outside_every_domain_keep_their_slot_and_psu():
    design = Design.from_frame(FRAME, weights="w", psu="psu")
    answered = np.array([True, True, True, True, False, True])

    domains = design.domains(answered, "g")

    assert domains.levels == ["a", "b"]
    assert domains.slots.tolist() == [0, 1, 0, 2, 2, 1]  # 2: outside (no g, or no answer)
    assert domains.n.tolist() == [2, 2]
    assert domains.psu_rows.tolist() == [[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]]


def test_zero_weights_are_rows_but_not_counted_by_degrees_of_freedom():
    design = Design.from_frame(FRAME, weights="w", psu="psu")

    domains = design.domains(np.ones(6, dtype=bool), "g")

    assert domains.n.tolist() == [2, 3]
    assert domains.n_weighted.tolist() == [2, 2]
    assert domains.counted_rows.tolist() == [[1.0, 0.0], [1.0, 0.0], [0.0, 2.0]]


def test_counts_are_computed_once():
    design = Design.from_frame(FRAME, weights="w", psu="psu")
    domains = design.domains(np.ones(6, dtype=bool), "g")

    assert domains.psu_rows is domains.psu_rows
    assert domains.n is domains.n
