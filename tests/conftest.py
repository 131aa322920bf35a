"""Test session settings shared by every layer."""

from __future__ import annotations

import pytest


def flushes_the_database(item: pytest.Item) -> bool:
    """Tell whether a test's database is flushed after it: end-to-end and real-transaction tests."""
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and bool(marker.kwargs.get("transaction"))
    return item.get_closest_marker("e2e") is not None or transactional


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that flush the database last (the session's published studies go with it).

    The end-to-end tests' live server flushes the database after each test, and so do the tests
    of simultaneous writes, which need real transactions seen by several threads.
    """
    items.sort(key=flushes_the_database)
