"""A study's files as a folder again: what the core's ``alliance.study`` reads.

The workspace keeps each file of a study in the file storage under its path in the study folder
(:class:`~alliance.web.studies.models.StudyFile`); checking or running the study writes them back
into a folder (a temporary one, on whichever machine the worker runs) and hands it to the same
functions ``alliance study check|run`` call.
"""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

from alliance.errors import Location, RequestError
from alliance.web.results.models import Study

__all__ = ["materialise", "safe_path"]


def safe_path(path: str) -> PurePosixPath:
    """Return ``path`` as a relative path inside the study folder, or refuse it (400).

    Paths come from ``study.yaml``, uploads and zip archives: an absolute path, ``..``, a
    backslash or an empty part could write outside the folder.
    """
    candidate = PurePosixPath(path)
    if (
        not path
        or "\\" in path
        or "\x00" in path
        or candidate.is_absolute()
        or any(part in ("", ".", "..") for part in path.split("/"))
    ):
        raise RequestError("request.unsafe_path", Location(field="path", value=path))
    return candidate


def materialise(study: Study, directory: Path) -> Path:
    """Write every file of ``study`` into ``directory``; return the path of its ``study.yaml``."""
    for stored in study.files.all():
        target = directory.joinpath(*safe_path(stored.path).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with stored.content.open("rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy, length=1024 * 1024)
    return directory / "study.yaml"
