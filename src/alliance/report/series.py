"""The chart of a historical series: published shares by year, one colour and shape per population.

Each population's points are joined by the line of its yearly medians, so that the reader sees
the trajectory of a population over the years while every published figure stays a point of its
own (several figures of one year and population are several points). Shapes differ as well as
colours, so that the chart reads in black and white. Rendered to SVG by vl-convert like the other
charts (:mod:`alliance.report.charts`), without a browser or a network.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import polars as pl

from alliance.i18n import Lang
from alliance.report.charts import render_svg

__all__ = ["Point", "series_chart"]

#: A colour and a shape per population, up to six; all dark enough to read on white (the share
#: charts' muted first colour is for an earlier wave, not for a population of its own).
SERIES_COLOURS = ["#1f4e79", "#c55a11", "#548235", "#7030a0", "#7f6000", "#2e75b6"]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]


@dataclass(frozen=True)
class Point:
    """One published figure: its year, its value (a share, 0–1), its population, what it says."""

    year: int
    value: float
    series: str
    label: str


def series_chart(points: list[Point], *, axis_title: str, lang: Lang, width: int = 440) -> str:
    """Return the SVG of the published figures by year, a line of medians per population."""
    frame = pl.DataFrame(
        {
            "year": [p.year for p in points],
            "value": [p.value for p in points],
            "series": [p.series for p in points],
        },
        schema_overrides={"year": pl.Int64, "value": pl.Float64},
    )
    series = list(dict.fromkeys(p.series for p in points))
    years = [p.year for p in points]
    x = alt.X(
        "year:Q",
        scale=alt.Scale(domain=[min(years) - 1, max(years) + 1]),
        axis=alt.Axis(format="d", title=None, tickMinStep=1, grid=False),
    )
    y = alt.Y(
        "value:Q",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format="%", title=axis_title, grid=True),
    )
    colour = alt.Color(
        "series:N",
        sort=series,
        scale=alt.Scale(domain=series, range=SERIES_COLOURS[: len(series)]),
        legend=alt.Legend(title=None, orient="bottom", columns=2, labelLimit=260),
    )
    shape = alt.Shape(
        "series:N", sort=series, scale=alt.Scale(domain=series, range=SHAPES[: len(series)])
    )
    base = alt.Chart(frame)
    chart = (
        base.mark_line(strokeWidth=1.2, opacity=0.6).encode(
            x=x, y=alt.Y("median(value):Q"), color=colour
        )
        + base.mark_point(filled=True, size=45, opacity=0.9).encode(
            x=x, y=y, color=colour, shape=shape
        )
    ).properties(width=width, height=220)
    return render_svg(chart, lang)
