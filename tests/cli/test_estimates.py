"""Parsing ``--quantile``, ``--ratio`` and writing ``by``, ``group`` and the extra columns."""

from __future__ import annotations

import pytest
import typer

from alliance.cli.estimates import (
    by_text,
    estimate_columns,
    group_text,
    quantile_spec,
    ratio_spec,
    statistic_label,
)

pytestmark = pytest.mark.unit


def test_quantiles_are_probabilities_after_the_variable():
    assert quantile_spec("api00=0.25, 0.5,0.75", "en") == ("api00", [0.25, 0.5, 0.75])


@pytest.mark.parametrize("text", ["api00", "api00=", "=0.5", "api00=a", "api00=1.5", "api00=-0.1"])
def test_malformed_quantiles_are_refused(text):
    with pytest.raises(typer.BadParameter, match="VAR=P"):
        quantile_spec(text, "en")


def test_ratio_splits_where_both_sides_are_columns():
    assert ratio_spec("num/den", [], "en") == ("num", "den")
    assert ratio_spec("a/b/c", ["a/b", "c"], "en") == ("a/b", "c")
    assert ratio_spec("a/b/c", ["a", "b/c"], "en") == ("a", "b/c")


@pytest.mark.parametrize("text", ["num", "/den", "num/"])
def test_malformed_ratio_is_refused(text):
    with pytest.raises(typer.BadParameter, match="NUM/DEN"):
        ratio_spec(text, [], "fr")


def test_crossed_domains_are_written_as_the_issue_says():
    assert by_text(("stype", "sch.wide")) == "stype,sch.wide"
    assert group_text(("stype", "sch.wide"), ("E", "No")) == "stype=E;sch.wide=No"
    assert (by_text("stype"), group_text("stype", "E")) == ("stype", "E")
    assert (by_text(None), group_text(None, None)) == (None, None)


def record(
    statistic: str, probability: float | None = None, category: str | None = None
) -> dict[str, object]:
    return {
        "variable": "v",
        "statistic": statistic,
        "probability": probability,
        "category": category,
    }


def test_extra_columns_follow_the_nine_only_when_needed():
    nine = ["variable", "statistic", "by", "group", "estimate", "se", "ci_low", "ci_high", "n"]

    assert estimate_columns([record("mean")], nine, deff=False) == nine
    assert estimate_columns([record("count", category="a")], nine, deff=True) == [
        *nine, "category", "deff", "df",
    ]  # fmt: skip
    assert estimate_columns([record("quantile", 0.5)], nine, deff=False) == [*nine, "probability"]


def test_table_labels_name_the_probability_and_the_category():
    assert statistic_label(record("quantile", 0.25), "en") == "v (quantile 0.25)"
    assert statistic_label(record("count", category="E"), "fr") == "v=E (effectif)"
    assert statistic_label(record("ratio"), "en") == "v (ratio)"
