"""The API's pagination: ``limit`` (1–100) and ``offset`` (0 or more), validated, one convention.

Searches answer ``{"count", "results"}`` (``limit`` 20 by default). The lists that answered a bare
JSON list before pagination existed (studies, a study's results, organisations, partnerships) keep
that shape for their clients and take the same parameters, every row being listed when ``limit``
is absent. Out-of-range values answer 400 naming the parameter: a huge offset would overflow the
database's integers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

__all__ = ["MAX_LIMIT", "MAX_OFFSET", "Page", "Slice", "window"]

MAX_LIMIT = 100
#: Far beyond any list of ours, far below the databases' 64-bit integers.
MAX_OFFSET = 1_000_000_000


class Page(Schema):
    """A page of a search: 20 rows by default."""

    limit: int = Field(20, ge=1, le=MAX_LIMIT, description="rows per page (1–100)")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="rows skipped")


class Slice(Schema):
    """A slice of a bare list: every row by default."""

    limit: int | None = Field(None, ge=1, le=MAX_LIMIT, description="rows at most (1–100)")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="rows skipped")


def window(rows: QuerySet[Any] | list[Any], page: Page | Slice) -> list[Any]:
    """Return the rows of the page (a query fetches only them)."""
    end = None if page.limit is None else page.offset + page.limit
    return list(rows[page.offset : end])
