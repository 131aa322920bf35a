"""``alliance study init|check|run|publish``: a study from its definition file to the platform.

``init`` writes a working example to start from; ``check`` lists every problem of a definition
and its files, writing nothing; ``run`` writes the notebook, its tables and the open data files;
``publish`` loads a run's results into the platform's database as a new version of the study.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from alliance.cli.errors import reported
from alliance.cli.options import LangOption, lang_or_default
from alliance.cli.output import OutputFormat, emit_problems
from alliance.errors import StudyInvalidError
from alliance.i18n import Lang
from alliance.messages import render
from alliance.survey.problems import Problem

__all__ = ["app", "publish_folder"]

app = typer.Typer(
    help="Études : définir, vérifier, produire, publier / studies: define, check, run, publish.",
    no_args_is_help=True,
)

_stderr = Console(stderr=True, highlight=False, soft_wrap=True)

StudyArgument = Annotated[
    Path, typer.Argument(help="The study definition file, study.yaml.", show_default=False)
]
ReportFormat = Annotated[
    OutputFormat, typer.Option("--format", help="Problem report: table, csv or json.")
]


def _report(problems: list[Problem], title: str, lang: Lang, output_format: OutputFormat) -> None:
    """Print every problem with its place (to stdout, as a table, CSV or JSON).

    Scripts get a report even without problems (an empty JSON list, a CSV header); people get
    nothing but the closing line.
    """
    if not problems and output_format is OutputFormat.TABLE:
        return
    emit_problems(problems, title, lang, output_format, file_column=True)


@app.command("init")
def init_command(
    folder: Annotated[Path, typer.Argument(help="Folder to create.", show_default=False)],
    lang: LangOption = None,
) -> None:
    """Write a commented, working example study (small synthetic files) to start from."""
    from alliance.study.scaffold import write_example

    language = lang_or_default(lang)
    with reported(language):
        written = write_example(folder)
        console = Console(highlight=False)
        console.print(render("cli.study_initialised", language, folder=folder, files=len(written)))
        console.print(render("cli.study_next", language, study=folder / "study.yaml"))


@app.command("check")
def check_command(
    study: StudyArgument,
    output_format: ReportFormat = OutputFormat.TABLE,
    lang: LangOption = None,
) -> None:
    """Check the definition and every file it names; list every problem; write nothing."""
    from alliance.study.check import prepare_study

    language = lang_or_default(lang)
    with reported(language):
        prepared = prepare_study(study)
        title = render("cli.study_problems", language, file=study.name)
        _report(prepared.problems, title, language, output_format)
        if prepared.errors:
            raise StudyInvalidError(
                "study.problems_found",
                errors=len(prepared.errors),
                study=prepared.definition.study if prepared.definition else study.name,
            )
        assert prepared.definition is not None
        waves = sum(len(p.waves) for p in prepared.populations)
        rows = sum(w.responses.frame.height for p in prepared.populations for w in p.waves)
        _stderr.print(
            render(
                "cli.study_valid",
                language,
                study=prepared.definition.study,
                populations=len(prepared.populations),
                waves=waves,
                rows=rows,
            )
        )


@app.command("run")
def run_command(
    study: StudyArgument,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder to write to (default: ./out/<study>)."),
    ] = None,
    output_format: ReportFormat = OutputFormat.TABLE,
    lang: LangOption = None,
) -> None:
    """Check, weight and estimate the study; write the notebook, tables and open data files."""
    from alliance.study.definition import load_definition
    from alliance.study.outputs import OUTPUT_FILES
    from alliance.study.pipeline import run_study_file
    from alliance.study.stopwatch import STEPS, Stopwatch

    language = lang_or_default(lang)
    with reported(language):
        definition, _, _ = load_definition(study)
        folder = out or Path("out") / (definition.study if definition else study.parent.name)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=_stderr,
            transient=True,
        ) as progress:
            task = progress.add_task(render("cli.study_running", language), total=len(STEPS))

            def listen(step: str, subject: str) -> None:
                progress.update(
                    task,
                    completed=STEPS.index(step),
                    description=render(f"cli.study_step_{step}", language, subject=subject),
                )

            try:
                outputs = run_study_file(study, folder, language, stopwatch=Stopwatch(listen))
            except StudyInvalidError as error:
                progress.stop()
                title = render("cli.study_problems", language, file=study.name)
                _report(error.problems, title, language, output_format)
                raise
        console = Console(highlight=False)
        for name in OUTPUT_FILES:
            console.print(render("cli.demo_written", language, file=outputs.path(name)))


def publish_folder(folder: Path, *, source: str) -> tuple[int, bool, str]:
    """Load a run's ``results.json`` into the platform's database; return version, new?, study."""
    from alliance.study.results import read_results
    from alliance.web.server import migrate, setup

    results = read_results(folder)
    setup()
    migrate()
    from alliance.web.results.publishing import publish

    version, created = publish(results, source=source)
    return version.number, created, results.study


@app.command("publish")
def publish_command(
    target: Annotated[
        Path,
        typer.Argument(
            help="A run's output folder, or a study.yaml (run first, to ./out/<study>).",
            show_default=False,
        ),
    ],
    lang: LangOption = None,
) -> None:
    """Publish a study's results on the platform (DATABASE_URL, default the embedded one)."""
    language = lang_or_default(lang)
    with reported(language):
        folder = target
        if target.is_file():
            from alliance.study.definition import load_definition
            from alliance.study.pipeline import run_study_file

            definition, _, _ = load_definition(target)
            folder = Path("out") / (definition.study if definition else target.parent.name)
            try:
                run_study_file(target, folder, language)
            except StudyInvalidError as error:
                title = render("cli.study_problems", language, file=target.name)
                _report(error.problems, title, language, OutputFormat.TABLE)
                raise
        version, created, study = publish_folder(folder, source=str(folder.resolve()))
        key = "cli.study_published" if created else "cli.study_unchanged"
        Console(highlight=False).print(render(key, language, study=study, version=version))
