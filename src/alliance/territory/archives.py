"""Registry files as their publishers deliver them: plain, or in a ZIP archive.

data.gouv.fr publishes the RNA « waldec » export as one ZIP archive of per-department CSV files
(``rna_waldec_20251201.zip``), and INSEE its stock files as ZIP archives of one CSV
(``StockEtablissement_utf8.zip``) besides Parquet. An analyst passes what they downloaded: each CSV
or Parquet member of an archive is read as a file of its own, named ``archive.zip/member.csv`` in
summaries and problems, in the archive's order of names. An archive is recognised by its content,
like the registry files themselves, never by its name.

The readers need a real file (a Parquet file is read by random access, a CSV twice: its
fingerprint, then its rows), so members are extracted one at a time into a temporary folder
(``$TMPDIR``), each removed before the next: the disk holds one member at most, never the whole
archive unpacked. Only a member's base name is used on disk, so a member named ``../x.csv`` cannot
write outside that folder.
"""

from __future__ import annotations

import lzma
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from alliance.errors import Location, RegistryFileError

__all__ = ["READABLE", "RegistryFile", "registry_files"]

#: The members of an archive that are read (case ignored); others (a licence, a README) are not.
READABLE = (".csv", ".parquet")
#: What a damaged, encrypted or oddly compressed member raises while it is read.
DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, RuntimeError,
           NotImplementedError)  # fmt: skip
#: Bytes copied at a time from a member to its extracted file.
CHUNK = 1 << 20


@dataclass(frozen=True)
class RegistryFile:
    """One registry file to read: its name as shown, and where it is (or why it cannot be had)."""

    name: str
    path: Path
    #: Set when an archive's member could not be extracted: it is reported, the others are read.
    error: RegistryFileError | None = None


def registry_files(path: Path) -> Iterator[RegistryFile]:
    """Yield the registry files ``path`` holds: itself, or each CSV or Parquet member it archives.

    A member's extracted file exists until the next one is asked for. Raises
    :class:`~alliance.errors.RegistryFileError` when an archive cannot be opened or holds no
    CSV or Parquet file; a plain file, even missing, is yielded as it is, for its reader to judge.
    """
    if not path.is_file() or not zipfile.is_zipfile(path):
        yield RegistryFile(path.name, path)
        return
    try:
        archive = zipfile.ZipFile(path)
    except (*DAMAGED, OSError) as error:
        raise RegistryFileError(
            "registry.bad_archive", Location(file=path.name), reason=str(error)
        ) from error
    with archive, tempfile.TemporaryDirectory(prefix="alliance-registry-") as folder:
        members = sorted(
            (member for member in archive.infolist() if _readable(member)),
            key=lambda member: member.filename,
        )
        if not members:
            raise RegistryFileError("registry.empty_archive", Location(file=path.name))
        for member in members:
            name = f"{path.name}/{member.filename}"
            target = Path(folder) / PurePosixPath(member.filename).name
            try:
                _extract(archive, member, target, name)
            except RegistryFileError as failed:
                yield RegistryFile(name, target, failed)
            else:
                yield RegistryFile(name, target)
            finally:
                target.unlink(missing_ok=True)


def _extract(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, name: str) -> None:
    """Copy a member to ``target``: a damaged member, or a full disk, is a located error."""
    try:
        with archive.open(member) as packed, _written(target, name) as unpacked:
            while chunk := packed.read(CHUNK):
                try:
                    unpacked.write(chunk)
                except OSError as error:
                    raise _unpack_failed(name, target, error) from error
    except (*DAMAGED, OSError) as error:  # reading the member
        raise RegistryFileError(
            "registry.bad_archive", Location(file=name), reason=str(error)
        ) from error


def _written(target: Path, name: str) -> BinaryIO:
    try:
        return target.open("wb")
    except OSError as error:
        raise _unpack_failed(name, target, error) from error


def _unpack_failed(name: str, target: Path, error: OSError) -> RegistryFileError:
    """Say the temporary folder refused the member: full, most likely (``TMPDIR`` may move it)."""
    return RegistryFileError(
        "registry.unpack_failed", Location(file=name),
        folder=str(target.parent), reason=error.strerror or str(error),
    )  # fmt: skip


def _readable(member: zipfile.ZipInfo) -> bool:
    """Whether a member is a registry file: a CSV or Parquet file, not a macOS resource copy."""
    name = PurePosixPath(member.filename)
    return (
        not member.is_dir()
        and name.suffix.lower() in READABLE
        and "__MACOSX" not in name.parts
        and not name.name.startswith("._")
    )
