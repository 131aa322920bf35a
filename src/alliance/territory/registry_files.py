"""What the RNA and SIRENE readers share: batches of entries, a file's summary, its problems.

A reader (:mod:`alliance.territory.rna`, :mod:`alliance.territory.sirene`) streams a registry
file as :class:`Batch` es of at most a few tens of thousands of entries, already classified into
the referential's actor profiles and located (commune → EPCI, department, region), so that memory
stays bounded whatever the file's size. Each batch says which columns it carries and which
column dates its version: the loader inserts new entries and updates known ones only with those
columns, and only when the stored version is not newer. Refused rows become located, bilingual
:class:`~alliance.survey.problems.Problem` s in the file's :class:`FileSummary`.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

import polars as pl

from alliance.errors import Location
from alliance.survey.problems import Problem
from alliance.territory.geography import DATA as GEOGRAPHY

__all__ = [
    "KINDS", "MAX_PROBLEMS", "Batch", "BatchKind", "FileSummary", "file_sha256",
    "fingerprint", "locate", "reject", "timestamp", "valid_date", "vintage_from_name",
]  # fmt: skip

BatchKind = Literal["rna", "unit", "location"]


@dataclass(frozen=True)
class KindColumns:
    """The entry columns a batch kind sets, those set only on insert, and its version column."""

    source: str
    columns: tuple[str, ...]
    insert_only: tuple[str, ...]
    version: str


_PLACE = ("commune", "epci", "department", "region")
#: RNA rows carry a whole entry; SIRENE's legal units (StockUniteLegale) carry what the unit is,
#: its establishments' head offices (StockEtablissement) where it is. Either file may come
#: first: each updates its own columns, dated by its own column.
KINDS: dict[BatchKind, KindColumns] = {
    "rna": KindColumns(
        "rna",
        ("siret", "name", "profile", "legal_category", "activity", "state", *_PLACE,
         "created", "updated"),
        (),
        "updated",
    ),
    "unit": KindColumns(
        "sirene",
        ("name", "profile", "legal_category", "activity", "workforce", "social_economy", "state",
         "created", "updated"),
        (),
        "updated",
    ),
    "location": KindColumns(
        "sirene", ("siret", *_PLACE, "location_updated", "state"), ("state",), "location_updated"
    ),
}  # fmt: skip

#: Problems kept per file (all are counted; a national file's first thousand are enough to fix).
MAX_PROBLEMS = 1000


@dataclass(frozen=True)
class Batch:
    """Entries of one kind, one row per identifier, columns ``identifier`` + the kind's."""

    kind: BatchKind
    frame: pl.DataFrame


@dataclass
class FileSummary:
    """What reading one file gave: counts by fate and the first problems, located."""

    name: str
    sha256: str = ""
    #: ``rna``, ``unit``, ``location`` or ``unit+location`` (a file joining both).
    kind: str = ""
    vintage: date | None = None
    rows: int = 0
    entries: int = 0
    closed: int = 0
    deleted: int = 0
    #: Establishments that are not their legal unit's head office (SIRENE), skipped.
    skipped: int = 0
    rejected: int = 0
    unclassified: int = 0
    without_commune: int = 0
    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Keep ``problem`` if fewer than :data:`MAX_PROBLEMS` are kept already."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def wrong_fields(self, line: int, found: int, expected: int) -> None:
        """Reject the row at ``line``: it has ``found`` fields where the header has ``expected``."""
        self.rejected += 1
        self.add(
            Problem(
                "registry.wrong_field_count",
                Location(file=self.name, line=line),
                params={"found": found, "expected": expected},
            )
        )

    def see_updated(self, newest: str | None) -> None:
        """Take the newest update in a batch as the vintage, unless the file name gave one."""
        if newest and re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", newest):
            found = date.fromisoformat(newest[:10])
            if self.vintage is None or found > self.vintage:
                self.vintage = found


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file, read by blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(path: Path) -> tuple[str, str]:
    """Return the file's SHA-256 and its encoding, from one reading of the file by blocks.

    The encoding is ``utf-8-sig`` when the whole file decodes as UTF-8, else ``cp1252``: the RNA
    is delivered in UTF-8 or in Windows' Latin-1 depending on the year and the tool that re-saved
    it; cp1252 decodes every byte Latin-1 does and the « œ », « € » and quotes of Windows files.
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return digest.hexdigest(), "utf-8-sig" if utf8 else "cp1252"


def vintage_from_name(name: str) -> date | None:
    """Return the extraction date a file name carries (``rna_waldec_20250301_dpt_59.csv``).

    Examples
    --------
    >>> vintage_from_name("rna_waldec_20250301_dpt_59.csv")
    datetime.date(2025, 3, 1)
    >>> vintage_from_name("StockUniteLegale_utf8.csv") is None
    True
    """
    found = re.search(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)", name)
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def valid_date(column: str) -> pl.Expr:
    """Return a ``YYYY-MM-DD`` date column, null if empty, malformed or the RNA's ``0001-01-01``."""
    text = pl.col(column).str.strip_chars().str.slice(0, 10)
    usable = text.str.contains(r"^(1[89]|20)\d{2}-[01]\d-[0-3]\d$").fill_null(False)
    return pl.when(usable).then(text).otherwise(None)


def timestamp(column: str) -> pl.Expr:
    """Return a registry timestamp as ``YYYY-MM-DD HH:MM:SS`` (null if unusable), comparable.

    RNA writes ``2024-05-02 10:31:07``, SIRENE ``2024-05-02T10:31:07.000``; a date alone is
    taken at midnight.
    """
    text = pl.col(column).str.strip_chars().str.replace("T", " ", literal=True).str.slice(0, 19)
    full = text.str.contains(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$").fill_null(False)
    day = text.str.contains(r"^\d{4}-\d{2}-\d{2}$").fill_null(False)
    return pl.when(full).then(text).when(day).then(text + " 00:00:00").otherwise(None)


@cache
def _places() -> pl.DataFrame:
    """Every commune code the geography knows, with its current commune and that one's places.

    Read from the geography's communes table by Polars (tens of milliseconds), not through
    :func:`~alliance.territory.geography.geography`'s objects (half a second): an import needs
    the table, not the objects. The first row of a code wins, as in the geography.
    """
    communes = (
        pl.read_csv(GEOGRAPHY / "communes.csv", infer_schema=False)
        .with_columns(pl.all().fill_null(""))
        .unique(subset="code", keep="first", maintain_order=True)
    )
    own = pl.col("type") == "commune-actuelle"
    communes = communes.with_columns(
        pl.when(own | (pl.col("parent") == "")).then("code").otherwise("parent").alias("current")
    )
    places = communes.select(pl.col("code").alias("current"), *_PLACE[1:])
    located = communes.join(places, on="current", how="left", suffix="_current")
    return located.select(
        pl.col("code").alias("commune_code"),
        pl.col("current").alias("commune"),
        *(
            pl.when(pl.col("current").is_in(places.get_column("current").implode()))
            .then(pl.col(f"{name}_current"))
            .otherwise(pl.col(name))
            .alias(name)
            for name in _PLACE[1:]
        ),
    )


def locate(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Add ``commune`` (current code), ``epci``, ``department``, ``region`` from ``column``.

    A code of four digits gets back the leading zero a spreadsheet took. ``commune_known`` tells
    whether the code was found; an empty code stays unlocated (``commune_known`` true).
    """
    code = pl.col(column).fill_null("").str.strip_chars().str.to_uppercase()
    code = pl.when(code.str.contains(r"^\d{4}$")).then("0" + code).otherwise(code)
    located = frame.with_columns(code.alias("commune_code")).join(
        _places(), on="commune_code", how="left", maintain_order="left"
    )
    return located.with_columns(
        (pl.col("commune").is_not_null() | (pl.col("commune_code") == "")).alias("commune_known"),
        *(pl.col(name).fill_null("") for name in _PLACE),
    )


def reject(
    frame: pl.DataFrame,
    bad: pl.Expr,
    summary: FileSummary,
    key: str,
    column: str,
    value: str,
    *,
    place: str = "line",
) -> pl.DataFrame:
    """Report the rows where ``bad`` holds (key, the file's column and the value) and drop them.

    ``frame`` has a ``line`` column (a CSV's line, or a Parquet file's row when ``place`` is
    ``row``) and ``value`` names the column holding the offending value.
    """
    flagged = frame.with_columns(bad.fill_null(True).alias("_bad"))
    refused = flagged.filter(pl.col("_bad"))
    for line, shown in refused.select("line", value).iter_rows():
        where = {place: line}
        summary.add(
            Problem(key, Location(file=summary.name, field=column, value=shown or "", **where))
        )
    summary.rejected += refused.height
    return flagged.filter(~pl.col("_bad")).drop("_bad")
