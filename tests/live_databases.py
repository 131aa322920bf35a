"""The databases a test runs a live process on: SQLite always, PostgreSQL when the CI gives one.

A test that starts real servers or workers parametrises over :data:`DATABASES`; each parameter is
the server URL to make a throw-away database on (``None`` for SQLite in a temporary folder).
"""

from __future__ import annotations

import os

import pytest

DATABASES = [
    pytest.param(None, id="sqlite"),
    pytest.param(
        os.environ.get("DATABASE_URL"),
        id="postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="DATABASE_URL unset"),
        ],
    ),
]
