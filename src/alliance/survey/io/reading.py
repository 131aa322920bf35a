"""One entry point for every readable format, chosen by the file's extension.

The XLSX and SPSS / Stata readers are imported when such a file is read: openpyxl and pyreadstat
take longer to import than a small CSV takes to read and estimate.
"""

from __future__ import annotations

from pathlib import Path

from alliance.errors import DataFileError, Location
from alliance.survey.io.delimited import read_delimited
from alliance.survey.io.parquet import read_parquet
from alliance.survey.io.responses import Responses

__all__ = ["READABLE", "read_responses"]

READABLE = (".csv", ".tsv", ".txt", ".parquet", ".sav", ".zsav", ".dta", ".xlsx")


def read_responses(path: Path, *, sheet: str | None = None) -> Responses:
    """Read a file of responses (one row per respondent) in any supported format."""
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        raise DataFileError(
            "survey.file_format",
            Location(file=str(path)),
            suffix=suffix or "∅",
            formats=", ".join(READABLE),
        )
    if not path.is_file():
        raise DataFileError("survey.file_missing", Location(file=str(path)))
    if suffix in (".csv", ".tsv", ".txt"):
        return read_delimited(path)
    if suffix == ".parquet":
        return read_parquet(path)
    if suffix == ".xlsx":
        from alliance.survey.io.spreadsheet import read_spreadsheet

        return read_spreadsheet(path, sheet)
    from alliance.survey.io.statistical import read_statistical

    return read_statistical(path)
