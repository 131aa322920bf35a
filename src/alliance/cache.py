"""Data the package derives from its own files, kept between runs so that commands start quickly.

Parsing and checking the referential's 35 YAML files, or the locale's 27, costs more than a
command-line tool may spend starting up, and they change only with the package. What they give is
therefore kept, pickled, in the user's cache folder (``$ALLIANCE_CACHE_DIR``, else
``$XDG_CACHE_HOME/alliance``, else ``~/.cache/alliance``), under a key that is the digest of the
package version and of every source file's name and bytes: any change to the files makes a new
key, so a stale copy is never read. The folder is private to the user (0700); an unreadable copy
is ignored and rebuilt; a cache that cannot be written is simply not used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from alliance import __version__

__all__ = ["cache_folder", "cached", "files_key"]

T = TypeVar("T")


def cache_folder() -> Path:
    """Return the folder where derived data are kept."""
    explicit = os.environ.get("ALLIANCE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "alliance"


def files_key(paths: Iterable[Path]) -> str:
    """Return the digest of the package version and of every file (name and bytes)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def cached(name: str, key: str, kind: type[T], build: Callable[[], T]) -> T:
    """Return ``name`` from the cache under ``key``, building and keeping it if absent."""
    path = cache_folder() / f"{name}-{key}.pickle"
    try:
        with path.open("rb") as stream:
            kept = pickle.load(stream)
        if isinstance(kept, kind):
            return kept
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    value = build()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.chmod(0o600)
        temporary.replace(path)
    except OSError:
        pass
    return value
