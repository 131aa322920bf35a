"""``alliance manage import_examples FILE.csv [--synthetic]``: add examples to the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliance.errors import AllianceError
from alliance.i18n import default_lang
from alliance.web.examples.importing import import_examples


class Command(BaseCommand):
    """Import inspiring examples from a CSV file (all or nothing)."""

    help = (
        "Import inspiring examples from a CSV file (columns: see alliance.web.examples.importing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the file and the synthetic flag."""
        parser.add_argument("file", type=Path)
        parser.add_argument("--synthetic", action="store_true", help="Mark them as demo examples.")

    def handle(self, *args: Any, **options: Any) -> None:
        """Import, or stop with the located, localised problem."""
        try:
            count = import_examples(options["file"], synthetic=options["synthetic"])
        except AllianceError as error:
            raise CommandError(error.message(default_lang())) from None
        self.stdout.write(f"{count} examples imported from {options['file']}")
