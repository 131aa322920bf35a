"""The loaded referential is kept between runs, under a key that changes with the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alliance.referential import DATA_DIR, load_referential
from alliance.referential.cache import cache_folder, cached_referential, data_key

pytestmark = pytest.mark.unit


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ALLIANCE_CACHE_DIR", str(folder))
    return folder


def test_the_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("ALLIANCE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    assert cache_folder() == tmp_path / "alliance"


def test_a_first_load_is_kept_then_read_back_without_loading(private_cache):
    loads: list[Path] = []

    def load(folder: Path):
        loads.append(folder)
        return load_referential(folder)

    first = cached_referential(DATA_DIR, load)
    second = cached_referential(DATA_DIR, load)

    assert loads == [DATA_DIR]
    assert second.version == first.version
    assert second.framework("levers").item("richesses_humaines").label("en") == "Human wealth"
    (kept,) = private_cache.iterdir()
    assert kept.name == f"referential-{data_key(DATA_DIR)}.pickle"
    assert kept.stat().st_mode & 0o077 == 0


def test_changed_data_get_a_new_key(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    before = data_key(copy)
    levers = copy / "levers.yaml"
    levers.write_text(levers.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")

    assert data_key(copy) != before


def test_an_unreadable_copy_is_rebuilt(private_cache):
    private_cache.mkdir()
    path = private_cache / f"referential-{data_key(DATA_DIR)}.pickle"
    path.write_bytes(b"not a pickle")

    referential = cached_referential(DATA_DIR, load_referential)

    assert referential.framework("levers").code == "levers"
    assert path.read_bytes() != b"not a pickle"


def test_a_cache_that_cannot_be_written_is_not_used(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("ALLIANCE_CACHE_DIR", str(blocked / "cache"))

    assert cached_referential(DATA_DIR, load_referential).framework("levers").code == "levers"
