"""The ``alliance`` command: one entry point to every part of the observatory.

Each group of commands lives in its own module and calls the core library; this module only
assembles them, and lazily: a command's module is imported when that command runs, never to print
the help or the version. Importing them all (the PDF engine, charts, Django, the demo) took more
than two seconds before anything was printed. The one-line help of each command is written here,
so ``alliance --help`` lists every command without importing any; a test checks that it matches
the command's own help.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from difflib import get_close_matches
from typing import TYPE_CHECKING, Annotated, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:  # Typer vendors Click: its Command and Context are the types Typer passes
    from typer._click import Command, Context, HelpFormatter

__all__ = ["COMMANDS", "LazyCommand", "LazyGroup", "app", "lazy_group", "main"]


@dataclass(frozen=True)
class LazyCommand:
    """Where a command is defined (``module`` and its ``attribute``) and its one-line help.

    The attribute is a :class:`typer.Typer` (a group of commands) or a function (one command).
    """

    module: str
    attribute: str
    help: str

    def load(self, name: str) -> Command:
        """Import the module and return the command as Click runs it."""
        found = getattr(importlib.import_module(self.module), self.attribute)
        if isinstance(found, typer.Typer):
            command: Command = typer.main.get_group(found)
        else:
            single = typer.Typer(add_completion=False)
            single.command(name)(found)
            command = typer.main.get_command(single)
        command.name = name
        return command


class LazyGroup(TyperGroup):
    """A Typer group whose commands are imported when used (see :func:`lazy_group`).

    While its help is written, each lazy command stands as a stub carrying its one-line help, so
    listing the commands imports none of them.
    """

    lazy: ClassVar[dict[str, LazyCommand]] = {}
    _listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        """Every command, lazy or defined in place, sorted by name as Click lists them."""
        return sorted({*self.lazy, *super().list_commands(ctx)})

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        """Return the command, importing its module on first use (a stub while listing)."""
        entry = self.lazy.get(cmd_name)
        if entry is None:
            return super().get_command(ctx, cmd_name)
        if self._listing:
            return TyperCommand(cmd_name, help=entry.help)
        if cmd_name not in self.commands:
            self.commands[cmd_name] = entry.load(cmd_name)
        return self.commands[cmd_name]

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        """Write the help with stubs for the lazy commands: nothing is imported to list them."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        """Resolve as Typer does, suggesting lazy commands too for a mistyped name."""
        if args and self.get_command(ctx, args[0]) is None:
            close = get_close_matches(args[0], self.list_commands(ctx))
            if close:
                suggestions = ", ".join(repr(name) for name in close)
                ctx.fail(f"No such command {args[0]!r}. Did you mean {suggestions}?")
        return super().resolve_command(ctx, args)


def lazy_group(commands: dict[str, LazyCommand]) -> type[LazyGroup]:
    """Return a group class (for ``typer.Typer(cls=…)``) whose ``commands`` load on demand."""

    class Group(LazyGroup):
        lazy = commands

    return Group


#: Every command group and command defined in its own module, with its one-line help.
COMMANDS = {
    "referential": LazyCommand(
        "alliance.cli.referential",
        "app",
        "Les cadres du référentiel / the frameworks of the referential.",
    ),
    "questionnaire": LazyCommand(
        "alliance.cli.questionnaire",
        "app",
        "Questionnaires : liste, conversion YAML ↔ XLSForm / questionnaires: list, "
        "YAML ↔ XLSForm conversion.",
    ),
    "survey": LazyCommand(
        "alliance.cli.survey",
        "app",
        "Études d'impact : redressement, estimations, tests / impact studies: weighting, "
        "estimates, tests.",
    ),
    "study": LazyCommand(
        "alliance.cli.study",
        "app",
        "Études : définir, vérifier, produire, publier / studies: define, check, run, publish.",
    ),
    "territory": LazyCommand(
        "alliance.cli.territory",
        "app",
        "Territoires : les acteurs des registres publics / territories: actors from the public "
        "registries.",
    ),
    "demo": LazyCommand(
        "alliance.cli.demo",
        "demo",
        "Run the demonstration study and write notebook.html, notebook.pdf, tables.xlsx.",
    ),
}

app = typer.Typer(
    name="alliance",
    cls=lazy_group(COMMANDS),
    help=(
        "Observatoire des alliances : référentiel, études d'impact, carnets de recherche.\n\n"
        "Alliance Observatory: referential, impact studies, research notebooks."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from alliance import __version__  # read from the package's metadata: only when asked

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


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    no_worker: Annotated[
        bool,
        typer.Option(
            "--no-worker",
            help=(
                "Start no job worker beside the server (run `alliance worker` apart) / "
                "pas de worker de travaux à côté du serveur."
            ),
        ),
    ] = False,
) -> None:
    """Serve the web platform: apply migrations, then serve with Granian and a job worker.

    Servir la plateforme : migrations appliquées, Granian et un worker de travaux en arrière-plan.
    With PostgreSQL in production, use --no-worker and run `alliance worker` processes apart.
    """
    from alliance.web.server import serve as run_server

    run_server(host, port, worker=not no_worker)


@app.command()
def worker(
    interval: Annotated[
        float,
        typer.Option(
            "--interval",
            min=0.0,
            help="Seconds between looks at an empty queue / secondes entre deux regards.",
        ),
    ] = 1.0,
    once: Annotated[
        bool,
        typer.Option(
            "--once",
            "--batch",
            help="Run the queued jobs, then stop / les travaux en attente, puis s'arrêter.",
        ),
    ] = False,
    worker_id: Annotated[
        str,
        typer.Option(
            "--worker-id",
            help="This worker's unique name (default: host-pid) / son nom, unique.",
        ),
    ] = "",
) -> None:
    """Run background jobs (study runs, PDF reports) from the platform's database.

    Exécuter les travaux en arrière-plan (productions d'études, rapports PDF) de la base de la
    plateforme. It applies no migration; start as many as needed, on any machine sharing the
    database and ALLIANCE_FILES_DIR. SIGTERM lets the current job finish.
    """
    from alliance.web.server import work

    work(worker_id=worker_id, interval=interval, once=once)


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
