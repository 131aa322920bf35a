"""The demo end to end: four files, published figures reproduced within their intervals."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from openpyxl import load_workbook

from alliance.demo import DemoOutputs

pytestmark = pytest.mark.integration


def test_the_four_files_are_written(demo_fr: DemoOutputs):
    for path in (demo_fr.html, demo_fr.pdf, demo_fr.xlsx, demo_fr.provenance):
        assert path.is_file()
        assert path.stat().st_size > 1000
    assert demo_fr.pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in demo_fr.folder.iterdir()) == [
        "data",
        "notebook.html",
        "notebook.pdf",
        "provenance.json",
        "tables.xlsx",
    ]


def test_every_published_figure_is_inside_its_95_percent_interval(demo_fr: DemoOutputs):
    rows = demo_fr.headline("fr")

    assert [(row["population"], row["item"], row["published"]) for row in rows] == [
        ("Français", "Territoires", 0.56),
        ("Français", "Innovation territoriale", 0.55),
        ("Français", "Personnes", 0.54),
        ("Français", "Performance des entreprises", 0.53),
        ("Français", "Performance des collectivités", 0.51),
        ("Français", "Performance des associations", 0.42),
        ("Élus locaux", "Sa propre performance", 0.56),
    ]
    for row in rows:
        assert row["low"] <= row["published"] <= row["high"], row


def test_pdf_text_holds_the_headline_table(demo_fr: DemoOutputs):
    text = subprocess.run(
        ["pdftotext", "-layout", str(demo_fr.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout

    assert "Publié et reproduit : les chiffres du carnet et leur reproduction" in text
    for row in demo_fr.headline("fr"):
        published = f"{row['published'] * 100:.1f}".replace(".", ",")
        estimate = f"{row['estimate'] * 100:.1f}".replace(".", ",")
        assert re.search(rf"{published}\s*%.*{estimate}\s*%", text), (published, estimate)
    assert "Données synthétiques de démonstration" in text


def test_html_needs_no_network(demo_fr: DemoOutputs):
    html = demo_fr.html.read_text(encoding="utf-8")

    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", html)
    assert "<script" not in html


def test_every_chart_has_a_text_alternative(demo_fr: DemoOutputs):
    html = demo_fr.html.read_text(encoding="utf-8")
    charts = re.findall(r"<svg[^>]*>", html)

    assert len(charts) == len(demo_fr.document.figures()) == 3
    for tag in charts:
        label = re.search(r'aria-label="([^"]+)"', tag)
        assert 'role="img"' in tag
        assert label
        assert len(label.group(1)) > 80


def test_every_output_says_the_data_are_synthetic(demo_fr: DemoOutputs):
    assert "Données synthétiques de démonstration" in demo_fr.html.read_text(encoding="utf-8")
    provenance = json.loads(demo_fr.provenance.read_text(encoding="utf-8"))
    assert provenance["synthetic"] is True
    notes = load_workbook(demo_fr.xlsx).worksheets[0]
    assert str(notes["A2"].value).startswith("Données synthétiques de démonstration")


def test_english_edition(demo_en: DemoOutputs):
    html = demo_en.html.read_text(encoding="utf-8")

    assert '<html lang="en">' in html
    assert "Synthetic demonstration data" in html
    assert "Published and reproduced" in html
    assert [row["inside"] for row in demo_en.headline("en")] == ["yes"] * 7
