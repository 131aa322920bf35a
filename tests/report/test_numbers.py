"""Numbers as each language writes them: separators, percent signs and signed points."""

from __future__ import annotations

import pytest

from alliance.report.numbers import number, percent, points

pytestmark = pytest.mark.unit

NNBSP = "\u202f"  # narrow no-break space, French thousands separator and before % / pts


@pytest.mark.parametrize(
    ("value", "digits", "french", "english"),
    [
        (12345.678, 1, f"12{NNBSP}345,7", "12,345.7"),
        (1234567.891, 2, f"1{NNBSP}234{NNBSP}567,89", "1,234,567.89"),
        (999.95, 1, f"1{NNBSP}000,0", "1,000.0"),
        (0.5, 3, "0,500", "0.500"),
        (3, 0, "3", "3"),
        (1234, 0, f"1{NNBSP}234", "1,234"),
        (-9876.54, 1, f"-9{NNBSP}876,5", "-9,876.5"),
        (0, 1, "0,0", "0.0"),
    ],
)
def test_number_uses_each_language_separators(value, digits, french, english):
    assert number(value, "fr", digits) == french
    assert number(value, "en", digits) == english


def test_number_defaults_to_one_decimal():
    assert (number(2, "fr"), number(2, "en")) == ("2,0", "2.0")


@pytest.mark.parametrize(
    ("share", "digits", "french", "english"),
    [
        (0.558, 1, f"55,8{NNBSP}%", "55.8%"),
        (0.5, 0, f"50{NNBSP}%", "50%"),
        (1, 1, f"100,0{NNBSP}%", "100.0%"),
        (0, 1, f"0,0{NNBSP}%", "0.0%"),
        (0.00049, 2, f"0,05{NNBSP}%", "0.05%"),
        (12.345, 1, f"1{NNBSP}234,5{NNBSP}%", "1,234.5%"),
    ],
)
def test_percent_writes_a_share_as_a_percentage(share, digits, french, english):
    assert percent(share, "fr", digits) == french
    assert percent(share, "en", digits) == english


@pytest.mark.parametrize(
    ("difference", "french", "english"),
    [
        (0.043, f"+4,3{NNBSP}pts", "+4.3 pts"),
        (-0.02, f"-2,0{NNBSP}pts", "-2.0 pts"),
        (0, f"0,0{NNBSP}pts", "0.0 pts"),
        (0.15, f"+15,0{NNBSP}pts", "+15.0 pts"),
        (-0.1234, f"-12,3{NNBSP}pts", "-12.3 pts"),
    ],
)
def test_points_are_signed_percentage_points(difference, french, english):
    assert points(difference, "fr") == french
    assert points(difference, "en") == english


def test_points_take_the_number_of_digits():
    assert points(0.04321, "fr", 2) == f"+4,32{NNBSP}pts"
    assert points(0.04321, "en", 0) == "+4 pts"
