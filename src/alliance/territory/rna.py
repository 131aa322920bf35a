"""The RNA « waldec » export, streamed: one association per row, classified and located.

data.gouv.fr publishes the Répertoire national des associations as one ``;``-separated CSV per
department (``rna_waldec_YYYYMMDD_dpt_NN.csv``), in UTF-8 or Windows Latin-1 depending on the
year, with quoted fields that may hold ``;`` and line breaks (an association's object often
does). Python's ``csv`` module reads that exactly and tells each record's line; rows are turned
into Polars frames a batch at a time for the checks, the geography and the classification.

``position`` A is an active association; D (dissoute) becomes state ``closed`` and S (supprimée)
``deleted``: kept, but apart, so that a territory never counts them as actors. Every RNA entry is
an association (legal category 9220, or 9230 when recognised of public utility: ``rup_mi``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from alliance.errors import Location, RegistryFileError
from alliance.identifiers import RNA_NUMBER
from alliance.territory.legal_categories import classify
from alliance.territory.registry_files import (
    Batch,
    FileSummary,
    fingerprint,
    locate,
    reject,
    timestamp,
    valid_date,
    vintage_from_name,
)

__all__ = ["COLUMNS", "read_rna"]

#: The columns of the waldec export, in the order data.gouv.fr publishes them.
COLUMNS = (
    "id", "id_ex", "siret", "rup_mi", "gestion", "date_creat", "date_decla", "date_publi",
    "date_disso", "nature", "groupement", "titre", "titre_court", "objet", "objet_social1",
    "objet_social2", "adrs_complement", "adrs_numvoie", "adrs_repetition", "adrs_typevoie",
    "adrs_libvoie", "adrs_distrib", "adrs_codeinsee", "adrs_codepostal", "adrs_libcommune",
    "adrg_declarant", "adrg_complemid", "adrg_complemgeo", "adrg_libvoie", "adrg_distrib",
    "adrg_codepostal", "adrg_achemine", "adrg_pays", "dir_civilite", "siteweb", "publiweb",
    "observation", "position", "maj_time",
)  # fmt: skip
#: The columns an import needs; a file without them is not an RNA export.
NEEDED = ("id", "siret", "rup_mi", "date_creat", "titre", "objet_social1", "adrs_codeinsee",
          "position", "maj_time")  # fmt: skip
#: An RNA number: W, the department's 3 characters (``592``, ``2A0``, ``9T1``), 6 digits.
RNA_PATTERN = f"^{RNA_NUMBER}$"
STATES = {"A": "active", "D": "closed", "S": "deleted"}
BATCH_ROWS = 50_000


def read_rna(path: Path, summary: FileSummary, *, batch_rows: int = BATCH_ROWS) -> Iterator[Batch]:
    """Stream an RNA file as batches of entries, counting and reporting into ``summary``.

    Raises :class:`~alliance.errors.RegistryFileError` when the file cannot be read or its
    header is not the waldec export's; a bad row is reported and the reading goes on.
    """
    if not path.is_file():
        raise RegistryFileError("registry.file_missing", Location(file=summary.name))
    summary.sha256, encoding = fingerprint(path)
    summary.kind = "rna"
    summary.vintage = vintage_from_name(path.name)
    from_name = summary.vintage is not None
    with path.open(encoding=encoding, newline="") as file:
        reader = csv.reader(file, delimiter=";", quotechar='"')
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [name for name in NEEDED if name not in header]
        if missing:
            raise RegistryFileError(
                "registry.not_rna", Location(file=summary.name, line=1), columns=", ".join(missing)
            )
        wanted = [header.index(name) for name in NEEDED]
        rows: list[list[str]] = []
        lines: list[int] = []
        start = reader.line_num + 1
        for record in reader:
            summary.rows += 1
            if len(record) != len(header):
                summary.wrong_fields(start, len(record), len(header))
            elif any(field.strip() for field in record):
                rows.append([record[index] for index in wanted])
                lines.append(start)
            start = reader.line_num + 1
            if len(rows) >= batch_rows:
                yield _batch(rows, lines, summary, from_name)
                rows, lines = [], []
        if rows:
            yield _batch(rows, lines, summary, from_name)


def _batch(rows: list[list[str]], lines: list[int], summary: FileSummary, from_name: bool) -> Batch:
    """Check, classify and locate a batch of raw rows (the file's own columns)."""
    frame = pl.DataFrame(rows, schema=list(NEEDED), orient="row").with_columns(
        pl.Series("line", lines, dtype=pl.Int64),
        pl.col("id").str.strip_chars().str.to_uppercase(),
        pl.col("position").str.strip_chars().str.to_uppercase(),
    )
    frame = reject(
        frame, ~pl.col("id").str.contains(RNA_PATTERN), summary, "registry.invalid_rna", "id", "id"
    )
    frame = reject(
        frame,
        ~pl.col("position").is_in(list(STATES)),
        summary,
        "registry.unknown_position",
        "position",
        "position",
    )
    frame = locate(frame, "adrs_codeinsee")
    frame = reject(
        frame,
        ~pl.col("commune_known"),
        summary,
        "registry.unknown_commune",
        "adrs_codeinsee",
        "commune_code",
    )
    recognised = pl.col("rup_mi").str.strip_chars().fill_null("") != ""
    category = pl.when(recognised).then(pl.lit("9230")).otherwise(pl.lit("9220"))
    siret = pl.col("siret").str.strip_chars()
    entries = frame.select(
        pl.col("id").alias("identifier"),
        pl.when(siret.str.contains(r"^\d{14}$")).then(siret).otherwise(pl.lit("")).alias("siret"),
        pl.col("titre").str.strip_chars().str.slice(0, 250).alias("name"),
        category.alias("legal_category"),
        pl.col("objet_social1").str.strip_chars().str.slice(0, 8).alias("activity"),
        pl.col("position").replace_strict(STATES, return_dtype=pl.String).alias("state"),
        "commune", "epci", "department", "region",
        valid_date("date_creat").alias("created"),
        timestamp("maj_time").alias("updated"),
    )  # fmt: skip
    profiles = {code: classify(code).profile for code in ("9220", "9230")}
    entries = entries.with_columns(
        pl.col("legal_category").replace_strict(profiles, return_dtype=pl.String).alias("profile")
    )
    entries = entries.unique(subset="identifier", keep="last", maintain_order=True)
    summary.entries += entries.height
    summary.closed += entries.filter(pl.col("state") == "closed").height
    summary.deleted += entries.filter(pl.col("state") == "deleted").height
    summary.without_commune += entries.filter(pl.col("commune") == "").height
    if not from_name:
        summary.see_updated(entries.get_column("updated").max())  # type: ignore[arg-type]
    return Batch("rna", entries)
