"""Options shared by several commands, declared once so they read the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

from alliance.cli.output import OutputFormat
from alliance.i18n import Lang, default_lang

__all__ = ["FormatOption", "LangOption", "lang_or_default"]

LangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        help="Langue des libellés / language of labels: fr or en (default: $ALLIANCE_LANG or fr).",
        show_default=False,
    ),
]

FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", help="table for people, json or csv for scripts."),
]


def lang_or_default(lang: Lang | None) -> Lang:
    """Return the language asked for, or the default one."""
    return lang or default_lang()
