"""Charts of the notebook: horizontal bars of « fort + très fort » shares with their intervals.

Also the workspace's histogram of a wave's weights (their distribution after weighting).

Charts are Altair (Vega-Lite) specifications rendered to SVG by vl-convert, without a browser or
a network, so the same SVG goes into the HTML and the PDF. Every chart comes with a text
alternative that states what it shows, value by value.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import polars as pl
import vl_convert

from alliance.i18n import Lang
from alliance.report.numbers import number, percent

__all__ = ["Bar", "histogram_chart", "render_svg", "score_chart", "share_chart"]

#: The notebook's palette: the earlier wave muted, the latest one strong.
COLOURS = ["#9bb7d4", "#1f4e79", "#c55a11", "#548235"]
FONT = "DejaVu Sans"


@dataclass(frozen=True)
class Bar:
    """One bar: what (``label``), which series (a wave, a population), the share and interval."""

    label: str
    series: str
    estimate: float
    low: float
    high: float


def share_chart(
    bars: list[Bar],
    *,
    axis_title: str,
    lang: Lang,
    width: int = 440,
    published: list[Bar] | None = None,
    published_title: str = "",
) -> str:
    """Return the SVG of horizontal bars with interval whiskers, one colour per series.

    ``published`` values (``estimate`` only) are drawn as black diamonds on the bar of the same
    label and series, the legend naming them ``published_title``: a published figure beside its
    reproduction.
    """
    frame = pl.DataFrame(
        {
            "label": [b.label for b in bars],
            "series": [b.series for b in bars],
            "estimate": [b.estimate for b in bars],
            "low": [b.low for b in bars],
            "high": [b.high for b in bars],
            "text": [percent(b.estimate, lang, 0) for b in bars],
        }
    )
    series = list(dict.fromkeys(b.series for b in bars))
    labels = list(dict.fromkeys(b.label for b in bars))
    y = alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=230))
    offset = alt.YOffset("series:N", sort=series)
    colour = alt.Color(
        "series:N",
        sort=series,
        scale=alt.Scale(range=COLOURS[: len(series)]),
        legend=alt.Legend(title=None, orient="bottom") if len(series) > 1 else None,
    )
    x = alt.X(
        "estimate:Q",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format="%", title=axis_title, grid=True),
    )
    base = alt.Chart(frame)
    chart = (
        base.mark_bar(height={"band": 0.8}).encode(y=y, yOffset=offset, x=x, color=colour)
        + base.mark_rule(color="#222", strokeWidth=1.2).encode(
            y=y, yOffset=offset, x="low:Q", x2="high:Q"
        )
        + base.mark_text(align="left", dx=4, fontSize=10, color="#222").encode(
            y=y, yOffset=offset, x="high:Q", text="text:N"
        )
    )
    if published:
        marks = pl.DataFrame(
            {
                "label": [b.label for b in published],
                "series": [b.series for b in published],
                "estimate": [b.estimate for b in published],
                "kind": [published_title] * len(published),
            }
        )
        chart += (
            alt.Chart(marks)
            .mark_point(shape="diamond", filled=True, size=70, color="#000", opacity=1)
            .encode(
                y=y,
                yOffset=offset,
                x="estimate:Q",
                shape=alt.Shape(
                    "kind:N",
                    scale=alt.Scale(range=["diamond"]),
                    legend=alt.Legend(title=None, orient="bottom"),
                ),
            )
        )
    chart = chart.properties(width=width, height=alt.Step(16 if len(series) > 1 else 22))
    return render_svg(chart, lang)


def score_chart(
    scores: list[tuple[str, float]], *, axis_title: str, lang: Lang, width: int = 440
) -> str:
    """Return the SVG of horizontal bars of scores out of 100 (a diagnostic's levers)."""
    frame = pl.DataFrame(
        {
            "label": [label for label, _ in scores],
            "score": [value for _, value in scores],
            "text": [number(value, lang, 0) for _, value in scores],
        }
    )
    y = alt.Y(
        "label:N", sort=[label for label, _ in scores], title=None, axis=alt.Axis(labelLimit=230)
    )
    x = alt.X(
        "score:Q", scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(title=axis_title, grid=True)
    )
    base = alt.Chart(frame)
    chart = (
        base.mark_bar(height={"band": 0.7}, color=COLOURS[1]).encode(y=y, x=x)
        + base.mark_text(align="left", dx=4, fontSize=11, color="#222").encode(
            y=y, x="score:Q", text="text:N"
        )
    ).properties(width=width, height=alt.Step(30))
    return render_svg(chart, lang)


def histogram_chart(
    edges: list[float],
    counts: list[int],
    *,
    axis_title: str,
    count_title: str,
    lang: Lang,
    width: int = 440,
) -> str:
    """Return the SVG of a histogram: ``counts[i]`` respondents from ``edges[i]`` to the next."""
    frame = pl.DataFrame(
        {"low": edges[:-1], "high": edges[1:], "count": counts},
        schema_overrides={"count": pl.Int64},
    )
    x = alt.X("low:Q", bin="binned", axis=alt.Axis(title=axis_title, grid=False))
    y = alt.Y("count:Q", axis=alt.Axis(title=count_title, grid=True, tickMinStep=1))
    chart = (
        alt.Chart(frame)
        .mark_bar(color=COLOURS[1], stroke="#fff", strokeWidth=0.5)
        .encode(x=x, x2="high:Q", y=y)
        .properties(width=width, height=180)
    )
    return render_svg(chart, lang)


def render_svg(chart: alt.TopLevelMixin, lang: Lang) -> str:
    """Draw a chart as SVG in the project's font, numbers written the reader's way."""
    spec = chart.configure(font=FONT).configure_view(stroke=None).to_json()
    svg: str = vl_convert.vegalite_to_svg(
        spec, format_locale="fr-FR" if lang == "fr" else "en-US", allowed_base_urls=[]
    )
    return svg
