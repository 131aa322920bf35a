"""Small counts: withheld below 5, every other count rounded to base 5 by a keyed, stable draw."""

from __future__ import annotations

import pytest

from alliance.disclosure import ROUNDING_BASE, SMALLEST_COUNT, protected_count

pytestmark = pytest.mark.unit

SECRET = b"secret des tests"


@pytest.mark.parametrize("count", range(SMALLEST_COUNT))
def test_counts_below_five_are_withheld(count):
    assert protected_count(count, "total", SECRET) is None


@pytest.mark.parametrize("count", [5, 10, 15, 100, 2025])
def test_multiples_of_five_are_shown_as_they_are(count):
    assert protected_count(count, "total", SECRET) == count


@pytest.mark.parametrize("count", range(5, 300))
def test_every_count_shown_is_a_neighbouring_multiple_of_five(count):
    shown = protected_count(count, "total", SECRET)
    assert shown is not None
    assert shown % ROUNDING_BASE == 0
    assert abs(shown - count) < ROUNDING_BASE


def test_six_minus_five_never_reveals_one():
    """A total of 6 beside a category of 5: every difference shown is a multiple of 5."""
    for number in range(200):
        secret = f"clé {number}".encode()
        total = protected_count(6, "partnerships", secret)
        category = protected_count(5, "category:mecenat", secret)
        assert category == 5
        assert total is not None
        assert total - category in (0, 5)


def test_the_draw_is_stable_but_depends_on_the_cell_and_the_secret():
    assert {protected_count(7, "total", SECRET) for _ in range(20)} == {
        protected_count(7, "total", SECRET)
    }
    drawn = {protected_count(7, f"cell {n}", SECRET) for n in range(100)}
    assert drawn == {5, 10}
    assert {protected_count(7, "total", f"{n}".encode()) for n in range(100)} == {5, 10}


def test_rounding_is_unbiased_on_average():
    """8 goes up with probability 3/5: over many cells the mean stays near 8."""
    shown = [protected_count(8, f"cell {n}", SECRET) or 0 for n in range(5000)]
    assert sum(shown) / len(shown) == pytest.approx(8, abs=0.15)
