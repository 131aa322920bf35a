"""Cells of downloads: text that could run as a formula gets a leading quote, numbers stay."""

from __future__ import annotations

import pytest

from alliance.spreadsheet_cells import FORMULA_PREFIXES, safe_cell

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        (
            '=HYPERLINK("https://evil.invalid";"clic")',
            '\'=HYPERLINK("https://evil.invalid";"clic")',
        ),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("=", "'="),
    ],
)
def test_text_that_could_run_gets_a_quote(typed, written):
    assert safe_cell(typed) == written


@pytest.mark.parametrize("plain", ["-3", "-3,5", "+2.25", "-1e3", "-.5", "Jardins = bonheur", ""])
def test_plain_numbers_and_ordinary_text_stay_as_typed(plain):
    assert safe_cell(plain) == plain


@pytest.mark.parametrize("value", [-3, -3.5, 0, None, True])
def test_values_that_are_not_text_are_untouched(value):
    assert safe_cell(value) is value


def test_every_prefix_of_owasp_is_known():
    assert FORMULA_PREFIXES == ("=", "+", "-", "@", "\t", "\r")
