"""A zipped study folder, unpacked safely: what an analyst uploads to create a study at once.

The archive holds ``study.yaml`` at its root, or in a single top folder (what « compress this
folder » makes). Nothing in it may write outside the folder (absolute paths, ``..``: refused with
:func:`~alliance.web.studies.folder.safe_path`), nor be a symbolic link; it may hold at most
``ALLIANCE_ARCHIVE_MAX_FILES`` files and ``ALLIANCE_ARCHIVE_MAX_SIZE`` bytes once uncompressed,
counted while reading (a zip bomb's headers lie about sizes). The operating systems' leftovers
(``__MACOSX/``, ``.DS_Store``) are skipped. Every refusal is a located, bilingual 400.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings

from alliance.errors import Location, RequestError
from alliance.web.studies.folder import safe_path

__all__ = ["DEFINITION", "unpack"]

DEFINITION = "study.yaml"
#: Files that archivers add and that are no part of a study.
LEFTOVERS = ("__MACOSX/", ".DS_Store", "Thumbs.db")
CHUNK = 1024 * 1024


def _refused(key: str, value: str | int | None = None, **params: object) -> RequestError:
    return RequestError(key, Location(field="archive", value=value), **params)


def unpack(source: IO[bytes], folder: Path) -> list[str]:
    """Unpack the zipped study folder ``source`` into ``folder``; return its files' paths.

    Paths are relative to the folder of ``study.yaml`` (a single top folder is taken off).
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refused("upload.archive_invalid") from None
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and not any(part in info.filename for part in LEFTOVERS)
        ]
        if len(members) > settings.ALLIANCE_ARCHIVE_MAX_FILES:
            raise _refused(
                "upload.archive_too_many", len(members), limit=settings.ALLIANCE_ARCHIVE_MAX_FILES
            )
        for info in members:
            safe_path(info.filename)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _refused("upload.archive_link", info.filename, path=info.filename)
        names = [info.filename for info in members]
        prefix = _top_folder(names)
        if prefix + DEFINITION not in names:
            raise _refused("upload.archive_no_definition")
        budget = settings.ALLIANCE_ARCHIVE_MAX_SIZE
        paths = []
        for info in members:
            relative = info.filename.removeprefix(prefix)
            target = folder.joinpath(*PurePosixPath(relative).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            budget = _copy(archive, info, target, budget)
            paths.append(relative)
    return paths


def _top_folder(names: list[str]) -> str:
    """Return ``"top/"`` when every file is in one folder without ``study.yaml`` at the root."""
    if DEFINITION in names:
        return ""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and all("/" in name for name in names):
        return f"{tops.pop()}/"
    return ""


def _copy(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int:
    """Copy one member, counting what it really holds against ``budget``; return what is left."""
    limit = settings.ALLIANCE_ARCHIVE_MAX_SIZE
    try:
        with archive.open(info) as member, target.open("wb") as copy:
            while chunk := member.read(CHUNK):
                budget -= len(chunk)
                if budget < 0:
                    raise _refused("upload.archive_too_large", info.filename, limit=limit)
                copy.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        target.unlink(missing_ok=True)
        raise _refused("upload.archive_invalid", info.filename) from None
    except RequestError:
        target.unlink(missing_ok=True)
        raise
    return budget
