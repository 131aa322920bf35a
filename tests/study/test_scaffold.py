"""``alliance study init``: a working example study, or nothing when the folder is not empty."""

from __future__ import annotations

import datetime

import polars as pl
import pytest

from alliance.errors import DataFileError
from alliance.study.check import prepare_study
from alliance.study.scaffold import EXAMPLE_DIR, write_example
from alliance.survey.io import read_responses

pytestmark = pytest.mark.unit

FILES = [
    "data/habitants-2024.sav",
    "data/habitants-2025.csv",
    "margins/habitants.yaml",
    "questionnaires/habitants.yaml",
    "study.yaml",
]


def test_the_example_is_a_study_without_problems(tmp_path):
    folder = tmp_path / "ex"

    written = write_example(folder)

    assert [str(p.relative_to(folder)) for p in written] == FILES
    prepared = prepare_study(folder / "study.yaml")
    assert prepared.problems == []
    assert prepared.definition is not None
    assert prepared.definition.synthetic is True
    assert [(w.wave, w.responses.frame.height) for w in prepared.populations[0].waves] == [
        ("2024", 400),
        ("2025", 380),
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["ex"]  # no staging folder left


def test_the_definition_questionnaire_and_margins_are_the_commented_files(tmp_path):
    write_example(tmp_path / "ex")

    for name in ("study.yaml", "margins/habitants.yaml", "questionnaires/habitants.yaml"):
        assert (tmp_path / "ex" / name).read_bytes() == (EXAMPLE_DIR / name).read_bytes()


def test_the_waves_are_delivered_as_spss_and_french_csv(tmp_path):
    write_example(tmp_path / "ex")

    spss = read_responses(tmp_path / "ex" / "data" / "habitants-2024.sav")
    french = read_responses(tmp_path / "ex" / "data" / "habitants-2025.csv")

    assert spss.format == "spss"
    assert french.describe() == "csv, encoding=windows-1252, separator=;, decimal=,"
    raw = (tmp_path / "ex" / "data" / "habitants-2025.csv").read_bytes().decode("cp1252")
    assert "Très fort" in raw


def test_the_waves_are_seeded(tmp_path):
    write_example(tmp_path / "a")
    write_example(tmp_path / "b")

    for name in ("habitants-2024.sav", "habitants-2025.csv"):
        first = read_responses(tmp_path / "a" / "data" / name).frame
        second = read_responses(tmp_path / "b" / "data" / name).frame
        assert first.equals(second)
    frame = read_responses(tmp_path / "a" / "data" / "habitants-2024.sav").frame
    assert frame["id"][0] == "R2024-0000"
    assert frame.filter(pl.col("sexe") == "F").height / frame.height > 0.52  # women over-sampled


def test_an_empty_folder_is_filled(tmp_path):
    (tmp_path / "ex").mkdir()

    write_example(tmp_path / "ex")

    assert (tmp_path / "ex" / "study.yaml").is_file()


def test_missing_parent_folders_are_made(tmp_path):
    write_example(tmp_path / "a" / "b" / "ex")

    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == ["ex"]
    assert (tmp_path / "a" / "b" / "ex" / "study.yaml").is_file()


def test_a_folder_that_is_not_empty_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "ex"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")

    with pytest.raises(DataFileError) as caught:
        write_example(folder)

    assert caught.value.key == "study.folder_not_empty"
    assert caught.value.message("en") == (
        f"Folder {folder} already exists and is not empty: nothing was written (file {folder})"
    )
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["ex"]


def test_the_example_shows_the_cover_apparatus(tmp_path):
    write_example(tmp_path / "ex")

    definition = prepare_study(tmp_path / "ex" / "study.yaml").definition

    assert definition is not None
    assert (definition.edition, definition.published, definition.url) == (
        "Édition d'exemple",
        datetime.date(2025, 6, 30),
        "https://example.org/barometre-exemple",
    )
    assert definition.authors == ["Observatoire fictif des alliances locales"]
    assert [(c.role.fr, c.name) for c in definition.credits] == [("Terrain", "Institut fictif")]
    assert definition.partners == ["Partenaire fictif"]
