"""Derived data (the referential, the locale) kept between runs, under a key of their files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alliance.cache import cache_folder, cached, files_key
from alliance.messages import LOCALE_DIR, MESSAGES
from alliance.referential import DATA_DIR, Referential, load_referential

pytestmark = pytest.mark.unit


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ALLIANCE_CACHE_DIR", str(folder))
    return folder


def referential_key() -> str:
    return files_key(DATA_DIR.glob("*.yaml"))


def test_the_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("ALLIANCE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    assert cache_folder() == tmp_path / "alliance"


def test_a_first_build_is_kept_then_read_back_without_building(private_cache):
    builds: list[str] = []

    def build() -> Referential:
        builds.append("built")
        return load_referential(DATA_DIR)

    first = cached("referential", referential_key(), Referential, build)
    second = cached("referential", referential_key(), Referential, build)

    assert builds == ["built"]
    assert second.version == first.version
    assert second.framework("levers").item("richesses_humaines").label("en") == "Human wealth"
    (kept,) = private_cache.iterdir()
    assert kept.name == f"referential-{referential_key()}.pickle"
    assert kept.stat().st_mode & 0o077 == 0
    assert private_cache.stat().st_mode & 0o077 == 0


def test_changed_files_get_a_new_key(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    before = files_key(copy.glob("*.yaml"))
    levers = copy / "levers.yaml"
    levers.write_text(levers.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")

    assert files_key(copy.glob("*.yaml")) != before


def test_an_unreadable_copy_is_rebuilt(private_cache):
    private_cache.mkdir()
    path = private_cache / f"referential-{referential_key()}.pickle"
    path.write_bytes(b"not a pickle")

    referential = cached(
        "referential", referential_key(), Referential, lambda: load_referential(DATA_DIR)
    )

    assert referential.framework("levers").code == "levers"
    assert path.read_bytes() != b"not a pickle"


def test_a_copy_of_another_kind_is_rebuilt(private_cache):
    cached("referential", "k", dict, lambda: {"not": "a referential"})

    assert cached("referential", "k", Referential, lambda: load_referential(DATA_DIR)).version


def test_a_cache_that_cannot_be_written_is_not_used(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("ALLIANCE_CACHE_DIR", str(blocked / "cache"))

    assert cached("x", "k", list, lambda: [1, 2]) == [1, 2]


def test_the_locale_is_the_same_from_the_files_or_the_cache(private_cache):
    from alliance.messages import _load

    key = files_key(LOCALE_DIR.glob("*.yaml"))
    first = cached("messages", key, dict, lambda: _load(LOCALE_DIR))
    second = cached("messages", key, dict, lambda: {})

    assert first == second == MESSAGES
