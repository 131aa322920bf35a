"""The ``alliance`` entry point: help, version, lazy commands, and what starting up imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from alliance import __version__
from alliance.cli import COMMANDS, app

pytestmark = pytest.mark.integration

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])

    assert (result.exit_code, result.stdout) == (0, f"alliance {__version__}\n")


def test_help_lists_the_command_groups():
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "120"})

    assert result.exit_code == 0
    commands = ("referential", "survey", "questionnaire", "study", "demo", "serve", "manage")
    for command in (*commands, "worker"):
        assert f"│ {command} " in result.stdout


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
    assert "--no-worker" in serve.stdout


def test_worker_documents_its_options_in_both_languages():
    worker = runner.invoke(app, ["worker", "--help"], env={"COLUMNS": "200"})

    assert worker.exit_code == 0
    for option in ("--interval", "--once", "--batch", "--worker-id"):
        assert option in worker.stdout
    assert "Run background jobs" in worker.stdout
    assert "Exécuter les travaux en arrière-plan" in worker.stdout


def test_console_script_runs_as_a_module_without_traceback_on_errors():
    completed = subprocess.run(
        [sys.executable, "-m", "alliance", "referential", "show", "nope", "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert completed.stderr.startswith("Error: Unknown framework: 'nope'.")


#: Imported by some commands, and never to start: the PDF engine, charts, Django, the demo.
HEAVY = ["weasyprint", "django", "altair", "vl_convert", "alliance.demo", "alliance.report.pdf"]


def modules_imported_by(*arguments: str) -> set[str]:
    """Run ``alliance ARGUMENTS`` in a fresh interpreter; return the modules it imported."""
    script = (
        "import json, sys\n"
        f"sys.argv = ['alliance', *{list(arguments)!r}]\n"
        "from alliance.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(completed.stderr.splitlines()[-1]))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(f"{h}.") for h in HEAVY))


@pytest.mark.parametrize("arguments", [["--help"], ["--version"], ["referential", "list"]])
def test_starting_up_imports_nothing_heavy(arguments):
    modules = modules_imported_by(*arguments)

    assert heavy(modules) == []
    assert "alliance.cli.referential" in modules or arguments[0] != "referential"


def test_help_and_version_import_no_command_module():
    for arguments in (["--help"], ["--version"]):
        modules = modules_imported_by(*arguments)

        assert sorted(m for m in modules if m.startswith("alliance.cli.")) == []
        assert "alliance.survey" not in modules
        assert "polars" not in modules


def test_a_survey_estimate_does_not_import_the_importer_nor_the_spss_reader(tmp_path):
    data = tmp_path / "small.csv"
    data.write_text("q\n1\n2\n", encoding="utf-8")

    modules = modules_imported_by("survey", "estimate", str(data), "--share", "q=1")

    assert "alliance.survey.estimate" in modules
    assert heavy(modules) == []
    for unused in ("alliance.cli.imports", "pyreadstat", "openpyxl"):
        assert unused not in modules


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_short_help_written_in_the_root_is_the_command_s_own(name):
    command = typer.main.get_command(app)
    context = typer.Context(command)

    loaded = command.get_command(context, name)  # type: ignore[attr-defined]

    assert loaded is not None
    assert loaded.name == name
    assert loaded.help.strip() == COMMANDS[name].help


def test_survey_lists_its_lazy_commands_with_their_own_help():
    result = runner.invoke(app, ["survey", "--help"], env={"COLUMNS": "200"})
    survey = typer.main.get_command(app).get_command(  # type: ignore[attr-defined]
        typer.Context(typer.main.get_command(app)), "survey"
    )
    context = typer.Context(survey)

    assert result.exit_code == 0
    for name in ("estimate", "rake", "test", "compare", "import", "validate"):
        assert f"│ {name} " in result.stdout
        stub = survey.lazy.get(name)
        if stub is not None:
            assert survey.get_command(context, name).help.strip() == stub.help


def test_mistyped_command_suggests_a_lazy_one():
    result = runner.invoke(app, ["referentiel", "list"])

    assert result.exit_code == 2
    assert "Did you mean 'referential'?" in result.output
