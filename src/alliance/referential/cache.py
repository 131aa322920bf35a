"""The validated referential, kept between runs so that a command starts quickly.

Parsing and checking the 35 YAML files costs more than a command-line tool may spend starting
up, and they change only with the package. The loaded referential is therefore kept, pickled, in
the user's cache folder (``$ALLIANCE_CACHE_DIR``, else ``$XDG_CACHE_HOME/alliance``, else
``~/.cache/alliance``), under a key that is the digest of the package version and of every data
file's name and bytes: any change to the data makes a new key, so a stale copy is never read. The
folder is private to the user (0700) and any unreadable copy is ignored and rebuilt; a cache that
cannot be written is simply not used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from alliance import __version__
from alliance.referential.framework import Referential

__all__ = ["cache_folder", "cached_referential", "data_key"]


def cache_folder() -> Path:
    """Return the folder where the loaded referential is kept."""
    explicit = os.environ.get("ALLIANCE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "alliance"


def data_key(data_dir: Path) -> str:
    """Return the digest of the package version and of every data file (name and bytes)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(data_dir.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def cached_referential(data_dir: Path, load: Callable[[Path], Referential]) -> Referential:
    """Return the referential of ``data_dir`` from the cache, loading and keeping it if absent."""
    path = cache_folder() / f"referential-{data_key(data_dir)}.pickle"
    try:
        with path.open("rb") as stream:
            kept = pickle.load(stream)
        if isinstance(kept, Referential):
            return kept
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    referential = load(data_dir)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as stream:
            pickle.dump(referential, stream, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.chmod(0o600)
        temporary.replace(path)
    except OSError:
        pass
    return referential
