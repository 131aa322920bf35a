"""Writing results for people (Rich tables) and for scripts (JSON, CSV), the same way everywhere."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from alliance.files import write_text_atomically
from alliance.i18n import Lang
from alliance.messages import render
from alliance.spreadsheet_cells import safe_cell

if TYPE_CHECKING:
    from rich.console import Console

    from alliance.survey.problems import Problem

__all__ = [
    "OutputFormat",
    "cell",
    "emit",
    "emit_problems",
    "render_csv",
    "render_json",
    "render_table",
    "shown",
]


class OutputFormat(StrEnum):
    """The formats every listing command offers."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def cell(value: Any) -> str:
    """Return ``value`` as one flat cell: lists joined by `` ; ``, records by their main field.

    Examples
    --------
    >>> cell(["https://a.example", "https://b.example"])
    'https://a.example ; https://b.example'
    >>> cell({"rel": "profile", "target": "actor-profiles/pme", "status": "inferred"})
    'profile=actor-profiles/pme'
    >>> cell(None)
    ''
    """
    if value is None:
        return ""
    if isinstance(value, list):
        return " ; ".join(cell(element) for element in value)
    if isinstance(value, dict):
        if "rel" in value:
            return f"{value['rel']}={value['target']}"
        return cell(value.get("url") or value.get("status"))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def render_json(records: Sequence[dict[str, Any]]) -> str:
    """Return the records as an indented JSON list (UTF-8 text, accents kept)."""
    return json.dumps(list(records), ensure_ascii=False, indent=2) + "\n"


def render_csv(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """Return the records as CSV with a header row, one flat cell per column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([safe_cell(cell(record.get(column))) for column in columns])
    return buffer.getvalue()


def render_table(
    console: Console,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    caption: str | None = None,
    wide: int | None = -1,
) -> None:
    """Print a Rich table; the first column (codes) never wraps, column ``wide`` gets the room.

    Cells are plain text, never Rich markup: a label such as « … [inconnu] » prints as written.
    """
    from rich.table import Table  # Rich is imported for tables only: CSV and JSON skip it
    from rich.text import Text

    table = Table(title=Text(title), caption=Text(caption) if caption else None)
    wide = None if wide is None else wide % len(headers)
    for index, header in enumerate(headers):
        table.add_column(header, no_wrap=index == 0, min_width=16 if index == wide else None)
    for row in rows:
        table.add_row(*(Text(value) for value in row))
    console.print(table)


def _finite(record: dict[str, Any]) -> dict[str, Any]:
    """Replace NaN by None, so JSON stays JSON."""
    return {
        key: None if isinstance(value, float) and math.isnan(value) else value
        for key, value in record.items()
    }


def emit(
    records: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    title: str,
    caption: str | None,
    output_format: OutputFormat | None,
    output: Path | None,
    table: tuple[list[str], list[list[str]]] | None = None,
) -> None:
    """Print or write records as a table (for people), CSV or JSON (for scripts).

    ``table`` gives the headers and cells people see, when they differ from the columns.
    """
    if output_format is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        output_format = OutputFormat(suffix) if suffix in ("csv", "json") else OutputFormat.TABLE
    if output_format is OutputFormat.TABLE:
        headers, cells = table or (
            list(columns),
            [[shown(record.get(column)) for column in columns] for record in records],
        )
        from rich.console import Console

        console = Console(record=output is not None, width=160 if output else None)
        render_table(console, title, headers, cells, caption=caption, wide=None)
        if output is not None:
            write_text_atomically(output, console.export_text())
        return
    rows = [{column: record.get(column) for column in columns} for record in records]
    if output_format is OutputFormat.JSON:
        text = render_json([_finite(row) for row in rows])
    else:
        text = render_csv([{k: _csv(v) for k, v in row.items()} for row in rows], columns)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomically(output, text)


def emit_problems(
    problems: Sequence[Problem],
    title: str,
    lang: Lang,
    output_format: OutputFormat,
    *,
    file_column: bool,
) -> None:
    """Print problems with their place: a table for people, CSV or JSON for scripts.

    The table names the file when several files are checked at once (a study).
    """
    from alliance.survey.problems import PROBLEM_COLUMNS  # not at start-up: alliance.survey

    records = [problem.record(lang) for problem in problems]
    names = ("severity", "file", "place", "column", "value", "message")
    shown_names = [name for name in names if file_column or name != "file"]
    headers = [render(f"cli.column_{name}", lang) for name in shown_names]
    cells = [
        [
            render(f"cli.severity_{r['severity']}", lang),
            *([r["file"] or ""] if file_column else []),
            str(r["line"] or r["row"] or ""),
            r["column"] or "",
            "" if r["value"] is None else str(r["value"]),
            r["message"],
        ]
        for r in records
    ]
    emit(
        records,
        PROBLEM_COLUMNS,
        title=title,
        caption=None,
        output_format=output_format,
        output=None,
        table=(headers, cells),
    )


def _csv(value: Any) -> Any:
    """Full precision for numbers (repr round-trips), empty cells for missing ones."""
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return value


def shown(value: Any) -> str:
    """Return a value for a table cell: numbers to 4 decimals, missing values empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.4f}"
    return str(value)
