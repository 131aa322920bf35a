"""Documentation that must agree with the code: README, CLI reference, links, runnable examples."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.cli.reference import cli_reference
from alliance.study.definition import load_definition
from alliance.survey.questionnaire import load_questionnaire

pytestmark = pytest.mark.unit

ROOT = Path(__file__).parents[1]


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert "make demo" in readme
    assert "make test" in readme


def test_readme_links_point_to_existing_files():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)\)", readme)

    assert links
    assert [link for link in links if not (ROOT / link).exists()] == []


def test_cli_reference_is_up_to_date():
    """Fails when a command changed: run `python -m alliance.cli.reference > docs/cli.md`."""
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_reference()


def blocks(document: str, language: str) -> list[str]:
    """Return the fenced code blocks of ``document`` written in ``language``."""
    text = (ROOT / "docs" / document).read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


@pytest.mark.parametrize("block", blocks("survey.md", "python"))
def test_survey_python_examples_run(block, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)

    exec(compile(block, "docs/survey.md", "exec"), {})

    assert capsys.readouterr().out


@pytest.mark.parametrize("command", "".join(blocks("survey.md", "console")).splitlines())
def test_survey_commands_run(command, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    words = shlex.split(command.removeprefix("$ ").replace("out/", f"{tmp_path}/"))

    result = CliRunner().invoke(app, words[1:], env={"COLUMNS": "160"})

    assert words[0] == "alliance"
    assert result.exit_code == 0, result.output


def test_ingestion_questionnaire_example_loads(tmp_path):
    (example,) = blocks("ingestion.md", "yaml")
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")

    questionnaire = load_questionnaire(path)

    assert [item.name for item in questionnaire.items] == ["respondent_id", "impact_territories"]


@pytest.mark.django_db(transaction=True)
def test_studies_commands_run_in_order(monkeypatch, tmp_path):
    """The walk-through of docs/studies.md, from `study init` to `study publish`."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "platform"))
    commands = blocks("studies.md", "console")[0].splitlines()

    for command in commands:
        words = shlex.split(command.removeprefix("$ "))
        result = CliRunner().invoke(app, words[1:], env={"COLUMNS": "160"})
        assert words[0] == "alliance"
        assert result.exit_code == 0, (command, result.output)

    assert (tmp_path / "out" / "barometre" / "estimates.csv").exists()
    assert "version 1" in result.output


def test_studies_definition_example_is_a_valid_definition(tmp_path):
    (example,) = blocks("studies.md", "yaml")
    path = tmp_path / "study.yaml"
    path.write_text(example, encoding="utf-8")

    definition, problems, _ = load_definition(path)

    assert problems == []
    assert definition is not None
    assert definition.populations[0].design.strata == "strate"
    assert definition.populations[0].published[0].value == 0.56
