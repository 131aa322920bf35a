"""The ``alliance`` command: one entry point to every part of the observatory.

Each group of commands lives in its own module and calls the core library; this module only
assembles them.
"""

from __future__ import annotations

from typing import Annotated

import typer

from alliance import __version__
from alliance.cli import demo as demo_command
from alliance.cli import imports, questionnaire, referential, survey

__all__ = ["app", "main"]

app = typer.Typer(
    name="alliance",
    help=(
        "Observatoire des alliances : référentiel, études d'impact, carnets de recherche.\n\n"
        "Alliance Observatory: referential, impact studies, research notebooks."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(referential.app, name="referential")
app.add_typer(survey.app, name="survey")
survey.app.command("import")(imports.import_command)
survey.app.command("validate")(imports.validate_command)
app.add_typer(questionnaire.app, name="questionnaire")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"alliance {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Observatoire des alliances / Alliance Observatory."""


app.command("demo")(demo_command.demo)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web platform: apply migrations, then serve with gunicorn."""
    from alliance.web.server import serve as run_server

    run_server(host, port)


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def manage(context: typer.Context) -> None:
    """Run a Django management command (migrate, createsuperuser, shell…)."""
    from alliance.web.server import manage as run_manage

    run_manage(list(context.args))


def main() -> None:
    """Entry point of the ``alliance`` console script."""
    app()
