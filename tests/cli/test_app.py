"""The ``alliance`` entry point: help, version, and the commands that later issues fill in."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from alliance import __version__
from alliance.cli import app

pytestmark = pytest.mark.integration

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])

    assert (result.exit_code, result.stdout) == (0, f"alliance {__version__}\n")


def test_help_lists_the_command_groups():
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "120"})

    assert result.exit_code == 0
    for command in ("referential", "demo", "serve"):
        assert command in result.stdout


def test_demo_without_no_serve_says_the_web_platform_is_not_there_yet(tmp_path):
    result = runner.invoke(app, ["demo", "--out", str(tmp_path), "--lang", "en"])

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "The web platform does not exist yet (it arrives with issue 6)."
    )


def test_serve_says_the_web_platform_is_not_there_yet():
    result = runner.invoke(app, ["serve", "--lang", "fr"])

    assert result.exit_code == 0
    assert (
        result.stdout
        == "La plateforme web n'existe pas encore (elle arrive avec le ticket n° 6).\n"
    )


def test_console_script_runs_as_a_module_without_traceback_on_errors():
    completed = subprocess.run(
        [sys.executable, "-m", "alliance", "referential", "show", "nope", "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert completed.stderr.startswith("Error : Unknown framework: 'nope'.")
