"""Small registry files in their real formats (full headers, separators, encodings) for tests."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from alliance.territory.rna import COLUMNS
from alliance.territory.sirene import STOCK_ETABLISSEMENT, STOCK_UNITE_LEGALE


def rna_line(**values: str) -> str:
    """One waldec line: the given columns filled, the others empty; quoted as data.gouv.fr does."""
    return ";".join(_quoted(values.get(name, ""), ";") for name in COLUMNS)


def write_rna(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    """Write an RNA file: its header, then ``lines`` (CRLF line ends, as published)."""
    path.write_bytes(("\r\n".join([";".join(COLUMNS), *lines]) + "\r\n").encode(encoding))
    return path


def sirene_line(header: tuple[str, ...], **values: str) -> str:
    """One SIRENE stock line (comma-separated)."""
    return ",".join(_quoted(values.get(name, ""), ",") for name in header)


def write_units(path: Path, lines: list[str]) -> Path:
    """Write a StockUniteLegale CSV (or Parquet when ``path`` ends with .parquet)."""
    return _write(path, STOCK_UNITE_LEGALE, lines)


def write_establishments(path: Path, lines: list[str]) -> Path:
    """Write a StockEtablissement CSV (or Parquet when ``path`` ends with .parquet)."""
    return _write(path, STOCK_ETABLISSEMENT, lines)


def unit(**values: str) -> str:
    """A StockUniteLegale line of an active legal unit, unless told otherwise."""
    return sirene_line(STOCK_UNITE_LEGALE, **{"etatAdministratifUniteLegale": "A", **values})


def establishment(**values: str) -> str:
    """A StockEtablissement line of an active head office, unless told otherwise."""
    defaults = {"etablissementSiege": "true", "etatAdministratifEtablissement": "A"}
    return sirene_line(STOCK_ETABLISSEMENT, **{**defaults, **values})


def _quoted(value: str, separator: str) -> str:
    if any(mark in value for mark in (separator, '"', "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def _write(path: Path, header: tuple[str, ...], lines: list[str]) -> Path:
    text = "\n".join([",".join(header), *lines]) + "\n"
    if path.suffix == ".parquet":
        csv = path.with_suffix(".csv")
        csv.write_text(text, encoding="utf-8")
        frame = pl.read_csv(csv, infer_schema=False, empty_string_is_null=False)
        csv.unlink()
        if "etablissementSiege" in frame.columns:  # INSEE's Parquet types it as a boolean
            frame = frame.with_columns(pl.col("etablissementSiege") == "true")
        frame.write_parquet(path)
        return path
    path.write_text(text, encoding="utf-8")
    return path
