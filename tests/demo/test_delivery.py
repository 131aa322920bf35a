"""The demo study: delivered as pollsters deliver files, run as any study, synthetic throughout."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pyreadstat
import pytest
import yaml
from openpyxl import load_workbook

from alliance.demo import STUDY_FOLDER
from alliance.demo.delivery import DATA_DIR, DELIVERY, PLANS, deliver_study
from alliance.report.html import render_html
from alliance.report.numbers import percent
from alliance.study.check import prepare_study
from alliance.study.notebook import build_notebook, load_prose
from alliance.study.outputs import OUTPUT_FILES, StudyOutputs
from alliance.study.results import read_results
from alliance.survey.io import read_responses

pytestmark = pytest.mark.integration

POPULATIONS = ["public", "elected-officials", "companies", "associations", "foundations"]
PROSE = load_prose(DATA_DIR / "notebook.yaml")
SUFFIX = {"sav": ".sav", "csv": ".csv", "csv-fr": ".csv", "xlsx": ".xlsx"}


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The demo study folder, delivered once (its ``study.yaml``), and the steps announced."""
    folder = tmp_path_factory.mktemp("delivered") / "study"
    steps: list[str] = []
    return deliver_study(folder, step=steps.append), steps


def definition_of(study: Path) -> dict[str, Any]:
    definition: dict[str, Any] = yaml.safe_load(study.read_text(encoding="utf-8"))
    return definition


def normalised(text: str) -> str:
    """Text with the thin and non-breaking spaces of French numbers as plain spaces."""
    return re.sub(r"[\u202f\u00a0]", " ", text)


# --- The delivery -------------------------------------------------------------------------------


def test_the_study_folder(delivered):
    study, steps = delivered
    folder = study.parent

    assert study.name == "study.yaml"
    assert steps == POPULATIONS == [plan.questionnaire for plan in PLANS]
    assert sorted(p.name for p in folder.iterdir()) == [
        "data", "margins", "notebook.yaml", "questionnaires", "study.yaml",
    ]  # fmt: skip
    assert sorted(p.name for p in (folder / "questionnaires").iterdir()) == sorted(
        f"{name}.yaml" for name in POPULATIONS
    )
    assert len(list((folder / "margins").iterdir())) == 5
    assert (folder / "notebook.yaml").read_bytes() == (DATA_DIR / "notebook.yaml").read_bytes()


def test_five_populations_two_waves_and_synthetic(delivered):
    definition = definition_of(delivered[0])

    assert (definition["study"], definition["synthetic"], definition["notebook"]) == (
        "impact-demo",
        True,
        "notebook.yaml",
    )
    assert [p["population"] for p in definition["populations"]] == POPULATIONS
    for population in definition["populations"]:
        assert [w["wave"] for w in population["waves"]] == ["2018", "2022"]
        assert {tuple(s["codes"]) for s in population["shares"]} == {(1, 2)}


def test_results_are_cut_by_the_first_margin_and_by_region_where_margins_have_it(delivered):
    definition = definition_of(delivered[0])

    assert {p["population"]: p["segments"] for p in definition["populations"]} == {
        "public": ["sex", "region"],
        "elected-officials": ["commune_size"],
        "companies": ["size"],
        "associations": ["size"],
        "foundations": ["foundation_type"],
    }


def test_the_published_figures_are_the_notebook_s(delivered):
    definition = definition_of(delivered[0])

    published = {
        (p["population"], f["item"], f["wave"]): f["value"]
        for p in definition["populations"]
        for f in p.get("published", [])
    }
    assert published == {
        ("public", "impact_territories", "2022"): 0.56,
        ("public", "impact_territorial_innovation", "2022"): 0.55,
        ("public", "impact_people", "2022"): 0.54,
        ("public", "impact_company_performance", "2022"): 0.53,
        ("public", "impact_local_authority_performance", "2022"): 0.51,
        ("public", "impact_association_performance", "2022"): 0.42,
        ("elected-officials", "impact_own_performance", "2022"): 0.56,
    }


def test_the_files_are_delivered_in_the_formats_of_delivery(delivered):
    data = delivered[0].parent / "data"

    assert sorted(p.name for p in data.iterdir()) == sorted(
        f"{name}-{wave}{SUFFIX[kind]}"
        for name, waves in DELIVERY.items()
        for wave, kind in waves.items()
    )
    for name, waves in DELIVERY.items():
        for wave, kind in waves.items():
            path = data / f"{name}-{wave}{SUFFIX[kind]}"
            responses = read_responses(path)
            if kind == "sav":
                assert responses.format == "spss"
                _, meta = pyreadstat.read_sav(str(path), metadataonly=True, user_missing=True)
                labels = meta.variable_value_labels
                impact = next(k for k in labels if k.startswith("impact_"))
                assert labels[impact][9.0] == "Ne sait pas"
                assert meta.missing_ranges[impact] == [{"lo": 9.0, "hi": 9.0}]
            elif kind == "csv-fr":
                assert responses.describe() == "csv, encoding=windows-1252, separator=;"
                assert "Ne sait pas" in path.read_bytes().decode("cp1252")
            elif kind == "csv":
                assert responses.describe() == "csv, encoding=utf-8, separator=,"
            else:
                assert responses.format == "xlsx"


def test_the_delivered_study_checks_without_problems(delivered):
    prepared = prepare_study(delivered[0])

    assert prepared.problems == []
    assert [len(p.waves) for p in prepared.populations] == [2] * 5


def test_the_delivery_is_seeded(delivered, tmp_path):
    again = deliver_study(tmp_path / "study")

    for name in ("public-2018.csv", "companies-2022.csv"):
        assert (again.parent / "data" / name).read_bytes() == (
            delivered[0].parent / "data" / name
        ).read_bytes()


# --- The run ------------------------------------------------------------------------------------


def test_the_run_writes_the_seven_files_beside_the_study(demo_fr: StudyOutputs):
    assert sorted(p.name for p in demo_fr.folder.iterdir()) == sorted([*OUTPUT_FILES, STUDY_FOLDER])
    assert (demo_fr.folder / STUDY_FOLDER / "study.yaml").is_file()
    assert demo_fr.path("notebook.pdf").read_bytes().startswith(b"%PDF")


def test_five_populations_two_waves_in_the_results(demo_fr: StudyOutputs):
    results = demo_fr.run.results

    assert [p.population for p in results.populations] == POPULATIONS
    assert results.waves == ["2018", "2022"]
    assert [[w.n for w in p.waves] for p in results.populations] == [
        [1000, 1000], [300, 300], [500, 500], [1000, 1000], [150, 150],
    ]  # fmt: skip


def test_the_public_s_results_by_region_name_the_regions(demo_fr: StudyOutputs):
    """The territory pages' regional results: Brittany's, fragile (about 40 respondents)."""
    results = demo_fr.run.results
    by_region = [r for r in results.estimates if r.by == "region"]
    # 6 items × 2 waves × the margins' 13 metropolitan regions, of the public only.
    assert len(by_region) == 6 * 2 * 13
    assert {r.population for r in by_region} == {"public"}
    brittany = [r for r in by_region if r.group == "BRE"]
    assert len(brittany) == 12
    assert all(r.fragile and not r.suppressed for r in brittany)
    corsica = [r for r in by_region if r.group == "COR"]
    assert len(corsica) == 12
    assert all(r.suppressed for r in corsica)  # under 10 respondents
    assert results.population("public").group_label("region", "BRE", "fr") == "Bretagne"
    html = demo_fr.path("notebook.html").read_text(encoding="utf-8")
    assert "Français, par vague, selon : Région de résidence" in html
    assert "<td>Bretagne</td>" in html


def test_every_published_figure_lies_inside_its_interval(demo_fr: StudyOutputs):
    published = demo_fr.run.results.published

    assert len(published) == 7
    for figure in published:
        assert figure.ci_low is not None
        assert figure.ci_high is not None
        assert figure.ci_low <= figure.published <= figure.ci_high, figure
        assert figure.inside is True


def test_benchmark_references_for_the_organisations(demo_fr: StudyOutputs):
    references = {(r["population"], r["item"]) for r in demo_fr.run.results.benchmark}

    assert references == {
        (population, item)
        for population in ("elected-officials", "companies", "associations", "foundations")
        for item in ("partnership_count", "partnerships_evaluated", "partnership_categories")
    } | {("associations", "volunteer_count"), ("associations", "main_resource")}
    resource = next(r for r in demo_fr.run.results.benchmark if r["item"] == "main_resource")
    assert resource["kind"] == "choice"
    assert sorted(resource["values"]) == sorted(
        ["subventions", "commande_publique", "cotisations", "dons", "mecenat",
         "prestations_privees"]
    )  # fmt: skip
    assert {r["wave"] for r in demo_fr.run.results.benchmark} == {2022}
    assert all(r["synthetic"] is True for r in demo_fr.run.results.benchmark)


def with_series(chapters: list[str]) -> list[str]:
    """The prose's chapters, with the historical series before the methods appendix."""
    at = chapters.index("methods")
    return [*chapters[:at], "historical-series", *chapters[at:]]


def test_the_notebook_chapters_are_the_prose_file_s(demo_fr: StudyOutputs):
    assert [c.id for c in demo_fr.document.chapters] == with_series(
        [c["id"] for c in PROSE["chapters"]]
    )
    assert demo_fr.document.title == "ODD 17 : Alliance & Performance — démonstration"


def test_the_html_says_synthetic(demo_fr: StudyOutputs):
    html = demo_fr.path("notebook.html").read_text(encoding="utf-8")

    assert demo_fr.document.notice == PROSE["synthetic_notice"]["fr"]
    assert f'<p class="notice" role="note">{PROSE["synthetic_notice"]["fr"]}</p>' in html.replace(
        "&#39;", "'"
    )
    assert demo_fr.document.labels["running_head"] == "Données synthétiques de démonstration"


def test_every_sheet_of_survey_figures_says_synthetic(demo_fr: StudyOutputs):
    book = load_workbook(demo_fr.path("tables.xlsx"), read_only=True)
    tables = demo_fr.document.provenance["tables"]
    short = demo_fr.document.labels["synthetic_short"]

    assert book["notes"]["A2"].value == PROSE["synthetic_notice"]["fr"]
    from_data = [name for name in book.sheetnames[1:] if tables[name]["inputs"]]
    assert len(from_data) >= 15
    for name in from_data:
        texts = [row[0] for row in book[name].iter_rows(values_only=True) if row]
        assert short in texts, name


def test_provenance_results_and_open_data_say_synthetic(demo_fr: StudyOutputs):
    provenance = json.loads(demo_fr.path("provenance.json").read_text(encoding="utf-8"))
    results = json.loads(demo_fr.path("results.json").read_text(encoding="utf-8"))
    package = json.loads(demo_fr.path("datapackage.json").read_text(encoding="utf-8"))

    assert provenance["synthetic"] is True
    assert len(provenance["inputs"]) == 10
    assert all(entry["synthetic"] is True for entry in provenance["inputs"])
    assert results["synthetic"] is True
    assert package["synthetic"] is True
    assert read_results(demo_fr.folder) == demo_fr.run.results


def test_the_english_edition(demo_fr: StudyOutputs):
    document = build_notebook(demo_fr.run, "en", prose=PROSE)

    assert (document.lang, document.title) == (
        "en",
        "SDG 17: Alliance & Performance — demonstration",
    )
    assert document.notice == PROSE["synthetic_notice"]["en"]
    titles = [c["title"]["en"] for c in PROSE["chapters"]]
    at = [c["id"] for c in PROSE["chapters"]].index("methods")
    titles.insert(at, "The Observatoire's historical series")
    assert [c.title for c in document.chapters] == titles
    assert document.labels["running_head"] == "Synthetic demonstration data"
    html = render_html(document)
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    public = demo_fr.run.results.published[0]
    assert public.estimate is not None
    assert percent(public.estimate, "en") in html


def test_the_pdf_holds_the_headline_figures(demo_fr: StudyOutputs):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not checked")
    text = normalised(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(demo_fr.path("notebook.pdf")), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    )
    chapter = next(c for c in demo_fr.document.chapters if c.id == "published-vs-reproduced")
    table = next(block for block in chapter.blocks if not isinstance(block, str))
    start = text.index(f"Tableau {table.id} — ")
    headline = text[start : text.index(f"Provenance {table.id}", start)]

    assert "Données synthétiques de démonstration" in text
    for figure in demo_fr.run.results.published:
        assert figure.estimate is not None
        for value in (figure.published, figure.estimate):
            assert normalised(percent(value, "fr")) in headline, (figure.variable, value)
