"""Loading registry files into the database: bulk upserts, newest version kept, import recorded.

The core readers (:mod:`alliance.territory.rna`, :mod:`alliance.territory.sirene`) stream batches
of classified, located entries, read in a thread one batch ahead of the writing; this module
writes each batch in one transaction. On PostgreSQL the batch goes by ``COPY`` into a temporary
table, then one ``INSERT … ON CONFLICT (source, identifier) DO UPDATE … WHERE`` the stored
version is not newer; on SQLite, ``executemany`` fills the temporary table and the same upsert
follows. While an import into PostgreSQL finds only new entries (a first import), batches skip
the staging and go straight into the table (:func:`add_new`). A batch updates only the columns
its file carries (a SIRENE legal unit, or its head office), so the two SIRENE files combine in
either order. A :class:`RegistryImport` row records the files, their vintage, the counts and the
first problems, in French and English.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import polars as pl
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from alliance.errors import RegistryFileError
from alliance.i18n import LANGUAGES
from alliance.territory.archives import RegistryFile, registry_files
from alliance.territory.registry_files import KINDS, Batch, FileSummary
from alliance.web.registry.counts import refresh_counts
from alliance.web.registry.models import RegistryEntry, RegistryImport

__all__ = ["ImportResult", "Source", "add_new", "import_files", "load_batch"]

Source = Literal["rna", "sirene"]
TABLE = RegistryEntry._meta.db_table
#: Every column an insert fills (NOT NULL text columns get '' when the batch lacks them).
TEXT = ("siret", "name", "profile", "legal_category", "activity", "workforce", "state",
        "commune", "epci", "department", "region")  # fmt: skip
TYPED = {"social_economy": "boolean", "created": "date", "updated": "timestamptz",
         "location_updated": "timestamptz"}  # fmt: skip
#: A batch's commit on PostgreSQL does not wait for its write-ahead log to reach the disk (the
#: server writes it a moment later): measured, the waits were half of a first import's time. A
#: crash then may lose the last batches, never corrupt anything; the import, left unfinished
#: (no ``finished`` time), is run again and upserts what is missing. The import's own record is
#: committed as usual.
UNSYNCHRONISED = "SET LOCAL synchronous_commit TO OFF"
#: Problems kept on the import row (the CLI shows the first ones; all are counted).
STORED_PROBLEMS = 200


@dataclass
class ImportResult:
    """What an import did: per-file summaries, files that could not be read, database counts."""

    source: Source
    summaries: list[FileSummary] = field(default_factory=list)
    #: (file name, error) for each file that could not be read at all.
    failures: list[tuple[str, RegistryFileError]] = field(default_factory=list)
    inserted: int = 0
    updated: int = 0
    #: Entries of the files not written: the stored version is newer, or the same.
    kept: int = 0
    vintage: date | None = None
    import_id: int | None = None


def _reader(source: Source) -> Callable[[Path, FileSummary], Iterator[Batch]]:
    if source == "rna":
        from alliance.territory.rna import read_rna

        return read_rna
    from alliance.territory.sirene import read_sirene

    return read_sirene


def import_files(
    source: Source,
    paths: list[Path],
    *,
    progress: Callable[[FileSummary], None] | None = None,
) -> ImportResult:
    """Read and load every file (one unreadable file does not stop the others).

    ``progress`` is called after each batch with the file's summary so far.
    """
    with _bulk_session():
        return _import(source, paths, progress)


#: SQLite settings of the importing connection, and what they are otherwise. Each is the
#: connection's own: a big page cache (128 MB instead of 2) makes the upserts about a third
#: faster; ``secure_delete`` (overwriting freed pages, so that an erased organisation is really
#: gone) is off while public registry rows are rewritten, and back on afterwards.
SQLITE_BULK = {"cache_size": ("-131072", "-2000"), "secure_delete": ("OFF", "ON")}


@contextmanager
def _bulk_session() -> Iterator[None]:
    """Tune the importing SQLite connection for bulk upserts, and restore it."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        for name, (bulk, _) in SQLITE_BULK.items():
            cursor.execute(f"PRAGMA {name} = {bulk}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, (_, usual) in SQLITE_BULK.items():
                cursor.execute(f"PRAGMA {name} = {usual}")


def _prefetched(batches: Iterator[Batch]) -> Iterator[Batch]:
    """Read the next batch in a thread while the current one is written.

    Polars parses, checks and classifies without holding the interpreter's lock, and the
    database writes largely without it too (SQLite's steps; PostgreSQL works in its own
    process): reading and writing overlap on two cores. One batch at most waits, so memory
    stays bounded by three batches. A reading error is raised here, where the batches are used.
    """
    waiting: queue.Queue[Batch | BaseException | None] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def read() -> None:
        try:
            for batch in batches:
                if stop.is_set():
                    return
                waiting.put(batch)
        except BaseException as error:  # handed over to the writing thread, which raises it
            waiting.put(error)
            return
        waiting.put(None)

    reader = threading.Thread(target=read, name="registry-reader", daemon=True)
    reader.start()
    try:
        while (item := waiting.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while reader.is_alive():  # let a reader blocked on a full queue see the stop
            with suppress(queue.Empty):
                waiting.get(timeout=0.05)
        reader.join()


def _import(
    source: Source, paths: list[Path], progress: Callable[[FileSummary], None] | None
) -> ImportResult:
    result = ImportResult(source)
    record = RegistryImport.objects.create(source=source)
    result.import_id = record.pk
    reader = _reader(source)
    #: Whether the files' entries are new so far: true for a first import into PostgreSQL, until
    #: one is found. (SQLite's inserts cost the same with or without the upsert: measured.)
    fresh = (
        connection.vendor == "postgresql"
        and not RegistryEntry.objects.filter(source=source).exists()
    )
    for path in paths:
        try:
            for file in registry_files(path):
                fresh = _load_file(file, reader, record.pk, result, fresh=fresh, progress=progress)
        except RegistryFileError as error:  # an archive that cannot be opened, or holds nothing
            result.failures.append((path.name, error))
    refresh_counts(source)
    read = [summary for summary in result.summaries if summary.sha256]
    vintages = [summary.vintage for summary in read if summary.vintage is not None]
    result.vintage = max(vintages, default=None)
    problems = [problem for summary in read for problem in summary.problems]
    record.files = [{"name": summary.name, "sha256": summary.sha256} for summary in read]
    record.vintage = result.vintage
    record.rows = sum(summary.rows for summary in read)
    record.imported_rows = result.inserted + result.updated
    record.rejected_rows = sum(summary.rejected for summary in read)
    record.problems = [
        {**problem.record("fr"), "message": {lang: problem.text(lang) for lang in LANGUAGES}}
        for problem in problems[:STORED_PROBLEMS]
    ]
    record.finished = timezone.now()
    record.save()
    return result


def _load_file(
    file: RegistryFile,
    reader: Callable[[Path, FileSummary], Iterator[Batch]],
    import_id: int,
    result: ImportResult,
    *,
    fresh: bool,
    progress: Callable[[FileSummary], None] | None,
) -> bool:
    """Read and load one file into ``result``; return whether its entries were all new so far.

    A file that cannot be read at all is added to the failures; those read before it stay.
    """
    summary = FileSummary(file.name)
    result.summaries.append(summary)
    if file.error is not None:
        result.failures.append((file.name, file.error))
        return fresh
    try:
        for batch in _prefetched(reader(file.path, summary)):
            fresh = fresh and add_new(batch, import_id)
            inserted, updated = (batch.frame.height, 0) if fresh else load_batch(batch, import_id)
            result.inserted += inserted
            result.updated += updated
            result.kept += batch.frame.height - inserted - updated
            if progress is not None:
                progress(summary)
    except RegistryFileError as error:
        result.failures.append((file.name, error))
    return fresh


def _staged(batch: Batch) -> pl.DataFrame:
    """Return the batch's own columns, as staged: identifier, then the kind's (text never null)."""
    kind = KINDS[batch.kind]
    return batch.frame.select(
        "identifier",
        *(pl.col(name).fill_null("") if name in TEXT else pl.col(name) for name in kind.columns),
    )


def _lacking(batch: Batch) -> tuple[list[str], list[str]]:
    """Return the entry's columns a batch does not carry: (text ones, typed ones).

    A new entry gets them empty (text) or null (typed); an updated one keeps what it had.
    """
    own = {"identifier", *KINDS[batch.kind].columns}
    return [name for name in TEXT if name not in own], [name for name in TYPED if name not in own]


def _insert_columns(batch: Batch, import_id: int, *, cast: bool) -> tuple[str, str]:
    """Return the insert's column list and its SELECT list from the staged columns.

    Only the batch's own columns are staged (about half of a SIRENE head office's); the others
    (:func:`_lacking`) are filled in SQL. PostgreSQL stages text and ``cast`` s the typed
    columns; SQLite stages them as they are.
    """
    kind = KINDS[batch.kind]
    own = ["identifier", *kind.columns]
    text, typed = _lacking(batch)
    names = ["source", *own, *text, *typed, "imported_id"]
    values = [
        f"'{kind.source}'",
        *(f"{name}::{TYPED[name]}" if cast and name in TYPED else name for name in own),
        *("''" for _ in text),
        *(f"NULL::{TYPED[name]}" if cast else "NULL" for name in typed),
        str(int(import_id)),
    ]
    return ", ".join(names), ", ".join(values)


def _upsert_clause(batch: Batch, excluded: str, distinct: str) -> str:
    """``ON CONFLICT … DO UPDATE`` of the batch's own columns, unless the stored one is newer.

    An entry the file repeats unchanged is not rewritten (``distinct`` is the database's « row
    values differ » operator): re-importing next month's national file touches only what moved,
    instead of every row and its unique index.
    """
    kind = KINDS[batch.kind]
    columns = [name for name in kind.columns if name not in kind.insert_only]
    sets = ", ".join(f"{name} = {excluded}.{name}" for name in [*columns, "imported_id"])
    stored = ", ".join(f"{TABLE}.{name}" for name in columns)
    given = ", ".join(f"{excluded}.{name}" for name in columns)
    version = kind.version
    return (
        f"ON CONFLICT (source, identifier) DO UPDATE SET {sets} "
        f"WHERE ({TABLE}.{version} IS NULL OR {excluded}.{version} IS NULL "
        f"OR {excluded}.{version} >= {TABLE}.{version}) "
        f"AND ({stored}) {distinct} ({given})"
    )


def add_new(batch: Batch, import_id: int) -> bool:
    """Add a batch of entries that are probably all new to PostgreSQL, without the upsert.

    Return whether it could. A first import (a national file into an empty registry) is new
    entries only: each batch is ``COPY`` -ed straight into the table instead of into a temporary
    one then upserted, which does the work once instead of twice. Should one entry of the batch
    exist already, the attempt is undone, nothing of it kept, and the caller upserts. Every
    column is copied, those the batch lacks (:func:`_lacking`) empty or null.
    """
    if batch.frame.is_empty():
        return True
    text, typed = _lacking(batch)
    rows = _staged(batch).with_columns(
        pl.lit(KINDS[batch.kind].source).alias("source"),
        *(pl.lit("").alias(name) for name in text),
        *(pl.lit(None, dtype=pl.String).alias(name) for name in typed),
        pl.lit(import_id).alias("imported_id"),
    )
    try:
        with transaction.atomic(), connection.wrap_database_errors, connection.cursor() as cursor:
            cursor.execute(UNSYNCHRONISED)
            _copy(cursor, TABLE, rows)
    except IntegrityError:
        return False
    return True


def _copy(cursor: Any, table: str, rows: pl.DataFrame) -> None:
    r"""``COPY`` a frame's rows into ``table`` (PostgreSQL), nulls written ``\N``."""
    data = io.BytesIO()
    rows.write_csv(data, include_header=False, null_value="\\N")
    statement = f"COPY {table} ({', '.join(rows.columns)}) FROM STDIN (FORMAT csv, NULL '\\N')"
    raw: Any = cursor.cursor
    with raw.copy(statement) as copy:
        copy.write(data.getvalue())


def load_batch(batch: Batch, import_id: int) -> tuple[int, int]:
    """Write one batch in one transaction; return (entries inserted, entries updated)."""
    if batch.frame.is_empty():
        return 0, 0
    staged = _staged(batch)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            return _load_postgresql(batch, staged, import_id)
        return _load_sqlite(batch, staged, import_id)


def _load_postgresql(batch: Batch, staged: pl.DataFrame, import_id: int) -> tuple[int, int]:
    names, values = _insert_columns(batch, import_id, cast=True)
    with connection.cursor() as cursor:
        cursor.execute(UNSYNCHRONISED)
        # Dropped at commit; dropped first too, as an enclosing transaction may still hold it.
        cursor.execute("DROP TABLE IF EXISTS pg_temp.registry_load")
        cursor.execute(
            f"CREATE TEMPORARY TABLE registry_load "
            f"({', '.join(f'{n} text' for n in staged.columns)}) ON COMMIT DROP"
        )
        _copy(cursor, "registry_load", staged)
        cursor.execute(
            f"WITH written AS (INSERT INTO {TABLE} ({names}) SELECT {values} FROM registry_load "
            f"ORDER BY identifier {_upsert_clause(batch, 'EXCLUDED', 'IS DISTINCT FROM')} "
            "RETURNING (xmax = 0) AS inserted) "
            "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
            "FROM written"
        )
        inserted, updated = cursor.fetchone()
    return int(inserted), int(updated)


def _load_sqlite(batch: Batch, staged: pl.DataFrame, import_id: int) -> tuple[int, int]:
    """Fill a temporary table, then upsert from it in identifier order.

    Measured about 3× faster than an upsert per row: one statement, the unique index walked in
    order. New entries are those whose id is past the largest before the statement (SQLite's
    ``AUTOINCREMENT`` never reuses one): counted on the primary key, not looked up one by one.
    """
    names, values = _insert_columns(batch, import_id, cast=False)
    marks = ", ".join("?" * staged.width)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS temp.registry_load")
        cursor.execute(f"CREATE TEMPORARY TABLE registry_load ({', '.join(staged.columns)})")
        raw: Any = connection.connection  # sqlite3's own executemany, without Django's wrapper
        raw.executemany(f"INSERT INTO registry_load VALUES ({marks})", staged.iter_rows())
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TABLE}")
        last = cursor.fetchone()[0]
        cursor.execute(  # WHERE true: SQLite's parser needs it before an upsert's ON CONFLICT
            f"INSERT INTO {TABLE} ({names}) SELECT {values} FROM registry_load WHERE true "
            f"ORDER BY identifier {_upsert_clause(batch, 'excluded', 'IS NOT')}"
        )
        changed = cursor.rowcount
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE id > %s", [last])
        inserted = cursor.fetchone()[0]
        cursor.execute("DROP TABLE temp.registry_load")
    return inserted, changed - inserted
