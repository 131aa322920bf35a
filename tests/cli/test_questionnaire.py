"""``alliance questionnaire list|convert``: the shipped questionnaires, YAML ↔ XLSForm."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.survey.questionnaire import default_questionnaires, load_questionnaire

pytestmark = pytest.mark.integration

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["questionnaire", *args], env={"COLUMNS": "160"})


def test_list_as_json():
    result = run("list", "--format", "json", "--lang", "en")

    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["questionnaire"] for row in rows] == [
        "associations",
        "companies",
        "elected-officials",
        "foundations",
        "public",
    ]
    public = rows[-1]
    assert public == {
        "questionnaire": "public",
        "version": "2022.1",
        "population": "french-public",
        "items": 16,
        "title": "The French and alliances (demonstration questionnaire)",
    }


def test_list_titles_in_french():
    result = run("list", "--format", "json", "--lang", "fr")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[-1]["title"] == (
        "Les Français et les alliances (questionnaire de démonstration)"
    )


def test_list_as_a_table():
    result = run("list")

    assert result.exit_code == 0, result.output
    assert "Questionnaires" in result.stdout
    assert "elected-officials" in result.stdout


@pytest.mark.parametrize("code", sorted(default_questionnaires()))
def test_convert_to_xlsform_and_back_to_yaml_gives_the_same_questionnaire(tmp_path, code):
    workbook = tmp_path / f"{code}.xlsx"
    document = tmp_path / f"{code}.yaml"

    to_xlsform = run("convert", code, str(workbook), "--lang", "en")
    to_yaml = run("convert", str(workbook), str(document), "--lang", "en")

    assert to_xlsform.exit_code == 0, to_xlsform.output
    assert to_yaml.exit_code == 0, to_yaml.output
    assert load_questionnaire(document) == default_questionnaires()[code]


def test_convert_says_what_it_wrote(tmp_path):
    workbook = tmp_path / "public.xlsx"

    result = run("convert", "public", str(workbook), "--lang", "en")

    assert result.exit_code == 0, result.output
    assert "Questionnaire public (16 items) written to" in result.stderr
    assert workbook.exists()


def test_converted_yaml_leaves_out_defaults(tmp_path):
    document = tmp_path / "public.yml"

    result = run("convert", "public", str(document))

    assert result.exit_code == 0, result.output
    text = document.read_text(encoding="utf-8")
    assert text.startswith("questionnaire: public\nversion: '2022.1'\n")
    assert "missing: false" not in text
    assert "missing: true" in text


def test_unsupported_output_suffix(tmp_path):
    target = tmp_path / "public.txt"

    result = run("convert", "public", str(target))

    assert result.exit_code == 1
    assert result.stderr == (
        "Erreur : Format de questionnaire non pris en charge (.txt) : .yaml ou .xlsx (XLSForm)\n"
    )
    assert not target.exists()


def test_unsupported_output_suffix_in_english(tmp_path):
    result = run("convert", "public", str(tmp_path / "public"), "--lang", "en")

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Unsupported questionnaire format (∅): .yaml or .xlsx (XLSForm)\n"
    )


def test_unknown_source(tmp_path):
    result = run("convert", "citizens", str(tmp_path / "x.yaml"), "--lang", "en")

    assert result.exit_code == 1
    assert "Unknown questionnaire: 'citizens'" in result.stderr
