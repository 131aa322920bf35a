"""The historical series chart: a point per published figure, a line of medians per population."""

from __future__ import annotations

import re

import pytest

from alliance.report.series import SERIES_COLOURS, SHAPES, Point, series_chart

pytestmark = pytest.mark.unit

POINTS = [
    Point(2008, 0.86, "Citoyens", "Pertinence"),
    Point(2015, 0.81, "Entreprises", "Devoir d'alliance"),
    Point(2015, 0.86, "Associations", "Devoir d'alliance"),
    Point(2020, 0.81, "Citoyens", "Urgence"),
    Point(2020, 0.84, "Entreprises", "Urgence"),
    Point(2020, 0.64, "Entreprises", "Jouer collectif"),
]


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def labels(svg: str) -> list[str]:
    return re.findall(r'aria-label="([^"]*)"', svg)


def test_every_figure_is_a_point_with_its_year_value_and_population():
    svg = series_chart(POINTS, axis_title="Part publiée", lang="fr")

    points = [label for label in labels(svg) if label.startswith("year:") and "Median" not in label]
    assert points == [
        "year: 2008; value: 86,000000\u202f%; series: Citoyens",
        "year: 2015; value: 81,000000\u202f%; series: Entreprises",
        "year: 2015; value: 86,000000\u202f%; series: Associations",
        "year: 2020; value: 81,000000\u202f%; series: Citoyens",
        "year: 2020; value: 84,000000\u202f%; series: Entreprises",
        "year: 2020; value: 64,000000\u202f%; series: Entreprises",
    ]


def test_each_population_has_a_line_through_its_yearly_medians():
    svg = series_chart(POINTS, axis_title="Part publiée", lang="fr")

    lines = re.findall(
        r'aria-label="([^"]*)"[^>]*aria-roledescription="line mark" d="([^"]*)"', svg
    )
    # 440 × 220 plot, years 2007-2021: x = (year - 2007) × 440 / 14, y = (1 - share) × 220;
    # Entreprises in 2020: the median of 84 % and 64 %, 74 % (y = 57.2).
    assert lines == [
        ("year: 2008; Median of value: 0,86; series: Citoyens", "M31.429,30.8L408.571,41.8"),
        ("year: 2015; Median of value: 0,81; series: Entreprises", "M251.429,41.8L408.571,57.2"),
        ("year: 2015; Median of value: 0,86; series: Associations", "M251.429,30.8Z"),
    ]


def test_axis_years_legend_and_shapes():
    svg = series_chart(POINTS, axis_title="Part publiée", lang="fr")

    shown = texts(svg)
    assert "Part publiée" in shown
    assert shown[:3] == ["2007", "2008", "2009"]  # a year before the first, as years (no 2 007)
    assert "2021" in shown
    assert shown[-3:] == ["Citoyens", "Entreprises", "Associations"]
    assert all(colour in svg for colour in SERIES_COLOURS[:3])
    assert len(SHAPES) == len(SERIES_COLOURS) == 6


def test_english_percentages():
    svg = series_chart(POINTS, axis_title="Published share", lang="en")

    assert "100%" in texts(svg)
    assert "Published share" in texts(svg)
