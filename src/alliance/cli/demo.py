"""``alliance demo``: the IMPACT study end to end on synthetic data, through the study commands.

The demo delivers its simulated waves into a study folder (``out/study``), then does what an
analyst does with a real delivery: ``alliance study run`` (the notebook, its tables and open data
files in ``out``) and, unless ``--no-serve``, ``alliance study publish`` into the demo's own
database, with the synthetic examples and organisations, before serving the site.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from alliance.cli.errors import reported
from alliance.cli.options import LangOption, lang_or_default
from alliance.cli.output import render_table
from alliance.i18n import Lang
from alliance.messages import render
from alliance.report.numbers import percent

if TYPE_CHECKING:
    from alliance.study.results import StudyResults

__all__ = ["demo"]


def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder to write to.")] = Path("out"),
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Do not start the web platform afterwards.")
    ] = False,
    host: Annotated[str, typer.Option("--host", help="Web platform host.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Web platform port.")] = 8000,
    lang: LangOption = None,
) -> None:
    """Run the demonstration study and write notebook.html, notebook.pdf, tables.xlsx."""
    from alliance.demo import PLANS, STUDY_FOLDER, run_demo
    from alliance.study.outputs import OUTPUT_FILES
    from alliance.study.stopwatch import STEPS, Stopwatch

    language = lang_or_default(lang)
    console = Console(highlight=False)
    with reported(language):
        console.print(render("cli.demo_synthetic", language), style="bold")
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            task = progress.add_task(
                render("cli.demo_running", language), total=len(PLANS) + len(STEPS)
            )

            def delivered(population: str) -> None:
                progress.update(
                    task, advance=1, description=render("cli.demo_step", language, step=population)
                )

            def listen(step: str, subject: str) -> None:
                progress.update(
                    task,
                    completed=len(PLANS) + STEPS.index(step),
                    description=render(f"cli.study_step_{step}", language, subject=subject),
                )

            outputs = run_demo(out, language, step=delivered, stopwatch=Stopwatch(listen))
        _headline(console, outputs.run.results, language)
        for name in OUTPUT_FILES:
            console.print(render("cli.demo_written", language, file=outputs.path(name)))
        if no_serve:
            return
        import os

        # The demo has its own database, so its accounts never reach a real one.
        os.environ.setdefault("ALLIANCE_DATA_DIR", str((out / "platform").resolve()))
        from alliance.cli.study import publish_folder

        version, _, study = publish_folder(out, source=str(out.resolve()))
        console.print(render("cli.study_published", language, study=study, version=version))
        from alliance.web.demo_content import (
            DEMO_ACCOUNTS,
            DEMO_ANALYST,
            DEMO_COORDINATOR,
            DEMO_PASSWORD,
            load_demo_content,
            load_demo_workspace,
        )
        from alliance.web.server import serve

        loaded = load_demo_content()
        console.print(render("cli.demo_loaded", language, **loaded))
        _import_registries(console, language)
        files = load_demo_workspace(study, out / STUDY_FOLDER)
        console.print(render("cli.demo_workspace", language, files=files, study=study))
        console.print(
            render(
                "cli.demo_accounts",
                language,
                accounts=", ".join((*DEMO_ACCOUNTS, DEMO_ANALYST, DEMO_COORDINATOR)),
                password=DEMO_PASSWORD,
            )
        )
        console.print(render("cli.demo_serving", language, host=host, port=port))
        serve(host, port)


def _import_registries(console: Console, lang: Lang) -> None:
    """Import the demo's synthetic RNA and SIRENE files as ``alliance territory`` does."""
    from alliance.cli.territory import import_registry
    from alliance.demo import REGISTRY_FILES

    for source, files in REGISTRY_FILES.items():
        result = import_registry(source, files, lang)
        vintage = result.vintage.isoformat() if result.vintage else ""
        console.print(render("registry.demo_loaded", lang, source=source.upper(), files=len(files)))
        console.print(
            render("registry.summary_loaded", lang, inserted=result.inserted,
                   updated=result.updated, kept=result.kept, vintage=vintage)
        )  # fmt: skip


def _headline(console: Console, results: StudyResults, lang: Lang) -> None:
    """Print the notebook's published figures against their reproduction, with the interval."""
    rows = []
    for figure in results.published:
        info = results.population(figure.population)
        low, high = figure.ci_low or 0.0, figure.ci_high or 0.0
        rows.append(
            [
                info.label[lang],
                info.item_label(figure.variable, lang),
                percent(figure.published, lang),
                percent(figure.estimate or 0.0, lang),
                f"{percent(low, lang)} – {percent(high, lang)}",
                render("report.yes" if figure.inside else "report.no", lang),
            ]
        )
    headers = [
        render(f"report.col_{key}", lang)
        for key in ("population", "item", "published", "reproduced")
    ] + [render("cli.demo_interval", lang), render("report.col_inside", lang)]
    render_table(
        console,
        render("report.published_title", lang),
        headers,
        rows,
        caption=render("report.label_synthetic_short", lang),
        wide=None,
    )
