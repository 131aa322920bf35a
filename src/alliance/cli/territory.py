"""``alliance territory import-rna|import-sirene``: the public registries' actors, by command.

Both commands stream their files into the platform's database (``DATABASE_URL``, PostgreSQL with
bulk loading, or the embedded SQLite), show their progress on a terminal, and end with a summary:
rows read, entities created and updated, dissolved or deleted ones kept apart, rows refused with
the first problems located. A file that cannot be read at all does not stop the others, but the
command then exits with 1.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, TextColumn, TimeElapsedColumn

from alliance.cli.errors import reported
from alliance.cli.options import LangOption, lang_or_default
from alliance.i18n import Lang
from alliance.messages import render

if TYPE_CHECKING:  # Django and the readers are imported when a command runs, not for --help
    from alliance.web.registry.loading import ImportResult, Source

__all__ = ["app", "import_registry", "progress_line"]

app = typer.Typer(
    help="Territoires : les acteurs des registres publics / territories: actors from the public "
    "registries.",
    no_args_is_help=True,
)

_stderr = Console(stderr=True, highlight=False, soft_wrap=True)
#: What each kind of file is, by the registry's own names (the same in both languages).
KIND_NAMES = {"rna": "RNA waldec", "unit": "StockUniteLegale", "location": "StockEtablissement",
              "unit+location": "StockUniteLegale + StockEtablissement"}  # fmt: skip
#: Problems printed after a summary (all are counted; the import row keeps more).
SHOWN_PROBLEMS = 10


class SummaryFormat(StrEnum):
    """How the summary is written: for people, or as JSON for scripts."""

    TABLE = "table"
    JSON = "json"


FormatOption = Annotated[
    SummaryFormat, typer.Option("--format", help="table for people, json for scripts.")
]
FilesArgument = Annotated[
    list[Path],
    typer.Argument(
        help="Registry files: CSV or Parquet, or ZIP archives of them as published.",
        show_default=False,
    ),
]


def import_registry(source: Source, files: list[Path], lang: Lang) -> ImportResult:
    """Set up the database and import ``files``, with a progress line on a terminal."""
    from alliance.web.server import migrate, setup

    setup()
    migrate()
    from alliance.web.registry.loading import import_files

    with Progress(
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,}"),
        TimeElapsedColumn(),
        console=_stderr,
        transient=True,
        disable=not _stderr.is_terminal,
    ) as progress:
        task = progress.add_task("", total=None)

        def listen(summary: Any) -> None:
            progress.update(task, description=progress_line(summary.name, lang),
                            completed=summary.rows)  # fmt: skip

        return import_files(source, files, progress=listen)


def progress_line(name: str, lang: Lang) -> str:
    """Return the progress line's text for a file, as rich markup.

    The file's name (which may come from an archive's contents, ``x[/].csv``) is escaped,
    never read as markup.
    """
    return escape(render("registry.progress", lang, file=name))


def _document(result: ImportResult, lang: Lang) -> dict[str, Any]:
    """Return the summary as data (the JSON output)."""
    return {
        "source": result.source,
        "vintage": result.vintage.isoformat() if result.vintage else None,
        "inserted": result.inserted,
        "updated": result.updated,
        "kept": result.kept,
        "files": [
            {
                "file": summary.name,
                "kind": summary.kind,
                "rows": summary.rows,
                "entries": summary.entries,
                "closed": summary.closed,
                "deleted": summary.deleted,
                "skipped": summary.skipped,
                "rejected": summary.rejected,
                "unclassified": summary.unclassified,
                "without_commune": summary.without_commune,
                "problems": [problem.record(lang) for problem in summary.problems],
            }
            for summary in result.summaries
            if summary.sha256
        ],
        "failures": [
            {"file": name, "message": error.message(lang)} for name, error in result.failures
        ],
    }


def _print(result: ImportResult, lang: Lang) -> None:
    """Print the summary for people: a line per file, the database counts, the first problems."""
    console = Console(highlight=False, soft_wrap=True)
    read = [summary for summary in result.summaries if summary.sha256]
    console.print(render("registry.summary_title", lang, source=result.source.upper(),
                         files=len(read)))  # fmt: skip
    for summary in read:
        console.print(
            escape(render("registry.summary_file", lang, file=summary.name,
                          kind=KIND_NAMES.get(summary.kind, summary.kind),
                          rows=summary.rows, entries=summary.entries, closed=summary.closed,
                          deleted=summary.deleted, skipped=summary.skipped,
                          rejected=summary.rejected, unclassified=summary.unclassified))
        )  # fmt: skip
    vintage = result.vintage.isoformat() if result.vintage else render("registry.no_vintage", lang)
    console.print(render("registry.summary_loaded", lang, inserted=result.inserted,
                         updated=result.updated, kept=result.kept, vintage=vintage))  # fmt: skip
    problems = [
        problem
        for summary in read
        for problem in sorted(
            summary.problems, key=lambda found: found.location.line or found.location.row or 0
        )
    ]
    total = sum(summary.rejected + summary.unclassified for summary in read)
    if problems:
        shown = problems[:SHOWN_PROBLEMS]
        console.print(render("registry.summary_problems", lang, shown=len(shown), total=total))
        for problem in shown:
            console.print(f"  - {escape(problem.message(lang))}")


def _run(source: Source, files: list[Path], lang: Lang | None, output: SummaryFormat) -> None:
    language = lang_or_default(lang)
    with reported(language):
        result = import_registry(source, files, language)
    if output is SummaryFormat.TABLE:
        _print(result, language)
    else:
        typer.echo(json.dumps(_document(result, language), ensure_ascii=False, indent=2))
    for name, error in result.failures:
        reason = render(error.key, language, **error.params)
        label = escape(render("cli.error", language))
        message = escape(render("registry.file_failed", language, file=name, reason=reason))
        _stderr.print(f"[bold red]{label}[/] {message}")
    if result.failures:
        raise typer.Exit(code=1)


@app.command("import-rna")
def import_rna_command(
    files: FilesArgument, lang: LangOption = None, output: FormatOption = SummaryFormat.TABLE
) -> None:
    """Import RNA « waldec » files (rna_waldec_*_dpt_*.csv, or rna_waldec_*.zip): associations."""
    _run("rna", files, lang, output)


@app.command("import-sirene")
def import_sirene_command(
    files: FilesArgument, lang: LangOption = None, output: FormatOption = SummaryFormat.TABLE
) -> None:
    """Import SIRENE stock files (StockUniteLegale, StockEtablissement; CSV, ZIP or Parquet)."""
    _run("sirene", files, lang, output)
