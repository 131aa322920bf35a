"""The workspace's tests keep their stored files in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def storage(settings, tmp_path: Path) -> Path:
    folder = tmp_path / "storage"
    settings.MEDIA_ROOT = folder
    return folder
