"""CSV as people write it: any of the usual encodings, separators and decimal marks, detected.

French spreadsheets save CSV with ``;`` separators, decimal commas and Windows-1252; other tools
write UTF-8 (with or without BOM) and commas. The file is decoded once; the separator and the
decimal mark are guessed from its first lines, then Polars parses it. What was detected is kept in
the :class:`Responses` and shown to the user.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import polars as pl

from alliance.errors import DataFileError, Location
from alliance.survey.io.responses import Responses

__all__ = ["MISSING_TEXTS", "detect_encoding", "read_delimited"]

#: Cell contents read as missing values.
MISSING_TEXTS = ["", "NA"]
#: Rows read to guess the type of each column (all rows when that guess fails).
SCHEMA_ROWS = 1_000
SEPARATORS = (";", ",", "\t", "|")
#: Bytes that Windows-1252 does not define: a file containing them is Latin-1.
UNDEFINED_IN_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
#: A byte no CSV contains, to make Polars read each line as one text.
UNIT_SEPARATOR = b"\x1f"


def detect_encoding(raw: bytes) -> str:
    """Return the encoding of ``raw``: utf-8-sig, utf-16, utf-8, windows-1252 or latin-1.

    Only the first megabyte decides between UTF-8 and the 8-bit encodings (decoding a whole
    large file twice would double the cost of reading it); a later byte that is not UTF-8 makes
    Polars refuse the file, and :func:`read_delimited` then decodes it all as Windows-1252.

    Examples
    --------
    >>> detect_encoding("Élu".encode("utf-8")), detect_encoding("Élu".encode("cp1252"))
    ('utf-8', 'windows-1252')
    """
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's « Texte Unicode » export
    head = raw[:1_000_000]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        cut = len(raw) > len(head) and error.start >= len(head) - 3  # a character cut in two
        if not cut:
            return _eight_bit(raw)
    return "utf-8"


def _eight_bit(raw: bytes) -> str:
    """Windows-1252, unless the file has bytes it does not define: then Latin-1."""
    return "latin-1" if UNDEFINED_IN_CP1252 & set(raw) else "windows-1252"


def _separator(sample: str) -> str:
    """Guess the separator from the first lines: the candidate found the same number of times."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    best, best_score = ",", -1
    for candidate in SEPARATORS:
        counts = [len(next(csv.reader([line], delimiter=candidate))) - 1 for line in lines]
        if not counts or counts[0] == 0:
            continue
        score = sum(count == counts[0] for count in counts) * 100 + counts[0]
        if score > best_score:
            best, best_score = candidate, score
    return best


def _uses_decimal_comma(sample: str, separator: str) -> bool:
    """Tell whether numbers are written ``12,5`` (only possible when ``,`` does not separate)."""
    if separator == ",":
        return False
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=separator)
    try:
        next(reader, None)
        return any(DECIMAL_COMMA.match(cell.strip()) for row in reader for cell in row)
    except csv.Error:  # a broken sample: Polars will say what is wrong with the file
        return False


def read_delimited(path: Path) -> Responses:
    """Read a CSV (or tab-separated) file, detecting encoding, separator and decimal mark."""
    where = Location(file=path.name)
    raw = path.read_bytes()
    encoding = detect_encoding(raw)
    if encoding != "utf-16" and b"\x00" in raw[:65536]:
        raise DataFileError("survey.file_binary", where)
    text = raw if encoding == "utf-8" else raw.decode(encoding)  # UTF-8 is decoded by Polars
    if not text or text.isspace():
        raise DataFileError("survey.file_empty", where)
    sample = raw[:200_000].decode("utf-8", "ignore") if encoding == "utf-8" else text[:200_000]
    separator = _separator(str(sample))
    decimal_comma = _uses_decimal_comma(str(sample), separator)
    data = raw if isinstance(text, bytes) else text.encode("utf-8")
    try:
        try:
            frame = _parse(data, separator, decimal_comma, SCHEMA_ROWS)
        except pl.exceptions.ComputeError:  # a long line, a type guessed too early, not UTF-8
            if isinstance(text, bytes):
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:  # UTF-8 at the head only: an 8-bit file after all
                    encoding = _eight_bit(raw)
                    text = raw.decode(encoding)
                    data = text.encode("utf-8")
            _refuse_ragged(path, data, text, separator)
            frame = _parse(data, separator, decimal_comma, None)
    except pl.exceptions.NoDataError:
        raise DataFileError("survey.file_empty", where) from None
    except pl.exceptions.PolarsError as error:
        problem = str(error).strip().splitlines()[0]
        raise DataFileError("survey.file_unreadable", where, problem=problem) from None
    if frame.width and frame[frame.columns[-1]].null_count():  # perhaps a short line
        _refuse_ragged(path, data, text, separator)
    if frame.height == 0:
        raise DataFileError("survey.file_no_rows", Location(file=path.name, line=2))
    return Responses(
        frame=frame,
        path=path,
        format="csv",
        encoding=encoding,
        separator=separator,
        decimal_comma=decimal_comma,
        first_row=2,
        row_unit="line",
    )


def _refuse_ragged(path: Path, data: bytes, text: str | bytes, separator: str) -> None:
    """Raise the located error of the first line whose number of fields is not the header's."""
    try:
        ragged = _ragged_line(data, text if isinstance(text, str) else data.decode(), separator)
    except csv.Error as error:
        raise DataFileError(
            "survey.file_unreadable", Location(file=path.name), problem=str(error)
        ) from None
    if ragged is not None:
        line, expected, found = ragged
        raise DataFileError(
            "survey.csv_ragged",
            Location(file=path.name, line=line),
            expected=expected,
            found=found,
        )


def _parse(
    data: bytes, separator: str, decimal_comma: bool, schema_rows: int | None
) -> pl.DataFrame:
    return pl.read_csv(
        data,
        separator=separator,
        decimal_comma=decimal_comma,
        null_values=MISSING_TEXTS,
        infer_schema_length=schema_rows,
        raise_if_empty=True,
    )


def _ragged_line(data: bytes, text: str, separator: str) -> tuple[int, int, int] | None:
    """Return the first line whose number of fields differs from the header's, if any.

    Polars fills a short line with nulls, which would turn a broken line into missing answers,
    so fields are counted here. Without quotes, Polars reads each line whole and counts its
    separators; when the counts disagree, or with quotes (which may hold separators and line
    breaks), Python's csv module finds the line.
    """
    if b'"' not in data and UNIT_SEPARATOR not in data:
        lines = pl.read_csv(
            data,
            has_header=False,
            separator=UNIT_SEPARATOR.decode(),
            quote_char=None,
            new_columns=["line"],
            schema_overrides={"line": pl.String},
        )["line"]
        counts = lines.str.count_matches(separator, literal=True)
        if counts.n_unique() <= 1:
            return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header = next(reader, [])
    for row in reader:
        if row and len(row) != len(header):
            return reader.line_num, len(header), len(row)
    return None
