"""What the workspace does with a study's files, for its pages and its API alike.

- **Create** a study: from its fields (code, titles, synthetic, analysts) with an optional
  ``study.yaml``; from a zipped study folder (:mod:`alliance.web.studies.archive`); from a
  definition sent as JSON. The code comes from ``study.yaml``'s ``study:`` when there is one; a
  code already taken is a conflict (409).
- **Store** a file under its path: one :class:`StudyFile` per path, replaced in place; the old
  content leaves the storage once the transaction is committed, the new one if it fails, so
  nothing is ever half-created.
- **Check**: after every change, the study is written back as a folder
  (:func:`~alliance.web.studies.folder.materialise`) and checked by the core: each file it names
  by :func:`alliance.study.files.check_file` (how it was read, its problems, kept on its
  :class:`StudyFile`), the whole study by :func:`alliance.study.check.prepare_study` (its
  problems kept on ``study.yaml``'s record).
- **Edit** ``study.yaml`` for a wave's strict or lenient validation and a population's mapping,
  through :mod:`alliance.study.editing` (comments kept).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal

import yaml
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from pydantic import ValidationError

from alliance.errors import ConflictError, Location, RequestError
from alliance.spreadsheet_cells import safe_cell
from alliance.study import editing
from alliance.study.check import prepare_study
from alliance.study.definition import StudyDefinition, load_definition
from alliance.study.files import (
    UNKNOWN_COLUMN,
    FileReport,
    NamedFile,
    check_file,
    named_files,
    normalised,
)
from alliance.survey.problems import Problem
from alliance.validation import message_for
from alliance.web.accounts.models import User
from alliance.web.jobs.models import Job
from alliance.web.jobs.queue import Progress, problem_record
from alliance.web.results.models import Study
from alliance.web.studies.archive import DEFINITION, unpack
from alliance.web.studies.folder import materialise, safe_path
from alliance.web.studies.models import StudyFile

__all__ = [
    "CODE",
    "DEFINITION",
    "UNKNOWN_COLUMN",
    "add_wave",
    "check_study_job",
    "create_from_archive",
    "create_from_definition",
    "create_study",
    "definition_of",
    "file_states",
    "folder_of",
    "pending_check",
    "population_reports",
    "record",
    "refresh",
    "rejected_csv",
    "report_of",
    "save_mapping",
    "set_validation",
    "store_file",
    "store_folder",
    "stored_bytes",
    "wave_validation",
]  # fmt: skip

#: A study's code: the same rule as ``study.yaml``'s ``study:`` (it appears in addresses).
CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CODE_LENGTH = 64
CHUNK = 1024 * 1024


def _check_code(code: str) -> None:
    if not (CODE.match(code) and len(code) <= CODE_LENGTH) or code == "new":  # /studies/new/
        raise RequestError("upload.invalid_code", Location(field="code", value=code))


def _free(code: str) -> None:
    if Study.objects.filter(code=code).exists():
        raise ConflictError("upload.study_exists", Location(field="code", value=code), code=code)


@contextmanager
def _cleanup() -> Iterator[list[str]]:
    """Collect the storage names written in a block; delete them if the block fails."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        storage = StudyFile._meta.get_field("content").storage
        for name in written:
            storage.delete(name)
        raise


def _save(
    study: Study, path: str, source: IO[bytes], user: User | None, written: list[str]
) -> StudyFile:
    """Store ``source`` under ``path`` (in place of the file there); old content goes on commit."""
    digest = hashlib.sha256()
    size = 0
    source.seek(0)
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    source.seek(0)
    stored = StudyFile.objects.select_for_update().filter(study=study, path=path).first()
    old = stored.content.name if stored is not None else None
    if stored is None:
        stored = StudyFile(study=study, path=path)
    suffix = "".join(Path(path).suffixes[-1:]).lower()
    stored.content.save(f"{uuid.uuid4().hex}{suffix}", File(source), save=False)
    written.append(str(stored.content.name))
    stored.sha256, stored.size, stored.uploaded_by = digest.hexdigest(), size, user
    stored.reading, stored.problems = {}, []
    stored.save()
    if old:
        storage = stored.content.storage
        transaction.on_commit(lambda: storage.delete(old))
    return stored


def _save_all(
    study: Study, folder: Path, paths: Iterable[str], user: User | None, written: list[str]
) -> list[StudyFile]:
    """Store each of a folder's ``paths`` under its path in the study (checked as safe)."""
    stored = []
    for path in paths:
        with (folder / path).open("rb") as source:
            stored.append(_save(study, str(safe_path(path)), source, user, written))
    return stored


def _title(data: Any, code: str) -> tuple[str, str]:
    title = data.get("title") if isinstance(data, dict) else None
    if isinstance(title, dict):
        fr, en = title.get("fr"), title.get("en")
        return (str(fr or en or code)[:300], str(en or fr or code)[:300])
    return code, code


def _definition_code(folder: Path) -> tuple[str, Any]:
    """Return ``study.yaml``'s code (checked) and its data.

    Every path it names must stay in the study folder: checking reads them on the server.
    """
    try:
        data = yaml.safe_load((folder / DEFINITION).read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        _definition, problems, _doc = load_definition(folder / DEFINITION)
        where = problems[0].location if problems else Location(file=DEFINITION)
        raise RequestError("upload.definition_unreadable", where) from None
    code = data.get("study") if isinstance(data, dict) else None
    if not isinstance(code, str):
        raise RequestError("upload.definition_no_code", Location(file=DEFINITION, field="study"))
    _check_code(code)
    definition, _problems, _doc = load_definition(folder / DEFINITION)
    for named in named_files(definition) if definition else []:
        safe_path(named.path)
    return code, data


def _create(
    user: User,
    folder: Path,
    paths: Iterable[str],
    code: str,
    titles: tuple[str, str],
    **fields: Any,
) -> Study:
    """Create the study and store the folder's files, all or nothing; then check them."""
    analysts = fields.pop("analysts", [])
    with _cleanup() as written, transaction.atomic():
        _free(code)
        try:
            with transaction.atomic():
                study = Study.objects.create(
                    code=code, title_fr=titles[0], title_en=titles[1], created_by=user, **fields
                )
        except IntegrityError:  # created meanwhile by someone else
            raise ConflictError(
                "upload.study_exists", Location(field="code", value=code), code=code
            ) from None
        study.analysts.set(analysts)
        _save_all(study, folder, paths, user, written)
        refresh(study)
    return study


def create_study(
    user: User,
    *,
    code: str,
    title_fr: str,
    title_en: str,
    synthetic: bool,
    analysts: Iterable[User] = (),
    definition: IO[bytes] | None = None,
) -> Study:
    """Create a study from the form's fields, with its ``study.yaml`` when one is given."""
    _check_code(code)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths: list[str] = []
        if definition is not None:
            (folder / DEFINITION).write_bytes(definition.read())
            named, _data = _definition_code(folder)
            if named != code:
                raise RequestError(
                    "upload.code_mismatch", Location(file=DEFINITION, field="study", value=named),
                    code=code,
                )  # fmt: skip
            paths = [DEFINITION]
        return _create(
            user, folder, paths, code, (title_fr, title_en),
            synthetic=synthetic, analysts=list(analysts),
        )  # fmt: skip


def create_from_archive(user: User, archive: IO[bytes]) -> Study:
    """Create a study from a zipped study folder (its code is ``study.yaml``'s ``study:``)."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = unpack(archive, folder)
        code, data = _definition_code(folder)
        synthetic = isinstance(data, dict) and data.get("synthetic") is True
        return _create(user, folder, paths, code, _title(data, code), synthetic=synthetic)


def create_from_definition(user: User, data: dict[str, Any]) -> Study:
    """Create a study from a definition sent as data (``study.yaml``'s schema), then stored."""
    try:
        definition = StudyDefinition.model_validate(data)
    except ValidationError as error:
        detail = error.errors()[0]
        key, params = message_for(detail)
        field = ".".join(str(part) for part in detail["loc"]) or None
        raise RequestError(key, Location(file=DEFINITION, field=field), **params) from None
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / DEFINITION).write_text(text, encoding="utf-8")
        _definition_code(folder)
        return _create(
            user, folder, [DEFINITION], definition.study,
            (definition.title.fr, definition.title.en), synthetic=definition.synthetic,
        )  # fmt: skip


def store_file(
    study: Study, path: str, upload: IO[bytes], user: User, *, check: bool = True
) -> StudyFile:
    """Store an uploaded file under ``path`` (replacing the one there), then check the study.

    A ``study.yaml`` must be this study's (its ``study:`` is the study's code): the runs publish
    under that code. With ``check=False`` the study is checked later, by a ``study.check`` job
    (:func:`check_study_job`): the pages do so for large deliveries.
    """
    relative = str(safe_path(normalised(path.strip())))
    if relative == DEFINITION:
        with tempfile.TemporaryDirectory() as scratch:
            (Path(scratch) / DEFINITION).write_bytes(upload.read())
            upload.seek(0)
            code, _data = _definition_code(Path(scratch))
        if code != study.code:
            raise RequestError(
                "upload.code_mismatch", Location(file=DEFINITION, field="study", value=code),
                code=study.code,
            )  # fmt: skip
    with _cleanup() as written, transaction.atomic():
        stored = _save(study, relative, upload, user, written)
        if check:
            refresh(study)
    stored.refresh_from_db()
    return stored


def stored_bytes(study: Study) -> int:
    """Return the size of every file stored for the study (what a check reads)."""
    return int(study.files.aggregate(total=Sum("size"))["total"] or 0)


def check_study_job(job: Job, progress: Progress, *, study: str) -> dict[str, Any]:
    """Check a study's stored files again, as a job (kind ``study.check``); nothing else changes.

    Safe to run twice: it only rewrites each file's reading and report.
    """
    found = Study.objects.get(code=study)
    progress(0.05, "check", study)
    refresh(found)
    return {"page": reverse("workspace_study", args=[study])}


def pending_check(study: Study) -> Job | None:
    """Return the study's latest check job if it is not finished (the pages show its progress)."""
    latest = (
        Job.objects.filter(kind="study.check", arguments__study=study.code)
        .order_by("-created_at")
        .first()
    )
    return latest if latest is not None and not latest.finished else None


def store_folder(study: Study, folder: Path, user: User | None) -> list[StudyFile]:
    """Store every file of a study folder in ``study`` (replacing those there), checked once.

    For a delivery already on the server's disk (the demo's, a folder an administrator copied):
    the files are stored as uploads would be, then the whole study is checked one time.
    """
    paths = sorted(
        str(file.relative_to(folder).as_posix()) for file in folder.rglob("*") if file.is_file()
    )
    with _cleanup() as written, transaction.atomic():
        stored = _save_all(study, folder, paths, user, written)
        refresh(study)
    return stored


@contextmanager
def folder_of(study: Study) -> Iterator[Path]:
    """Yield the study written back as a folder (temporary): the path of its ``study.yaml``."""
    with tempfile.TemporaryDirectory() as scratch:
        yield materialise(study, Path(scratch))


def record(problem: Problem) -> dict[str, Any]:
    """Return a problem as a file's report keeps it (:func:`problem_record`, with its key)."""
    return problem_record(problem) | {"key": problem.key}


def refresh(study: Study) -> None:
    """Check every stored file and the whole study again; keep each report on its record."""
    with folder_of(study) as definition:
        for stored in study.files.all():
            if stored.path == DEFINITION:
                continue
            report = check_file(definition, stored.path)
            stored.reading = report.reading
            if report.rejected is not None:
                stored.reading = stored.reading | {"rejected_rows": report.rejected.height}
            stored.problems = [record(p) for p in report.problems]
            stored.save(update_fields=["reading", "problems"])
        whole = study.files.filter(path=DEFINITION).first()
        if whole is not None:
            prepared = prepare_study(definition)
            whole.problems = [record(p) for p in prepared.problems]
            whole.save(update_fields=["problems"])


def file_states(study: Study) -> tuple[list[dict[str, Any]], list[StudyFile]]:
    """Return the files ``study.yaml`` names with their state, and the other stored files."""
    stored = {f.path: f for f in study.files.all()}
    definition = definition_of(study)
    named = named_files(definition) if definition else [NamedFile(DEFINITION, "definition")]
    rows = []
    for entry in named:
        found = stored.get(entry.path)
        errors = [p for p in found.problems if p["severity"] == "error"] if found else []
        rows.append(
            {
                "path": entry.path, "role": entry.role, "population": entry.population,
                "wave": entry.wave, "file": found,
                "state": "missing" if found is None else ("invalid" if errors else "uploaded"),
                "errors": len(errors),
                "warnings": len(found.problems) - len(errors) if found else 0,
            }
        )  # fmt: skip
    names = {entry.path for entry in named}
    return rows, [f for f in stored.values() if f.path not in names]


def report_of(study: Study, path: str) -> FileReport:
    """Check one file again, for what is not kept (its rejected rows, its unknown columns)."""
    with folder_of(study) as definition:
        return check_file(definition, path)


def population_reports(study: Study, population: str) -> list[FileReport] | None:
    """Check every wave of ``population`` again (None when the study has no such population)."""
    with folder_of(study) as definition_path:
        definition, _problems, _doc = load_definition(definition_path)
        if definition is None:
            return None
        found = next((p for p in definition.populations if p.population == population), None)
        if found is None:
            return None
        return [check_file(definition_path, wave.file) for wave in found.waves]


def definition_of(study: Study) -> StudyDefinition | None:
    """Return the study's definition (or what is valid of it), reading ``study.yaml`` alone."""
    stored = study.files.filter(path=DEFINITION).first()
    if stored is None:
        return None
    with tempfile.TemporaryDirectory() as scratch, stored.content.open("rb") as source:
        path = Path(scratch) / DEFINITION
        path.write_bytes(source.read())
        definition, _problems, _doc = load_definition(path)
    return definition


def wave_validation(study: Study, path: str) -> str:
    """Return how the wave delivered in ``path`` is validated (``strict`` or ``lenient``)."""
    definition = definition_of(study)
    waves = [w for p in definition.populations for w in p.waves] if definition else []
    return next((w.validation for w in waves if normalised(w.file) == normalised(path)), "strict")


def rejected_csv(study: Study, path: str) -> str:
    """Return the file's rejected rows as CSV (with their row and reasons), cells made safe."""
    report = report_of(study, path)
    out = io.StringIO()
    writer = csv.writer(out)
    if report.rejected is not None:
        writer.writerow([safe_cell(c) for c in report.rejected.columns])
        for row in report.rejected.iter_rows():
            writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def _edit(study: Study, user: User | None, change: Callable[[Path], Iterable[str]]) -> None:
    """Apply ``change`` to the study's folder, store the files it changed, check again."""
    with folder_of(study) as definition:
        if not definition.is_file():
            raise RequestError("upload.definition_missing", Location(file=DEFINITION))
        changed = list(change(definition))
        with _cleanup() as written, transaction.atomic():
            for path in changed:
                with (definition.parent / path).open("rb") as source:
                    _save(study, path, source, user, written)
            refresh(study)


def set_validation(study: Study, user: User, path: str, mode: Literal["strict", "lenient"]) -> None:
    """Make the wave in ``path`` validated strictly or leniently (``study.yaml`` rewritten)."""

    def change(definition: Path) -> list[str]:
        editing.set_validation(definition, path, mode)
        return [DEFINITION]

    _edit(study, user, change)


def save_mapping(study: Study, user: User, population: str, choices: dict[str, str | None]) -> str:
    """Map unknown columns of ``population``'s waves to items (None: ignore the column)."""
    saved: list[str] = []

    def change(definition: Path) -> list[str]:
        default = f"mappings/{population}.yaml"
        saved.append(editing.save_mapping(definition, population, choices, default))
        return [DEFINITION, saved[0]]

    _edit(study, user, change)
    return saved[0]


def add_wave(
    study: Study, user: User | None, population: str, wave: dict[str, Any], data: IO[bytes]
) -> StudyFile:
    """Store a new wave's data under ``wave["file"]`` and name it in ``study.yaml``, then check.

    For a wave collected on the platform (:mod:`alliance.web.collection`): both files change in
    one transaction, so the study never names a wave without its file.
    """
    path = str(safe_path(normalised(wave["file"])))

    def change(definition: Path) -> list[str]:
        editing.add_wave(definition, population, wave)
        target = definition.parent / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.read())
        return [DEFINITION, path]

    _edit(study, user, change)
    return study.files.get(path=path)
