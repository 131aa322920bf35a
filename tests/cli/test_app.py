"""The ``alliance`` entry point: help, version, and the commands that later issues fill in."""

from __future__ import annotations

import os
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


def test_manage_passes_through_to_django(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "alliance", "manage", "check"],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ | {"ALLIANCE_DATA_DIR": str(tmp_path)},
    )

    assert completed.returncode == 0, completed.stderr
    assert "System check identified no issues" in completed.stdout


def test_serve_and_demo_document_their_options():
    serve = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "120"})
    demo = runner.invoke(app, ["demo", "--help"], env={"COLUMNS": "120"})

    assert "--host" in serve.stdout
    assert "--port" in serve.stdout
    assert "--no-serve" in demo.stdout
    assert "--port" in demo.stdout


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
