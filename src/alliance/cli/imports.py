"""``alliance survey import|validate``: bring a pollster's or a collection tool's file in, checked.

Both commands read the file (any supported format), map its columns to the questionnaire's items
and check every row. ``validate`` only reports. ``import`` writes the valid responses (Parquet
keeps the questionnaire with them); when strict (the default) any error refuses the whole file and
nothing is written; when lenient the valid rows are written and the rejected ones go, with their
reasons, to a separate file.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from alliance.cli.errors import reported
from alliance.cli.options import LangOption, lang_or_default
from alliance.cli.output import OutputFormat, emit_problems
from alliance.errors import ResponsesInvalidError
from alliance.files import atomic_paths
from alliance.i18n import Lang
from alliance.messages import render
from alliance.survey.io import read_responses
from alliance.survey.io.mapping import read_mapping
from alliance.survey.io.writing import write_responses_file
from alliance.survey.questionnaire import Questionnaire, find_questionnaire
from alliance.survey.validation import Checked, check_responses

__all__ = ["import_command", "validate_command"]

FileArgument = Annotated[
    Path,
    typer.Argument(
        help="Responses: CSV, XLSX, SPSS (.sav, .zsav), Stata (.dta) or Parquet.",
        show_default=False,
    ),
]
QuestionnaireOption = Annotated[
    str,
    typer.Option(
        "--questionnaire",
        "-q",
        help="A shipped questionnaire (e.g. public) or a YAML / XLSForm file.",
    ),
]
MappingOption = Annotated[
    Path | None, typer.Option("--mapping", help="YAML or JSON {column: item} (null ignores).")
]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="Sheet of an XLSX file.")]
ReportFormat = Annotated[
    OutputFormat, typer.Option("--format", help="Problem report: table, csv or json.")
]

_stderr = Console(stderr=True, highlight=False)


@contextmanager
def _step(progress: Progress, label: str) -> Iterator[None]:
    task = progress.add_task(label, total=None)
    yield
    progress.update(task, total=1, completed=1)


def _check(
    file: Path,
    questionnaire_name: str,
    mapping_file: Path | None,
    sheet: str | None,
    *,
    lenient: bool,
    lang: Lang,
    progress: Progress,
) -> tuple[Checked, Questionnaire, int]:
    with _step(progress, render("cli.step_read", lang)):
        questionnaire = find_questionnaire(questionnaire_name)
        responses = read_responses(file, sheet=sheet)
        mapping = read_mapping(mapping_file) if mapping_file else None
    progress.console.print(
        render(
            "cli.read_as",
            lang,
            file=file.name,
            rows=responses.frame.height,
            how=responses.describe(),
        )
    )
    with _step(progress, render("cli.step_check", lang)):
        checked = check_responses(
            responses, questionnaire, mapping=mapping, lenient=lenient, lang=lang
        )
    return checked, questionnaire, responses.frame.height


def _report(checked: Checked, file: Path, lang: Lang, output_format: OutputFormat) -> None:
    if not checked.problems:
        return
    title = render("cli.problems_title", lang, file=file.name)
    emit_problems(checked.problems, title, lang, output_format, file_column=False)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=_stderr,
        transient=True,
    )


def _write(checked: Checked, output: Path, rejected: Path, document: dict[str, Any]) -> None:
    """Write the valid responses and the rejected rows as one unit: both or neither.

    Without rejected rows, an older rejected file at that place goes in the same unit, so it never
    sits beside an output it does not describe. SIGTERM unwinds like Ctrl-C (the temporary files
    are removed); after a ``kill -9``, the next write to the folder removes them
    (:mod:`alliance.files`).
    """
    companions = [rejected] if checked.rejected.height else []
    stale = () if companions else (rejected,)
    with _terminable(), atomic_paths(output, *companions, remove=stale) as temporaries:
        write_responses_file(checked.responses, temporaries[0], output, questionnaire=document)
        if companions:
            checked.rejected.write_csv(temporaries[1])


@contextmanager
def _terminable() -> Iterator[None]:
    """Let SIGTERM interrupt the block as Ctrl-C does, so that its clean-ups run."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def import_command(
    file: FileArgument,
    questionnaire: QuestionnaireOption,
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="Valid responses: .parquet, .sav, .xlsx or .csv."),
    ],
    mapping: MappingOption = None,
    lenient: Annotated[
        bool,
        typer.Option(
            "--lenient/--strict",
            help="Strict (default): any error refuses the file. Lenient: keep the valid rows.",
        ),
    ] = False,
    rejected: Annotated[
        Path | None,
        typer.Option(
            "--rejected", help="Rejected rows and reasons (default: OUTPUT.rejected.csv)."
        ),
    ] = None,
    sheet: SheetOption = None,
    output_format: ReportFormat = OutputFormat.TABLE,
    lang: LangOption = None,
) -> None:
    """Import responses checked against their questionnaire; never lose a row silently."""
    language = lang_or_default(lang)
    with reported(language), _progress() as progress:
        checked, chosen, _ = _check(
            file, questionnaire, mapping, sheet, lenient=lenient, lang=language, progress=progress
        )
        _report(checked, file, language, output_format)
        refused = checked.errors if not lenient else checked.file_errors
        if refused:
            raise ResponsesInvalidError(
                "validation_rows.refused", errors=len(checked.errors), problems=checked.problems
            )
        rejected_path = rejected or output.with_name(f"{output.stem}.rejected.csv")
        with _step(progress, render("cli.step_write", language)):
            _write(checked, output, rejected_path, chosen.model_dump(mode="json"))
        kept = checked.responses.frame.height
        progress.console.print(render("cli.import_written", language, rows=kept, file=output))
        if checked.rejected.height:
            progress.console.print(
                render(
                    "cli.rejected_written",
                    language,
                    rows=checked.rejected.height,
                    file=rejected_path,
                )
            )


def validate_command(
    file: FileArgument,
    questionnaire: QuestionnaireOption,
    mapping: MappingOption = None,
    sheet: SheetOption = None,
    output_format: ReportFormat = OutputFormat.TABLE,
    lang: LangOption = None,
) -> None:
    """Check responses against a questionnaire and report every problem; write nothing."""
    language = lang_or_default(lang)
    with reported(language), _progress() as progress:
        checked, chosen, rows = _check(
            file, questionnaire, mapping, sheet, lenient=False, lang=language, progress=progress
        )
        _report(checked, file, language, output_format)
        if checked.errors:
            raise ResponsesInvalidError(
                "validation_rows.refused", errors=len(checked.errors), problems=checked.problems
            )
        progress.console.print(
            render(
                "cli.valid",
                language,
                questionnaire=chosen.questionnaire,
                version=chosen.version,
                rows=rows,
            )
        )
