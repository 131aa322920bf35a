"""INSEE's SIRENE stock files, streamed: legal units classified, located at their head office.

INSEE publishes ``StockUniteLegale`` (one row per legal unit: name, legal category, size, state)
and ``StockEtablissement`` (one row per establishment: SIRET, commune, head office or not), as
comma-separated UTF-8 CSV and as Parquet. Which file is which is read from its header, not its
name: a file with ``categorieJuridiqueUniteLegale`` describes legal units, a file with
``codeCommuneEtablissement`` and ``etablissementSiege`` locates them, and a joined extract with
both does both (from its head-office rows).

An actor is a legal unit (SIREN), located at its head office's commune. The two files combine in
either order, or one alone: each updates only its own columns of the entry (see
:data:`alliance.territory.registry_files.KINDS`), so a unit read before its head office gets its
commune later, and the reverse. Establishments that are not head offices are counted and
skipped. ``etatAdministratifUniteLegale`` C (cessée) is state ``closed``.

CSV files are cut into blocks of whole lines (a few megabytes) that Polars parses: memory stays
bounded by the block, whatever the file's size. Every column is parsed (a projection would hide
lines with too many fields). A block Polars refuses (a line with too many fields) is read again
line by line with Python's ``csv`` to report exactly which lines are wrong; a line with too few
fields shows as a missing (null) last column. Line numbers count a block's line
breaks, so a quoted field holding a line break (never seen in SIRENE) would shift them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from alliance.errors import Location, RegistryFileError
from alliance.survey.problems import Problem
from alliance.territory.legal_categories import category_table, profile_expression
from alliance.territory.registry_files import (
    Batch,
    FileSummary,
    file_sha256,
    locate,
    reject,
    timestamp,
    valid_date,
    vintage_from_name,
)

__all__ = [
    "LOCATION_COLUMNS", "STOCK_ETABLISSEMENT", "STOCK_UNITE_LEGALE", "UNIT_COLUMNS", "read_sirene",
]  # fmt: skip

#: Columns without which a file does not describe legal units, then those read when present.
UNIT_COLUMNS = ("siren", "categorieJuridiqueUniteLegale", "etatAdministratifUniteLegale")
UNIT_OPTIONAL = (
    "denominationUniteLegale", "nomUniteLegale", "nomUsageUniteLegale", "prenomUsuelUniteLegale",
    "activitePrincipaleUniteLegale", "trancheEffectifsUniteLegale", "categorieEntreprise",
    "economieSocialeSolidaireUniteLegale", "dateCreationUniteLegale",
    "dateDernierTraitementUniteLegale",
)  # fmt: skip
#: Columns without which a file does not locate legal units, then those read when present.
LOCATION_COLUMNS = ("siren", "siret", "codeCommuneEtablissement", "etablissementSiege")
LOCATION_OPTIONAL = ("etatAdministratifEtablissement", "dateDernierTraitementEtablissement")
#: The full headers of the stock files as INSEE publishes them (2025), for fixtures and demos.
STOCK_UNITE_LEGALE = (
    "siren", "statutDiffusionUniteLegale", "unitePurgeeUniteLegale", "dateCreationUniteLegale",
    "sigleUniteLegale", "sexeUniteLegale", "prenom1UniteLegale", "prenom2UniteLegale",
    "prenom3UniteLegale", "prenom4UniteLegale", "prenomUsuelUniteLegale", "pseudonymeUniteLegale",
    "identifiantAssociationUniteLegale", "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale", "dateDernierTraitementUniteLegale", "nombrePeriodesUniteLegale",
    "categorieEntreprise", "anneeCategorieEntreprise", "dateDebut", "etatAdministratifUniteLegale",
    "nomUniteLegale", "nomUsageUniteLegale", "denominationUniteLegale",
    "denominationUsuelle1UniteLegale", "denominationUsuelle2UniteLegale",
    "denominationUsuelle3UniteLegale", "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale", "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale", "economieSocialeSolidaireUniteLegale", "societeMissionUniteLegale",
    "caractereEmployeurUniteLegale", "activitePrincipaleNAF25UniteLegale",
)  # fmt: skip
STOCK_ETABLISSEMENT = (
    "siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement",
    "trancheEffectifsEtablissement", "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement", "dateDernierTraitementEtablissement",
    "etablissementSiege", "nombrePeriodesEtablissement", "complementAdresseEtablissement",
    "numeroVoieEtablissement", "indiceRepetitionEtablissement", "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement", "typeVoieEtablissement",
    "libelleVoieEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement", "distributionSpecialeEtablissement",
    "codeCommuneEtablissement", "codeCedexEtablissement", "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement", "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement", "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement", "complementAdresse2Etablissement",
    "numeroVoie2Etablissement", "indiceRepetition2Etablissement", "typeVoie2Etablissement",
    "libelleVoie2Etablissement", "codePostal2Etablissement", "libelleCommune2Etablissement",
    "libelleCommuneEtranger2Etablissement", "distributionSpeciale2Etablissement",
    "codeCommune2Etablissement", "codeCedex2Etablissement", "libelleCedex2Etablissement",
    "codePaysEtranger2Etablissement", "libellePaysEtranger2Etablissement", "dateDebut",
    "etatAdministratifEtablissement", "enseigne1Etablissement", "enseigne2Etablissement",
    "enseigne3Etablissement", "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement", "activitePrincipaleNAF25Etablissement",
)  # fmt: skip
BATCH_BYTES = 16 << 20
BATCH_ROWS = 100_000


def read_sirene(
    path: Path, summary: FileSummary, *, block_bytes: int = BATCH_BYTES
) -> Iterator[Batch]:
    """Stream a SIRENE stock file (CSV or Parquet) as batches of units and/or head offices.

    Raises :class:`~alliance.errors.RegistryFileError` when the file cannot be read or is no
    SIRENE stock file; a bad row is reported in ``summary`` and the reading goes on.
    """
    if not path.is_file():
        raise RegistryFileError("registry.file_missing", Location(file=summary.name))
    summary.sha256 = file_sha256(path)
    summary.vintage = vintage_from_name(path.name)
    from_name = summary.vintage is not None
    with path.open("rb") as file:
        parquet = file.read(4) == b"PAR1"
    frames = _parquet_frames(path, summary) if parquet else _csv_frames(path, summary, block_bytes)
    place = "row" if parquet else "line"
    for frame in frames:
        yield from _batches(frame, summary, place, from_name)


def _kinds(header: list[str], summary: FileSummary) -> tuple[bool, bool, list[str]]:
    """Tell from the header whether the file has units, head offices; the columns to read."""
    units = all(name in header for name in UNIT_COLUMNS)
    places = all(name in header for name in LOCATION_COLUMNS)
    if not units and not places:
        expected = LOCATION_COLUMNS if "siret" in header else UNIT_COLUMNS
        missing = ", ".join(name for name in expected if name not in header)
        raise RegistryFileError("registry.not_sirene", Location(file=summary.name), columns=missing)
    summary.kind = "+".join(kind for kind, has in (("unit", units), ("location", places)) if has)
    wanted = [*UNIT_COLUMNS, *UNIT_OPTIONAL] if units else []
    if places:
        wanted += [*LOCATION_COLUMNS, *LOCATION_OPTIONAL]
    return units, places, [name for name in dict.fromkeys(wanted) if name in header]


def _parquet_frames(path: Path, summary: FileSummary) -> Iterator[pl.DataFrame]:
    """Batches of a Parquet file's needed columns, as text, with their row numbers."""
    try:
        scan = pl.scan_parquet(path)
        schema = scan.collect_schema()
    except (pl.exceptions.PolarsError, OSError) as error:
        raise _unreadable(summary, error) from None
    _, _, wanted = _kinds(schema.names(), summary)
    # A number typed as an integer lost its leading zeros: they come back.
    widths = {"siren": 9, "siret": 14}
    text = [
        pl.col(name).cast(pl.String).str.zfill(widths[name])
        if name in widths and schema[name].is_integer()
        else pl.col(name).cast(pl.String)
        for name in wanted
    ]
    query = scan.select(text).with_row_index("line", offset=1)
    try:
        for frame in query.collect_batches(chunk_size=BATCH_ROWS):
            summary.rows += frame.height
            yield frame.with_columns(pl.col("line").cast(pl.Int64), pl.col(wanted).fill_null(""))
    except (pl.exceptions.PolarsError, OSError) as error:  # a damaged part, past the header
        raise _unreadable(summary, error) from None


def _unreadable(summary: FileSummary, error: Exception) -> RegistryFileError:
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return RegistryFileError("registry.unreadable", Location(file=summary.name), reason=reason)


def _blocks(path: Path, block_bytes: int) -> Iterator[tuple[int, bytes]]:
    """Yield (first line number, bytes) blocks of whole lines after the header line."""
    with path.open("rb") as file:
        file.readline()
        line, rest = 2, b""
        while data := file.read(block_bytes):
            data = rest + data
            cut = data.rfind(b"\n") + 1
            if cut == 0 or data.count(b'"', 0, cut) % 2:
                rest = data  # no whole line yet, or cut inside a quoted field: read on
                continue
            block, rest = data[:cut], data[cut:]
            yield line, block
            line += block.count(b"\n")
        if rest.strip():
            yield line, rest


def _csv_frames(path: Path, summary: FileSummary, block_bytes: int) -> Iterator[pl.DataFrame]:
    """Frames of a CSV file's needed columns, one per block, with each row's line."""
    try:
        with path.open("rb") as file:
            header = file.readline().decode("utf-8-sig").strip().split(",")
    except (OSError, UnicodeDecodeError) as error:
        raise _unreadable(summary, error) from None
    header = [name.strip().strip('"') for name in header]
    _, _, wanted = _kinds(header, summary)
    schema = dict.fromkeys(header, pl.String)
    for first, block in _blocks(path, block_bytes):
        try:
            frame = pl.read_csv(
                block, has_header=False, schema=schema, empty_string_is_null=False
            ).select(wanted)
        except pl.exceptions.ComputeError:
            yield _careful_frame(block, first, header, wanted, summary)
            continue
        frame = frame.with_columns(pl.int_range(first, first + frame.height).alias("line"))
        summary.rows += frame.height
        short = _short_lines(block, first, len(header))
        for line, found in short.items():
            summary.wrong_fields(line, found, len(header))
        if short:
            frame = frame.filter(~pl.col("line").is_in(list(short)))
        yield frame


def _short_lines(block: bytes, first: int, fields: int) -> dict[int, int]:
    """Lines of a parsed block with too few fields (Polars fills them in silently): line → count.

    When the block's separating commas (all commas but those inside quotes) are exactly what
    whole lines make, no line is short (a longer line would have made Polars refuse the block):
    that check runs in C over the block. Otherwise, the lines are counted one by one, those with
    quotes by Python's ``csv``.
    """
    quoted = sum(span.count(b",") for span in re.findall(rb'"[^"]*"', block))
    count = block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
    if block.count(b",") - quoted == (fields - 1) * count:
        return {}
    lines = block.split(b"\n")
    if lines and not lines[-1].strip():
        lines.pop()
    short = {}
    for number, line in enumerate(lines, start=first):
        if b'"' in line:
            found = len(next(csv.reader([line.decode("utf-8", errors="replace")]), []))
        else:
            found = line.count(b",") + 1
        if found < fields:
            short[number] = found
    return short


def _careful_frame(
    block: bytes, first: int, header: list[str], projection: list[str], summary: FileSummary
) -> pl.DataFrame:
    """Read a block Polars refused line by line: report the malformed lines, keep the others."""
    indices = [header.index(name) for name in projection]
    rows: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(block.decode("utf-8", errors="replace"), newline=""))
    start = first
    for record in reader:
        summary.rows += 1
        if len(record) == len(header):
            rows.append([record[index] for index in indices])
            lines.append(start)
        else:
            summary.wrong_fields(start, len(record), len(header))
        start = first + reader.line_num
    frame = pl.DataFrame(rows, schema=dict.fromkeys(projection, pl.String), orient="row")
    return frame.with_columns(pl.Series("line", lines, dtype=pl.Int64))


def _luhn(column: str) -> pl.Expr:
    """Whether a 9-digit text passes the Luhn check (as :func:`alliance.identifiers.is_siren`)."""
    digits = [pl.col(column).str.slice(i, 1).cast(pl.Int32, strict=False) for i in range(9)]
    doubled = [(d * 2 - 9 * (d * 2 > 9).cast(pl.Int32)) for d in digits[1::2]]
    total = pl.sum_horizontal(*digits[0::2], *doubled)
    return pl.col(column).str.contains(r"^\d{9}$") & (total % 10 == 0)


def _batches(frame: pl.DataFrame, summary: FileSummary, place: str, from_name: bool) -> list[Batch]:
    """Return the unit and/or head-office batches of one frame of raw text columns."""
    columns = set(frame.columns)
    units = all(name in columns for name in UNIT_COLUMNS)
    places = all(name in columns for name in LOCATION_COLUMNS)
    missing = [name for name in (*UNIT_OPTIONAL, *LOCATION_OPTIONAL) if name not in columns]
    frame = frame.with_columns(
        pl.col("siren").str.strip_chars(), *(pl.lit("").alias(name) for name in missing)
    )
    frame = reject(
        frame, ~_luhn("siren"), summary, "registry.invalid_siren", "siren", "siren", place=place
    )
    batches = []
    if places:
        head = pl.col("etablissementSiege").str.strip_chars().str.to_lowercase()
        heads = frame.filter(head.is_in(["true", "1", "o"]))
        summary.skipped += frame.height - heads.height
        frame = heads
        located = _located(frame, summary, place)
        if units:  # a joined extract: its units are those whose head office is well located
            frame = frame.filter(pl.col("line").is_in(located.get_column("line").implode()))
        batches.append(Batch("location", located.drop("line")))
        summary.without_commune += located.filter(pl.col("commune") == "").height
        if not units:
            summary.entries += located.height
            summary.closed += located.filter(pl.col("state") == "closed").height
            if not from_name:
                summary.see_updated(located.get_column("location_updated").max())  # type: ignore[arg-type]
    if units:
        unit = _units(frame, summary, place)
        batches.append(Batch("unit", unit))
        summary.entries += unit.height
        summary.closed += unit.filter(pl.col("state") == "closed").height
        if not from_name:
            summary.see_updated(unit.get_column("updated").max())  # type: ignore[arg-type]
    return batches


def _located(frame: pl.DataFrame, summary: FileSummary, place: str) -> pl.DataFrame:
    """Head offices: SIRET checked, commune resolved, state of the establishment on insert."""
    siret = pl.col("siret").str.strip_chars()
    frame = reject(
        frame.with_columns(siret),
        ~(siret.str.contains(r"^\d{14}$") & siret.str.starts_with(pl.col("siren"))),
        summary, "registry.invalid_siret", "siret", "siret", place=place,
    )  # fmt: skip
    frame = locate(frame, "codeCommuneEtablissement")
    frame = reject(
        frame, ~pl.col("commune_known"), summary, "registry.unknown_commune",
        "codeCommuneEtablissement", "commune_code", place=place,
    )  # fmt: skip
    closed = pl.col("etatAdministratifEtablissement").str.strip_chars() == "F"
    return frame.select(
        pl.col("siren").alias("identifier"), "siret", "commune", "epci", "department", "region",
        timestamp("dateDernierTraitementEtablissement").alias("location_updated"),
        pl.when(closed).then(pl.lit("closed")).otherwise(pl.lit("active")).alias("state"), "line",
    ).unique(subset="identifier", keep="last", maintain_order=True)  # fmt: skip


def _units(frame: pl.DataFrame, summary: FileSummary, place: str) -> pl.DataFrame:
    """Legal units: named, classified by legal category and size (unknown ones reported)."""
    category = pl.col("categorieJuridiqueUniteLegale").str.strip_chars()
    frame = frame.with_columns(category.alias("category")).join(
        category_table(), on="category", how="left", maintain_order="left"
    )
    unknown = frame.filter(pl.col("by_size").is_null())
    for line, value in unknown.select("line", "category").iter_rows():
        summary.add(
            Problem(
                "registry.unknown_legal_category",
                Location(file=summary.name, field="categorieJuridiqueUniteLegale", value=value,
                         **{place: line}),
                severity="warning",
            )
        )  # fmt: skip
    summary.unclassified += unknown.height
    person = pl.concat_str(
        pl.col("prenomUsuelUniteLegale"),
        pl.when(pl.col("nomUsageUniteLegale") != "")
        .then(pl.col("nomUsageUniteLegale"))
        .otherwise(pl.col("nomUniteLegale")),
        separator=" ",
    ).str.strip_chars()
    name = pl.col("denominationUniteLegale").str.strip_chars()
    ess = pl.col("economieSocialeSolidaireUniteLegale").str.strip_chars()
    return frame.select(
        pl.col("siren").alias("identifier"),
        pl.when(name != "").then(name).otherwise(person).str.slice(0, 250).alias("name"),
        profile_expression("categorieEntreprise", "trancheEffectifsUniteLegale")
        .fill_null("")
        .alias("profile"),
        pl.col("category").str.slice(0, 4).alias("legal_category"),
        pl.col("activitePrincipaleUniteLegale").str.strip_chars().str.slice(0, 8).alias("activity"),
        pl.col("trancheEffectifsUniteLegale").str.strip_chars().str.slice(0, 2).alias("workforce"),
        pl.when(ess == "O").then(True).when(ess == "N").then(False).otherwise(None)
        .alias("social_economy"),
        pl.when(pl.col("etatAdministratifUniteLegale").str.strip_chars() == "C")
        .then(pl.lit("closed")).otherwise(pl.lit("active")).alias("state"),
        valid_date("dateCreationUniteLegale").alias("created"),
        timestamp("dateDernierTraitementUniteLegale").alias("updated"),
    ).unique(subset="identifier", keep="last", maintain_order=True)  # fmt: skip
