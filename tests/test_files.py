"""Atomic writes: all or nothing, and an existing file survives a failure."""

from __future__ import annotations

import errno
import json
import os

import pytest

from alliance.errors import FileWriteError
from alliance.files import atomic_path, atomic_paths, sweep, write_text_atomically

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


def dead_pid() -> int:
    import subprocess

    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid


def test_several_files_are_written_together(tmp_path):
    with atomic_paths(tmp_path / "out.csv", tmp_path / "out.rejected.csv") as (data, rejected):
        data.write_text("data")
        rejected.write_text("rejected")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.rejected.csv"]


def test_a_failure_in_a_unit_writes_none_of_its_files(tmp_path):
    (tmp_path / "out.csv").write_text("old")

    def write_one_then_fail() -> None:
        with atomic_paths(tmp_path / "out.csv", tmp_path / "b.csv") as (data, _):
            data.write_text("new")
            raise RuntimeError("the second file could not be made")

    with pytest.raises(RuntimeError):
        write_one_then_fail()

    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    assert (tmp_path / "out.csv").read_text() == "old"


def test_a_unit_removes_the_stale_companion_it_replaces(tmp_path):
    (tmp_path / "out.rejected.csv").write_text("rows of an older import")

    with atomic_paths(tmp_path / "out.csv", remove=(tmp_path / "out.rejected.csv",)) as (data,):
        data.write_text("clean")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_full_disk_is_a_clear_error_and_leaves_the_old_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")

    with pytest.raises(FileWriteError) as raised, atomic_path(target):
        raise OSError(errno.ENOSPC, "No space left on device")

    assert raised.value.key == "files.disk_full"
    assert raised.value.message("en") == (
        f"Disk full: nothing was written, nor left half-written; free some space and run again "
        f"(file {target})"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_another_write_failure_names_its_reason(tmp_path):
    with pytest.raises(FileWriteError) as raised, atomic_path(tmp_path / "out.csv"):
        raise PermissionError(errno.EACCES, "Permission denied")

    assert raised.value.message("fr").startswith(
        "Écriture impossible (Permission denied) : rien n'a été écrit"
    )


def test_a_journal_of_a_killed_process_is_completed_by_the_next_writer(tmp_path):
    pid = dead_pid()
    data = tmp_path / f".out.csv.alliance-{pid}.a.tmp"
    rejected = tmp_path / f".out.rej.csv.alliance-{pid}.b.tmp"
    data.write_text("new data")
    rejected.write_text("new rejected")
    (tmp_path / "out.rej.csv").write_text("old rejected")
    steps = [[str(rejected), str(tmp_path / "out.rej.csv")]]  # data was renamed, then: killed
    (tmp_path / "out.csv").write_text("new data")
    data.unlink()
    (tmp_path / f".out.csv.alliance-{pid}.c.commit").write_text(json.dumps(steps))

    sweep(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.rej.csv"]
    assert (tmp_path / "out.rej.csv").read_text() == "new rejected"


def test_the_sweep_keeps_the_files_of_running_processes_and_others(tmp_path):
    mine = tmp_path / f".out.csv.alliance-{os.getpid()}.a.tmp"
    foreign = tmp_path / ".someone-elses.tmp"
    look_alike = tmp_path / f".notes.{dead_pid()}.v1.tmp"  # a PID-like number, not our mark
    dead = tmp_path / f".out.csv.alliance-{dead_pid()}.b.tmp"
    for path in (mine, foreign, look_alike, dead):
        path.write_text("x")

    sweep(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [mine.name, foreign.name, look_alike.name]
    )
