"""The CLI reference (``docs/cli.md``), generated from every command's ``--help``.

Writing the reference by hand lets it drift from the code; generating it, and failing a test when
the file differs, keeps it true. Regenerate with ``python -m alliance.cli.reference > docs/cli.md``.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from alliance.cli import app

__all__ = ["cli_reference"]

HEADER = """\
# Command-line reference

Generated from `alliance … --help` by `python -m alliance.cli.reference > docs/cli.md`;
a test fails when this file and the commands disagree.
"""


def _command_paths(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Return the path of ``command`` and of every sub-command, depth first, sorted by name.

    Groups are asked for their commands (``list_commands`` / ``get_command``) rather than read,
    because the lazy ones import a command's module only when asked for it.
    """
    paths = [path]
    if isinstance(command, TyperGroup):
        context = typer.Context(command)
        for name in sorted(command.list_commands(context)):
            paths += _command_paths(command.get_command(context, name), (*path, name))
    return paths


def cli_reference() -> str:
    """Return the Markdown reference: one section per command with its help text."""
    runner = CliRunner()
    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "_TYPER_FORCE_DISABLE_TERMINAL": "1"}
    sections = [HEADER]
    for path in _command_paths(typer.main.get_command(app)):
        result = runner.invoke(app, [*path, "--help"], env=env, prog_name="alliance")
        help_text = "\n".join(line.rstrip() for line in result.stdout.splitlines()).strip()
        sections.append(f"## `{' '.join(('alliance', *path))}`\n\n```text\n{help_text}\n```\n")
    return "\n".join(sections)


if __name__ == "__main__":
    print(cli_reference(), end="")
