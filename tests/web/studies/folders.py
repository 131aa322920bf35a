"""Study folders for the workspace's tests: the fixture study zipped, wave files, clients."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

from tests.study.conftest import HAND_STUDY

HAND_CSV = "data/habitants-2024.csv"
HAND_SAV = "data/habitants-2023.sav"


def zipped(folder: Path, *, top: str = "", skip: tuple[str, ...] = ()) -> bytes:
    """Return ``folder`` zipped (its files under ``top/`` when given), without ``skip``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and relative not in skip:
                archive.write(path, f"{top}{relative}")
    return buffer.getvalue()


def hand_zip(**options: object) -> bytes:
    """The fixture study (tests/study/data/hand-study) zipped."""
    return zipped(HAND_STUDY, **options)  # type: ignore[arg-type]


def hand_copy(folder: Path) -> Path:
    """A copy of the fixture study, free to edit."""
    shutil.copytree(HAND_STUDY, folder)
    return folder


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()
