"""``alliance demo``: the IMPACT study end to end on synthetic data, and its notebook.

Progress bars follow the populations and the outputs; the headline table (the notebook's
published figures against their reproduction) is printed at the end. Then, unless ``--no-serve``,
the demo content (synthetic examples and the study's results) is loaded into the platform's
database and the site is served.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from alliance.cli.errors import reported
from alliance.cli.options import LangOption, lang_or_default
from alliance.cli.output import render_table
from alliance.demo import run_demo
from alliance.demo.outputs import STEPS
from alliance.messages import render
from alliance.report.numbers import percent

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
    language = lang_or_default(lang)
    console = Console(highlight=False)
    with reported(language):
        console.print(render("cli.demo_synthetic", language), style="bold")
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            task = progress.add_task(render("cli.demo_running", language), total=len(STEPS))

            def step(name: str) -> None:
                progress.update(
                    task, advance=1, description=render("cli.demo_step", language, step=name)
                )

            outputs = run_demo(out, language, step=step)
            progress.update(task, completed=len(STEPS))
        rows = [
            [
                str(row["population"]),
                str(row["item"]),
                percent(float(row["published"]), language),
                percent(float(row["estimate"]), language),
                f"{percent(float(row['low']), language)} – {percent(float(row['high']), language)}",
                str(row["inside"]),
            ]
            for row in outputs.headline(language)
        ]
        headers = [
            render(f"report.col_{key}", language)
            for key in ("population", "item", "published", "reproduced")
        ] + [render("cli.demo_interval", language), render("report.col_inside", language)]
        render_table(
            console,
            render("report.published_title", language),
            headers,
            rows,
            caption=render("report.label_synthetic_short", language),
            wide=None,
        )
        for path in (outputs.html, outputs.pdf, outputs.xlsx, outputs.provenance):
            console.print(render("cli.demo_written", language, file=path))
        if not no_serve:
            import os

            # The demo has its own database, so its accounts never reach a real one.
            os.environ.setdefault("ALLIANCE_DATA_DIR", str((out / "platform").resolve()))
            from alliance.web.server import migrate, serve, setup

            setup()  # Django first: the demo content's models need it
            migrate()
            from alliance.web.demo_content import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_content

            loaded = load_demo_content(outputs.results)
            console.print(render("cli.demo_loaded", language, **loaded))
            console.print(
                render(
                    "cli.demo_accounts",
                    language,
                    accounts=", ".join(DEMO_ACCOUNTS),
                    password=DEMO_PASSWORD,
                )
            )
            console.print(render("cli.demo_serving", language, host=host, port=port))
            serve(host, port)
