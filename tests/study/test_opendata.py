"""Open data: estimates.csv (exact header, empty cells, true/false) and its datapackage.json."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json

import pytest

from alliance import __version__
from alliance.study.check import prepare_study
from alliance.study.opendata import DATAPACKAGE_PROFILE, datapackage, estimates_csv
from alliance.study.outputs import margin_sources
from alliance.study.run import run_study
from alliance.study.scaffold import write_example

pytestmark = pytest.mark.unit

HEADER = "population,wave,variable,statistic,by,group,estimate,se,ci_low,ci_high,n,fragile"
TYPES = {
    "population": "string", "wave": "string", "variable": "string", "statistic": "string",
    "by": "string", "group": "string", "estimate": "number", "se": "number",
    "ci_low": "number", "ci_high": "number", "n": "integer", "fragile": "boolean",
}  # fmt: skip


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_estimates_csv_header_and_one_row_per_estimate(hand_run):
    text = estimates_csv(hand_run.results)

    lines = text.split("\n")
    assert lines[0] == HEADER
    assert text.endswith("\n")
    assert len(rows(text)) == len(hand_run.results.estimates) == 60


def test_a_whole_population_estimate_has_empty_by_and_group(hand_run):
    first = hand_run.results.estimates[0]
    assert first.by is None
    assert first.estimate is not None

    line = estimates_csv(hand_run.results).split("\n")[1]

    assert line == (
        f"habitants,2023,q_confiance,share,,,{first.estimate!r},{first.se!r},"
        f"{first.ci_low!r},{first.ci_high!r},374,false"
    )
    assert float(line.split(",")[6]) == first.estimate  # full precision, read back exactly


def test_suppressed_values_are_empty_cells_and_flags_are_true_or_false(hand_run):
    table = rows(estimates_csv(hand_run.results))

    hidden = [r for r in table if r["estimate"] == ""]
    assert [(r["wave"], r["variable"], r["by"], r["group"], r["n"]) for r in hidden] == [
        ("2024", "q_confiance", "taille_commune", "4", "7"),
        ("2024", "q_impact", "taille_commune", "4", "7"),
        ("2024", "q_nb_partenariats", "taille_commune", "4", "8"),
    ]
    assert all((r["se"], r["ci_low"], r["ci_high"], r["fragile"]) == ("", "", "", "true")
               for r in hidden)  # fmt: skip
    assert {r["fragile"] for r in table} == {"true", "false"}
    assert "None" not in estimates_csv(hand_run.results)


def test_datapackage_lists_every_written_file_with_bytes_and_hash(hand_outputs):
    package = json.loads(hand_outputs.path("datapackage.json").read_text(encoding="utf-8"))

    assert [r["path"] for r in package["resources"]] == [
        "estimates.csv",
        "notebook.html",
        "notebook.pdf",
        "tables.xlsx",
        "provenance.json",
        "results.json",
    ]
    for resource in package["resources"]:
        content = hand_outputs.path(resource["path"]).read_bytes()
        assert resource["bytes"] == len(content)
        assert resource["hash"] == f"sha256:{hashlib.sha256(content).hexdigest()}"
        assert resource["name"] == resource["path"].replace(".", "-")
    formats = {
        r["path"]: (r["mediatype"], r["format"], r.get("language")) for r in package["resources"]
    }
    assert formats["notebook.pdf"] == ("application/pdf", "pdf", "fr")
    assert formats["results.json"] == ("application/json", "json", None)
    # Only the CSV is a table: validators must not read the XLSX's titled sheets as tables.
    assert [r["type"] for r in package["resources"]] == ["table"] + ["file"] * 5


def test_the_sources_are_the_margins_tables_and_the_published_figures(tmp_path):
    write_example(tmp_path / "example")
    run = run_study(prepare_study(tmp_path / "example" / "study.yaml"))
    package = datapackage(run.results, tmp_path, "fr", margin_sources(run))

    assert package["sources"] == [
        {
            "title": "Recensement fictif du territoire d'exemple",
            "path": "https://example.invalid/recensement",
        },
        {"title": "Baromètre d'exemple 2025 (fictif)"},
    ]


def test_the_csv_schema_in_column_order_with_types_and_both_languages(hand_outputs):
    package = json.loads(hand_outputs.path("datapackage.json").read_text(encoding="utf-8"))
    resource = package["resources"][0]

    assert (resource["type"], resource["format"], resource["encoding"]) == ("table", "csv", "utf-8")
    assert resource["dialect"] == {"delimiter": ",", "header": True}
    fields = resource["schema"]["fields"]
    assert [(f["name"], f["type"]) for f in fields] == list(TYPES.items())
    assert resource["schema"]["missingValues"] == [""]
    for field in fields:
        assert set(field["labels"]) == {"fr", "en"}
        assert field["title"] == field["labels"]["fr"]["title"]
        assert field["labels"]["en"]["description"]
    population = fields[0]["labels"]
    assert population["en"]["description"] == "Population — code of the surveyed population"
    fragile = fields[-1]
    assert (fragile["trueValues"], fragile["falseValues"]) == (["true"], ["false"])


def test_the_package_says_what_it_is_and_under_which_licence(hand_outputs):
    results = hand_outputs.run.results
    package = json.loads(hand_outputs.path("datapackage.json").read_text(encoding="utf-8"))

    assert package["$schema"] == DATAPACKAGE_PROFILE
    assert (package["name"], package["title"], package["description"]) == (
        "barometre-test",
        "Baromètre de test des alliances locales",
        "Test barometer of local alliances",
    )
    assert package["labels"] == {"title": results.title}
    assert package["version"] == results.digest()[:12]
    assert package["created_with"] == f"alliance {__version__}"
    assert package["synthetic"] is True
    assert package["licenses"] == [
        {
            "name": "ODbL-1.0",
            "title": "Open Data Commons Open Database License 1.0",
            "path": "https://opendatacommons.org/licenses/odbl/1-0/",
        }
    ]
    assert package["sources"] == [{"title": "Baromètre fictif 2024, p. 3"}]
    dictionary = package["dictionary"]["habitants"]
    assert dictionary["label"] == {"fr": "Habitants", "en": "Residents"}
    assert dictionary["waves"] == ["2023", "2024"]
    assert dictionary["segments"]["sexe"]["groups"]["F"] == {"fr": "Femme", "en": "Woman"}


def test_other_licences(hand_run, tmp_path):
    (tmp_path / "estimates.csv").write_text(estimates_csv(hand_run.results), encoding="utf-8")
    etalab = dataclasses.replace(hand_run.results, licence="etalab-2.0")
    custom = dataclasses.replace(hand_run.results, licence="Licence maison")

    assert datapackage(etalab, tmp_path, "en")["licenses"] == [
        {
            "name": "etalab-2.0",
            "title": "Licence Ouverte / Open Licence 2.0",
            "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        }
    ]
    assert datapackage(custom, tmp_path, "en")["licenses"] == [
        {"name": "Licence maison", "title": "Licence maison"}
    ]


def test_only_the_files_present_are_listed(hand_run, tmp_path):
    (tmp_path / "estimates.csv").write_text(estimates_csv(hand_run.results), encoding="utf-8")

    package = datapackage(hand_run.results, tmp_path, "en")

    assert [r["path"] for r in package["resources"]] == ["estimates.csv"]
