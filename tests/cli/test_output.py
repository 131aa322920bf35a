"""Flat cells, JSON and CSV rendering shared by every listing command."""

from __future__ import annotations

import pytest

from alliance.cli.output import cell, render_csv, render_json

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (56.0, "56"),
        (55.5, "55.5"),
        (["a", "b"], "a ; b"),
        (
            {"rel": "profile", "target": "actor-profiles/pme", "status": "inferred"},
            "profile=actor-profiles/pme",
        ),
        ({"status": "notebook", "sources": [], "url": None}, "notebook"),
        ({"status": "notebook", "sources": [], "url": "https://x.example"}, "https://x.example"),
    ],
)
def test_cell(value, expected):
    assert cell(value) == expected


def test_json_keeps_accents():
    assert render_json([{"label": "Mécénat"}]) == '[\n  {\n    "label": "Mécénat"\n  }\n]\n'


def test_csv_quotes_separators_and_keeps_column_order():
    text = render_csv([{"b": "x, y", "a": 1}], ["a", "b"])

    assert text == 'a,b\n1,"x, y"\n'
