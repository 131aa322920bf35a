"""A run's weighting diagnostics as records: the figures the core computed, the weights binned."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.study.diagnostics import HISTOGRAM_BINS, weighting_records

pytestmark = pytest.mark.integration


def test_one_record_per_population_and_wave_with_the_raking_diagnostics(hand_run):
    records = weighting_records(hand_run)

    assert [(r["population"], r["wave"], r["n"]) for r in records] == [
        ("habitants", "2023", 400),
        ("habitants", "2024", 350),
    ]
    for record, weighting in zip(records, hand_run.population("habitants").weightings, strict=True):
        d = weighting.diagnostics
        assert record["effective_n"] == d.effective_n
        assert record["efficiency"] == d.efficiency
        assert record["min_weight"] == d.min_weight
        assert record["max_weight"] == d.max_weight
        assert record["ratio"] == d.weight_ratio
        assert record["iterations"] == d.iterations
        assert record["largest_gap"] == d.largest_gap
        assert record["design"] == list(weighting.design.history)
        assert record["raked"] is True
        assert record["trimming"] == []
    first = records[0]
    assert first["label"] == {"fr": "Habitants", "en": "Residents"}
    assert first["iterations"] == 5
    assert first["design"] == [
        "design(weights=poids, strata=strate)",
        "rake(sexe, age; 5 iterations)",
    ]
    # Kish: (Σw)² / Σw², as the core computes it.
    weights = hand_run.population("habitants").weightings[0].design.weights
    assert first["effective_n"] == pytest.approx(weights.sum() ** 2 / (weights**2).sum(), rel=1e-12)


def test_margins_before_after_and_target_with_their_labels(hand_run):
    margins = weighting_records(hand_run)[0]["margins"]

    assert [(m["variable"], m["category"]) for m in margins] == [
        ("sexe", "F"), ("sexe", "M"), ("age", "18-34"), ("age", "35-64"), ("age", "65+"),
    ]  # fmt: skip
    women = margins[0]
    assert women["variable_label"] == {"fr": "Sexe", "en": "Sex"}
    assert women["category_label"] == {"fr": "Femme", "en": "Woman"}
    assert women["before"] == 0.6125
    assert women["target"] == 0.525
    assert women["after"] == pytest.approx(0.525, abs=1e-9)
    expected = hand_run.population("habitants").weightings[0].margins
    assert {
        (m["variable"], m["category"]): (m["before"], m["after"], m["target"]) for m in margins
    } == {
        (variable, category): values
        for variable, categories in expected.items()
        for category, values in categories.items()
    }


def test_the_weights_are_binned_not_kept(hand_run):
    record = weighting_records(hand_run)[0]
    histogram = record["histogram"]
    weights = hand_run.population("habitants").weightings[0].design.weights
    counts, edges = np.histogram(weights, bins=HISTOGRAM_BINS)

    assert histogram["counts"] == counts.tolist()
    assert histogram["edges"] == edges.tolist()
    assert sum(histogram["counts"]) == 400
    assert histogram["edges"][0] == record["min_weight"]
    assert histogram["edges"][-1] == record["max_weight"]
    assert len(histogram["counts"]) == HISTOGRAM_BINS


def test_bins_may_be_fewer(hand_run):
    assert len(weighting_records(hand_run, bins=5)[1]["histogram"]["counts"]) == 5
