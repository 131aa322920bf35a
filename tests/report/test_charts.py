"""Share charts: SVG with the bar labels and values, in each language's format, without network."""

from __future__ import annotations

import re
import socket
import subprocess
import sys

import pytest

from alliance.report.charts import COLOURS, Bar, histogram_chart, score_chart, share_chart

pytestmark = pytest.mark.unit

NNBSP = "\u202f"

TWO_WAVES = [
    Bar("Territoires", "2018", 0.42, 0.37, 0.47),
    Bar("Territoires", "2022", 0.558, 0.51, 0.60),
    Bar("Personnes", "2018", 0.31, 0.26, 0.36),
    Bar("Personnes", "2022", 0.54, 0.49, 0.59),
]


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the chart tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.usefixtures("no_network")
def test_french_chart_is_svg_with_labels_values_and_french_percentages():
    svg = share_chart(TWO_WAVES, axis_title="Part « fort + très fort »", lang="fr")

    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    shown = texts(svg)
    assert {"Territoires", "Personnes", "2018", "2022"} <= set(shown)
    assert "Part « fort + très fort »" in shown
    # Value labels: percent(estimate, "fr", 0), after each whisker.
    assert [t for t in shown if t in {f"{v}{NNBSP}%" for v in (42, 56, 31, 54)}] == [
        f"42{NNBSP}%",
        f"56{NNBSP}%",
        f"31{NNBSP}%",
        f"54{NNBSP}%",
    ]
    # Axis ticks from 0 to 100 %, formatted with the French locale.
    assert f"0{NNBSP}%" in shown
    assert f"100{NNBSP}%" in shown
    assert "50%" not in shown


@pytest.mark.usefixtures("no_network")
def test_english_chart_uses_english_percentages():
    svg = share_chart(
        [Bar("Jobs", "2022", 0.558, 0.5, 0.6), Bar("Water & climate", "2022", 0.3, 0.25, 0.35)],
        axis_title="Strong share",
        lang="en",
    )

    shown = texts(svg)
    assert svg.startswith("<svg")
    assert [t for t in shown if t in {"Jobs", "Water &amp; climate"}] == [
        "Jobs",
        "Water &amp; climate",
    ]
    assert {"56%", "30%", "0%", "100%", "Strong share"} <= set(shown)
    assert not any(NNBSP in t for t in shown)


def test_series_get_the_palette_in_order_and_a_legend_only_when_several():
    two = share_chart(TWO_WAVES, axis_title="Share", lang="en")
    one = share_chart([Bar("Jobs", "2022", 0.5, 0.4, 0.6)], axis_title="Share", lang="en")

    assert f'fill="{COLOURS[0]}"' in two
    assert f'fill="{COLOURS[1]}"' in two
    assert f'fill="{COLOURS[2]}"' not in two
    assert "role-legend" in two
    assert f'fill="{COLOURS[0]}"' in one
    assert f'fill="{COLOURS[1]}"' not in one
    assert "role-legend" not in one
    assert "2022" not in texts(one)


def test_labels_keep_the_order_of_the_bars():
    svg = share_chart(
        [Bar("Zeta", "s", 0.1, 0.05, 0.15), Bar("Alpha", "s", 0.9, 0.85, 0.95)],
        axis_title="Share",
        lang="en",
    )

    shown = texts(svg)
    assert shown.index("Zeta") < shown.index("Alpha")


def test_chart_refers_to_no_external_resource():
    svg = share_chart(TWO_WAVES, axis_title="Share", lang="fr")

    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", svg)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", svg)
    assert "<script" not in svg
    assert "<image" not in svg


def test_chart_renders_in_a_process_without_any_network(tmp_path):
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False).returncode:
        pytest.skip("unshare -rn (a user and network namespace) is not allowed here")
    script = (
        "from alliance.report.charts import Bar, share_chart\n"
        "svg = share_chart([Bar('Jobs', '2022', 0.5, 0.4, 0.6)], axis_title='Share', lang='fr')\n"
        "print(svg[:4], 'Jobs' in svg, '50\\u202f%' in svg)\n"
    )

    done = subprocess.run(
        ["unshare", "-rn", sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )

    assert done.stdout.strip() == "<svg True True"


@pytest.mark.usefixtures("no_network")
def test_score_chart_shows_each_lever_with_its_rounded_score():
    scores = [("Richesses humaines", 68.7), ("Ressources financières", 64.2), ("Alliances", 55.0)]

    svg = score_chart(scores, axis_title="Score sur 100", lang="fr")

    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    shown = texts(svg)
    assert [t for t in shown if t in {label for label, _ in scores}] == [
        "Richesses humaines",
        "Ressources financières",
        "Alliances",
    ]
    assert [t for t in shown if t in {"69", "64", "55"}] == ["69", "64", "55"]
    assert "68,7" not in shown
    assert "Score sur 100" in shown
    # The axis runs from 0 to 100.
    assert {"0", "50", "100"} <= set(shown)
    assert f'fill="{COLOURS[1]}"' in svg


def test_english_score_chart_keeps_the_order_of_the_scores():
    svg = score_chart(
        [("Water & climate", 12.6), ("Alliances", 88.4)], axis_title="Score out of 100", lang="en"
    )

    shown = texts(svg)
    assert [t for t in shown if t in {"Water &amp; climate", "Alliances"}] == [
        "Water &amp; climate",
        "Alliances",
    ]
    assert [t for t in shown if t in {"13", "88"}] == ["13", "88"]
    assert "Score out of 100" in shown


@pytest.mark.usefixtures("no_network")
def test_a_histogram_of_weights_has_its_axes_in_the_language():
    svg = histogram_chart(
        [0.5, 1.0, 1.5, 2.0], [3, 10, 2], axis_title="Poids", count_title="Répondants", lang="fr"
    )

    shown = texts(svg)
    assert svg.startswith("<svg")
    assert {"Poids", "Répondants", "0,5", "2,0", "10"} <= set(shown)
    english = texts(
        histogram_chart([0.5, 1.0, 1.5], [1, 1], axis_title="Weight", count_title="n", lang="en")
    )
    assert {"Weight", "0.5", "1.5"} <= set(english)


def test_published_values_are_black_diamonds_on_their_bars_named_by_the_legend():
    published = [Bar("Territoires", "2022", 0.56, 0.56, 0.56)]

    svg = share_chart(
        TWO_WAVES,
        axis_title="Part",
        lang="fr",
        published=published,
        published_title="Valeur publiée",
    )

    marks = re.findall(r'aria-label="([^"]*kind: Valeur publiée)"', svg)
    assert marks == ["estimate: 0,56; label: Territoires; series: 2022; kind: Valeur publiée"]
    assert texts(svg)[-3:] == ["2018", "2022", "Valeur publiée"]
    assert "Symbol legend for shape with 1 value: Valeur publiée" in svg
    assert "Valeur publiée" not in share_chart(TWO_WAVES, axis_title="Part", lang="fr")
