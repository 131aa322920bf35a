"""Responses as read from a file: the data, what the file said about it, and where rows came from.

Every reader returns a :class:`Responses`: a Polars frame plus the metadata the format carries
(variable and value labels, user-missing codes), how the file was read (encoding, separator,
decimal comma, sheet) and how to point at a row in it (a line of a text file, a row of a sheet, a
case of an SPSS file), so that every problem can name its place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import polars as pl

from alliance.errors import Location

__all__ = ["Responses", "RowUnit"]

#: What a row number means in the source: a text line, a spreadsheet row, a statistical case.
RowUnit = Literal["line", "row"]


@dataclass(frozen=True)
class Responses:
    """Data read from a file, with its labels and missing codes."""

    frame: pl.DataFrame
    path: Path
    format: str
    encoding: str | None = None
    separator: str | None = None
    decimal_comma: bool = False
    sheet: str | None = None
    #: Number, in the source, of the first data row (line of a CSV, row of a sheet, case 1).
    first_row: int = 1
    row_unit: RowUnit = "row"
    variable_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    missing_codes: dict[str, list[Any]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def location(self, index: int, column: str | None = None, value: Any = None) -> Location:
        """Return where row ``index`` (0-based in the frame) is in the source file."""
        number = self.first_row + index
        if self.row_unit == "line":
            return Location(file=self.path.name, line=number, field=column, value=value)
        return Location(file=self.path.name, row=number, field=column, value=value)

    def with_frame(self, frame: pl.DataFrame, **changes: Any) -> Responses:
        """Return the same responses with another frame (after renaming or recoding)."""
        return replace(self, frame=frame, **changes)

    def for_estimates(self) -> pl.DataFrame:
        """Return the frame with user-missing codes (« ne sait pas », SPSS's) made null."""
        frame = self.frame
        expressions = [
            pl.when(pl.col(name).is_in(codes)).then(None).otherwise(pl.col(name)).alias(name)
            for name, codes in self.missing_codes.items()
            if codes and name in frame.columns
        ]
        return frame.with_columns(expressions) if expressions else frame

    def describe(self) -> str:
        """Say how the file was read, for the user (format, encoding, separator, decimal)."""
        parts = [self.format]
        if self.encoding:
            parts.append(f"encoding={self.encoding}")
        if self.separator:
            shown = {"\t": "tab", ";": ";", ",": ",", "|": "|"}.get(self.separator, self.separator)
            parts.append(f"separator={shown}")
        if self.decimal_comma:
            parts.append("decimal=,")
        if self.sheet:
            parts.append(f"sheet={self.sheet}")
        return ", ".join(parts + list(self.notes))
