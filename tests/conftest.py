"""Test session settings shared by every layer."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the end-to-end tests last: their live server flushes the database after each test."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
