"""Pagination parameters: bounded, and a window that fetches only the page."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from alliance.web.paging import MAX_OFFSET, Page, Slice, window

pytestmark = pytest.mark.unit


def test_a_page_has_20_rows_by_default_a_slice_every_row():
    rows = list(range(50))

    assert window(rows, Page.model_validate({})) == rows[:20]
    assert window(rows, Slice.model_validate({})) == rows
    assert window(rows, Page(limit=5, offset=45)) == [45, 46, 47, 48, 49]
    assert window(rows, Slice.model_validate({"offset": 48})) == [48, 49]


@pytest.mark.parametrize(
    "values",
    [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": MAX_OFFSET + 1}, {"limit": 10**20}],
)
def test_out_of_range_values_are_refused(values):
    with pytest.raises(ValidationError):
        Page.model_validate(values)
    with pytest.raises(ValidationError):
        Slice.model_validate(values)
