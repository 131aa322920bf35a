"""Writing files so that nothing is ever half-written: temporary files, then renames.

If anything fails while writing, the temporary files are removed and any file already at a
destination is left as it was; a full disk (or any other ``OSError``) becomes a
:class:`~alliance.errors.FileWriteError` in both languages. Several files can be written as one
unit (:func:`atomic_paths`): a journal listing the renames is written before they start, so a
process killed half-way is completed by the next writer to the same folder.

Temporary files sit beside their destination, hidden and recognisable:
``.NAME.alliance-PID.RANDOM.tmp`` (and journals ``.NAME.alliance-PID.RANDOM.commit``). Signals
that can be caught (Ctrl-C, SIGTERM in the CLI) unwind through the ``finally`` blocks that remove
them; after a ``kill -9`` or a power cut, the next write to the same folder removes those of dead
processes (:func:`sweep`), after completing their journals. Other files are never touched.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from alliance.errors import FileWriteError, Location

__all__ = ["atomic_path", "atomic_paths", "sweep", "write_text_atomically"]

#: Marks our temporary files' names, before the writing process's id.
MARK = "alliance-"


@contextlib.contextmanager
def atomic_path(destination: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``destination``; rename it there when the block succeeds.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_path(folder / "out.txt") as temporary:
    ...     _ = temporary.write_text("done")
    >>> (folder / "out.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('done', ['out.txt'])
    """
    with atomic_paths(destination) as (temporary,):
        yield temporary


@contextlib.contextmanager
def atomic_paths(*destinations: Path, remove: tuple[Path, ...] = ()) -> Iterator[list[Path]]:
    """Yield temporary paths for ``destinations``, renamed there together when the block succeeds.

    The files of ``remove`` are deleted in the same unit (a stale companion file that this write
    makes obsolete). Both or neither: once the journal is written, the renames are completed,
    by this process or, if it is killed, by the next one writing to the folder.
    """
    temporaries: list[Path] = []
    try:
        for destination in destinations:
            temporaries.append(_temporary(destination))
        yield temporaries
        _commit(list(zip(temporaries, destinations, strict=True)), remove)
    except OSError as error:
        raise _write_error(error, destinations[0]) from error
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


def _temporary(destination: Path) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    sweep(destination.parent)
    handle, name = tempfile.mkstemp(
        prefix=f".{destination.name}.{MARK}{os.getpid()}.", suffix=".tmp", dir=destination.parent
    )
    os.close(handle)
    temporary = Path(name)
    umask = os.umask(0)
    os.umask(umask)
    temporary.chmod(0o666 & ~umask)  # as an ordinary new file, not mkstemp's private 0600
    return temporary


def _commit(renames: list[tuple[Path, Path]], remove: tuple[Path, ...]) -> None:
    """Rename every temporary and delete ``remove``, through a journal when more than one."""
    if len(renames) == 1 and not remove:
        renames[0][0].replace(renames[0][1])
        return
    first = renames[0][1]
    handle, name = tempfile.mkstemp(
        prefix=f".{first.name}.{MARK}{os.getpid()}.", suffix=".commit", dir=first.parent
    )
    steps = [[str(t), str(d)] for t, d in renames] + [[None, str(r)] for r in remove]
    with os.fdopen(handle, "w", encoding="utf-8") as journal:
        json.dump(steps, journal)
        journal.flush()
        os.fsync(journal.fileno())
    _replay(Path(name))


def _replay(journal: Path) -> None:
    """Carry out a journal's renames and deletions (again: each step can be repeated), drop it."""
    for temporary, destination in json.loads(journal.read_text(encoding="utf-8")):
        if temporary is None:
            Path(destination).unlink(missing_ok=True)
        elif Path(temporary).exists():
            Path(temporary).replace(destination)
    journal.unlink()


def sweep(folder: Path) -> None:
    """Complete the journals and remove the temporary files left in ``folder`` by dead processes.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".out.csv.alliance-999999999.x1.tmp").write_text("half")
    >>> sweep(folder)
    >>> list(folder.iterdir())
    []
    """
    for journal in folder.glob(".*.commit"):
        if not _alive(journal):
            with contextlib.suppress(OSError, ValueError):
                _replay(journal)
    for temporary in folder.glob(".*.tmp"):
        if not _alive(temporary):
            temporary.unlink(missing_ok=True)


def _alive(path: Path) -> bool:
    """Whether the process named in a temporary file's name (``.NAME.alliance-PID.X.tmp``) runs."""
    parts = path.name.rsplit(".", 3)
    if len(parts) != 4 or not parts[1].startswith(MARK) or not parts[1][len(MARK) :].isdigit():
        return True  # not one of ours: leave it alone
    pid = int(parts[1][len(MARK) :])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _write_error(error: OSError, destination: Path) -> FileWriteError:
    location = Location(file=str(destination))
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return FileWriteError("files.disk_full", location)
    return FileWriteError("files.write_failed", location, reason=error.strerror or str(error))


def write_text_atomically(destination: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``destination`` all at once or not at all."""
    with atomic_path(destination) as temporary:
        temporary.write_text(text, encoding="utf-8")
