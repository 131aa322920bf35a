"""Collection tests: a small study stored in the workspace, ready for a new wave to be collected."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.web.accounts.models import User
from alliance.web.collection import service
from alliance.web.collection.models import Collection
from alliance.web.results.models import Study
from tests.study.collected import write_study
from tests.web.studies import stored_study

CODE = "barometre-collecte"


@pytest.fixture(autouse=True)
def storage(settings, tmp_path: Path) -> Path:
    """Stored files in a temporary folder; a known collection secret."""
    settings.MEDIA_ROOT = tmp_path / "storage"
    settings.ALLIANCE_COLLECTION_KEY = "collection-secret-for-tests"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def study(db, tmp_path: Path) -> Study:
    return stored_study(write_study(tmp_path / "folder", CODE), CODE, synthetic=True)


@pytest.fixture
def collection(study: Study, people: dict[str, User]) -> Collection:
    """An open collection of wave 2025 of the general public, by link and by invitation."""
    return service.create_collection(
        study, people["analyst"], population="grand-public", wave="2025", invitations=True,
        goal=10,
    )  # fmt: skip
