"""``alliance referential list|show|glossary`` as users and scripts call them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.referential import default_referential

pytestmark = pytest.mark.integration

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env={"COLUMNS": "160", **(env or {})})


def test_show_categories_as_json_in_french():
    result = run(
        "referential", "show", "partnership-categories", "--lang", "fr", "--format", "json"
    )

    assert result.exit_code == 0
    items = json.loads(result.stdout)
    roots = [item["label"] for item in items if item["parent"] is None]
    assert roots == [
        "Mécénat",
        "Pratiques responsables",
        "Coopération économique",
        "Innovation sociétale",
    ]
    assert set(items[0]) >= {"code", "label", "definition", "status", "sources"}


def test_show_categories_as_json_in_english():
    result = run(
        "referential", "show", "partnership-categories", "--lang", "en", "--format", "json"
    )

    labels = [item["label"] for item in json.loads(result.stdout) if item["parent"] is None]
    assert labels == [
        "Corporate philanthropy",
        "Responsible practices",
        "Economic cooperation",
        "Societal innovation",
    ]


@pytest.mark.parametrize(
    "framework",
    ["actor-profiles", "levers", "objectives", "partnership-categories", "evaluation-approaches"],
)
def test_frameworks_named_by_the_issue_show_in_every_format(framework):
    expected = len(default_referential().framework(framework))

    as_json = run("referential", "show", framework, "--format", "json")
    as_csv = run("referential", "show", framework, "--format", "csv", "--lang", "en")
    as_table = run("referential", "show", framework, "--lang", "en")

    assert [r.exit_code for r in (as_json, as_csv, as_table)] == [0, 0, 0]
    assert len(json.loads(as_json.stdout)) == expected
    assert len(list(csv.DictReader(io.StringIO(as_csv.stdout)))) == expected
    assert default_referential().framework(framework).title("en") in as_table.stdout


def test_csv_has_a_header_and_flat_cells():
    result = run("referential", "show", "partnership-categories", "--format", "csv", "--lang", "en")

    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "code",
        "label",
        "definition",
        "status",
        "definition_status",
        "sources",
        "parent",
        "links",
        "note",
    ]
    assert rows[1]["code"] == "mecenat_financier"
    assert rows[1]["parent"] == "mecenat"
    assert rows[1]["sources"].startswith("https://fr.coursera.org/")


def test_published_figures_csv_carries_values():
    result = run("referential", "show", "published-figures", "--format", "csv")

    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    notebook = [row for row in rows if row["status"] == "notebook"]
    assert sorted(int(row["value"]) for row in notebook) == [42, 51, 53, 54, 55, 56, 56]


def test_table_shows_statuses_in_the_chosen_language():
    french = run("referential", "show", "forces-of-change", "--lang", "fr")
    english = run("referential", "show", "forces-of-change", "--lang", "en")

    assert "inconnu" in french.stdout
    assert "[inconnu]" in french.stdout
    assert "unknown" in english.stdout
    assert "[unknown]" in english.stdout


def test_language_defaults_to_alliance_lang():
    result = run("referential", "show", "levers", "--format", "json", env={"ALLIANCE_LANG": "en"})

    assert json.loads(result.stdout)[0]["label"] == "Human wealth"


def test_unknown_framework_is_a_usage_error_in_the_chosen_language():
    french = run("referential", "show", "partenaires", "--lang", "fr")
    english = run("referential", "show", "partenaires", "--lang", "en")

    assert (french.exit_code, english.exit_code) == (2, 2)
    assert french.stdout == ""
    assert french.stderr.startswith(
        "Erreur : Cadre inconnu : 'partenaires'. Cadres disponibles : actor-profiles"
    )
    assert english.stderr.startswith(
        "Error: Unknown framework: 'partenaires'. Available frameworks:"
    )


def test_invalid_language_is_refused():
    result = run("referential", "show", "levers", "--lang", "de")

    assert result.exit_code == 2
    assert "'de' is not one of 'fr', 'en'" in result.stderr


def test_list_as_json_counts_items_by_status():
    result = run("referential", "list", "--format", "json", "--lang", "en")

    records = json.loads(result.stdout)
    assert [record["framework"] for record in records] == list(default_referential().frameworks)
    forces = next(record for record in records if record["framework"] == "forces-of-change")
    assert forces["statuses"] == {"notebook": 0, "confirmed": 0, "inferred": 0, "unknown": 7}


def test_list_as_table_names_the_referential_version():
    result = run("referential", "list", "--lang", "fr")

    assert result.exit_code == 0
    assert f"Version {default_referential().version}" in result.stdout
    assert "Les 4 catégories de partenariat" in result.stdout


def test_glossary_update_rewrites_only_the_generated_section(tmp_path):
    document = tmp_path / "glossary.md"
    document.write_text(
        "# Glossaire\n\nIntro.\n\n"
        "<!-- glossary:start (generated by `alliance referential glossary`) -->\n"
        "old\n<!-- glossary:end -->\n\nOutro.\n",
        encoding="utf-8",
    )

    result = run("referential", "glossary", "--update", str(document))

    text = document.read_text(encoding="utf-8")
    assert result.exit_code == 0
    assert text.startswith("# Glossaire\n\nIntro.\n\n<!-- glossary:start")
    assert text.endswith("<!-- glossary:end -->\n\nOutro.\n")
    assert "| Mécénat | Corporate philanthropy | `mecenat` | confirmed |" in text
    assert not (tmp_path / "glossary.md.tmp").exists()


def test_table_shows_both_badges_and_hypotheses_as_pages_do():
    profiles = run("referential", "show", "actor-profiles", "--lang", "fr", env={"COLUMNS": "400"})
    objectives = run(
        "referential", "show", "common-objectives", "--lang", "en", env={"COLUMNS": "400"}
    )

    assert "définition : déduit" in profiles.stdout
    assert "Hypothesis (not verified):" in objectives.stdout
