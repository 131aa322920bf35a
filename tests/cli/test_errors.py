"""Project errors in the CLI: a localised line on stderr and an exit code, never a traceback."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from alliance.cli.errors import reported
from alliance.errors import Location, LookupFailedError, ReferentialValidationError

pytestmark = pytest.mark.unit

app = typer.Typer()


@app.command()
def fail(kind: str, lang: str = "fr") -> None:
    with reported(lang):  # type: ignore[arg-type]
        if kind == "lookup":
            raise LookupFailedError("lookup.unknown_item", code="x", framework="levers")
        raise ReferentialValidationError(
            "validation.placeholder_not_unknown",
            Location(file="levers.yaml", line=4),
            marker="[inconnu]",
        )


def test_lookup_error_exits_with_2():
    result = CliRunner().invoke(app, ["lookup", "--lang", "en"])

    assert result.exit_code == 2
    assert result.stderr == "Error: Unknown item: 'x' in framework 'levers'\n"


def test_other_errors_exit_with_1_and_brackets_are_printed_verbatim():
    result = CliRunner().invoke(app, ["validation"])

    assert result.exit_code == 1
    assert result.stderr == (
        "Erreur : Un libellé marqué [inconnu] exige le statut « unknown » "
        "(fichier levers.yaml, ligne 4)\n"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)
