"""How the CLI reports project errors: a message and a place, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from alliance.errors import AllianceError, LookupFailedError
from alliance.i18n import Lang
from alliance.messages import render

__all__ = ["reported"]


@contextmanager
def reported(lang: Lang) -> Iterator[None]:
    """Turn project errors into a localised message on stderr and a non-zero exit code.

    A code that names nothing (a mistyped framework) is a usage error and exits with 2, like a
    mistyped option; every other error exits with 1.
    """
    try:
        yield
    except AllianceError as error:
        from rich.console import Console  # Rich's import is for the runs that fail, not all
        from rich.markup import escape

        label = escape(render("cli.error", lang))
        stderr = Console(stderr=True, highlight=False, soft_wrap=True)
        stderr.print(f"[bold red]{label}[/] {escape(error.message(lang))}")
        raise typer.Exit(code=2 if isinstance(error, LookupFailedError) else 1) from None
