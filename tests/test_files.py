"""Atomic writes: all or nothing, and an existing file survives a failure."""

from __future__ import annotations

import pytest

from alliance.files import atomic_path, write_text_atomically

pytestmark = pytest.mark.unit


def test_text_is_written(tmp_path):
    write_text_atomically(tmp_path / "a" / "b.txt", "bonjour")

    assert (tmp_path / "a" / "b.txt").read_text(encoding="utf-8") == "bonjour"


def test_a_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")

    def write_half_then_fail() -> None:
        with atomic_path(target) as temporary:
            temporary.write_text("half")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_half_then_fail()

    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_written_files_have_ordinary_permissions(tmp_path):
    import os

    write_text_atomically(tmp_path / "out.txt", "x")

    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o666 & ~umask
