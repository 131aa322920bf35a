"""The analyst's path, end to end: a hand-written study run, published, then read on the platform.

The study is the R-checked fixture of ``tests/study/data/hand-study`` (an SPSS wave and a French
CSV wave): what the pages and the API show must be exactly what ``estimates.csv`` holds.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from django.test import Client
from typer.testing import CliRunner

from alliance.cli import app
from alliance.study.results import read_results
from alliance.web.results.models import StudyVersion
from alliance.web.results.publishing import publish

pytestmark = pytest.mark.integration

HAND_STUDY = Path(__file__).parents[2] / "study" / "data" / "hand-study"


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    study = tmp_path_factory.mktemp("hand") / "study"
    shutil.copytree(HAND_STUDY, study)
    out = study.parent / "out"
    result = CliRunner().invoke(app, ["study", "run", str(study / "study.yaml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def published(run_folder: Path, db) -> StudyVersion:
    version, created = publish(read_results(run_folder), source=str(run_folder))
    assert created
    return version


def rows(run_folder: Path) -> list[dict[str, str]]:
    with (run_folder / "estimates.csv").open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_the_api_gives_the_estimates_of_the_csv(run_folder, published, client: Client):
    expected = [r for r in rows(run_folder) if r["by"] == "" and r["estimate"]]

    response = client.get("/api/studies/barometre-test/results", {"population": "habitants"})

    assert response.status_code == 200
    got = {(r["wave"], r["variable"]): r for r in response.json()}
    assert len(got) == len(expected) == 6
    for row in expected:
        record = got[(row["wave"], row["variable"])]
        assert record["estimate"] == float(row["estimate"])
        assert record["ci_low"] == float(row["ci_low"])
        assert record["ci_high"] == float(row["ci_high"])
        assert record["n"] == int(row["n"])
        assert record["synthetic"] is True


def test_the_study_is_listed_with_its_waves(published, client: Client):
    studies = {s["study"]: s for s in client.get("/api/studies").json()}

    assert studies["barometre-test"]["waves"] == ["2023", "2024"]
    assert studies["barometre-test"]["version"] == published.number


def test_the_population_page_shows_the_estimates_and_hides_the_suppressed(
    run_folder, published, client: Client
):
    suppressed = [r for r in rows(run_folder) if r["n"] and int(r["n"]) < 10]
    assert suppressed
    assert all(r["estimate"] == "" for r in suppressed)

    page = client.get("/results/barometre-test/habitants/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "Habitants" in text
    assert "synthétiques" in text
    segments = client.get(
        "/results/barometre-test/habitants/",
        {"view": "segments", "by": "taille_commune", "wave": "2024"},
    )
    assert segments.status_code == 200
    assert "moins de 10" in segments.content.decode()


def test_the_download_is_the_csv_the_run_wrote(run_folder, published, client: Client):
    response = client.get("/results/barometre-test/download.csv")

    assert response.status_code == 200
    downloaded = list(csv.DictReader(response.content.decode("utf-8").splitlines()))
    columns = list(rows(run_folder)[0])
    assert [{k: r[k] for k in columns} for r in downloaded] == rows(run_folder)


def test_the_pages_of_a_study_that_is_not_synthetic_never_say_synthetic(
    run_folder, db, client: Client
):
    observed = replace(read_results(run_folder), synthetic=False, study="barometre-observe")
    publish(observed)

    for address in ("/results/barometre-observe/", "/results/barometre-observe/habitants/"):
        text = client.get(address).content.decode()
        assert "synthétique" not in text
        assert "démonstration" not in text
