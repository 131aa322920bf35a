"""``alliance study init|check|run|publish``: from an example to the platform, problems listed."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.study.outputs import OUTPUT_FILES
from alliance.survey.problems import PROBLEM_COLUMNS

pytestmark = pytest.mark.integration

runner = CliRunner()
HAND_STUDY = Path(__file__).parents[1] / "study" / "data" / "hand-study"
EXAMPLE_FILES = 5


def study(*args: str):
    return runner.invoke(app, ["study", *args], env={"COLUMNS": "400"})


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    (number,) = [i for i, line in enumerate(lines, 1) if text in line]
    return number


def broken_study(folder: Path) -> Path:
    """The fixture study with a missing wave file, an unknown item and an absent margin category."""
    shutil.copytree(HAND_STUDY, folder)
    (folder / "data" / "habitants-2024.csv").unlink()
    path = folder / "study.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{item: q_impact,", "{item: q_inexistant,"), encoding="utf-8")
    margins = {
        "sexe": {"F": 0.525, "M": 0.475},
        "age": {"18-34": 0.27, "35-64": 0.48, "65+": 0.2, "80+": 0.05},
        "population_total": 612000,
    }
    (folder / "margins" / "habitants.json").write_text(json.dumps(margins), encoding="utf-8")
    return path


def publish(target: Path, data_dir: Path, monkeypatch) -> subprocess.CompletedProcess[str]:
    """``alliance study publish`` in its own process, on an embedded database in ``data_dir``."""
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return subprocess.run(
        [sys.executable, "-m", "alliance", "study", "publish", str(target), "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ),
    )


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``alliance study init``'s example: its study.yaml."""
    folder = tmp_path_factory.mktemp("init") / "ex"
    result = study("init", str(folder))
    assert result.exit_code == 0, result.output
    return folder / "study.yaml"


@pytest.fixture(scope="module")
def written(example: Path, tmp_path_factory: pytest.TempPathFactory):
    """``alliance study run ex/study.yaml --out OUT``: the result and OUT."""
    out = tmp_path_factory.mktemp("run") / "out"
    return study("run", str(example), "--out", str(out)), out


def test_init_writes_an_example_that_checks(example):
    result = study("check", str(example), "--lang", "en")

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "Study barometre-exemple is valid: 1 population(s), 2 wave(s), 780 respondents.\n"
    )


def test_init_says_what_it_wrote_and_what_next(tmp_path):
    folder = tmp_path / "ex"

    result = study("init", str(folder), "--lang", "en")

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Example study written to {folder} ({EXAMPLE_FILES} files).\n"
        f"Next: alliance study check {folder / 'study.yaml'} then alliance study run "
        f"{folder / 'study.yaml'}\n"
    )


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "mine.txt").write_text("mine", encoding="utf-8")

    result = study("init", str(tmp_path), "--lang", "en")

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: Folder {tmp_path} already exists and is not empty: nothing was written"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_run_writes_the_seven_files(written):
    result, out = written

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    assert result.stdout == "".join(f"Écrit : {out / name}\n" for name in OUTPUT_FILES)
    assert (out / "notebook.pdf").read_bytes().startswith(b"%PDF")
    assert '<html lang="fr">' in (out / "notebook.html").read_text(encoding="utf-8")


def test_run_writes_to_out_study_by_default_and_in_english(example, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = study("run", str(example), "--lang", "en")

    assert result.exit_code == 0, result.output
    out = Path("out") / "barometre-exemple"
    assert sorted(p.name for p in (tmp_path / out).iterdir()) == sorted(OUTPUT_FILES)
    assert f"Written: {out / 'notebook.html'}\n" in result.stdout
    html = (tmp_path / out / "notebook.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "<title>Example barometer of local alliances</title>" in html


def test_check_lists_every_problem_with_its_file_and_line(tmp_path):
    path = broken_study(tmp_path / "broken")

    result = study("check", str(path), "--lang", "en")

    assert result.exit_code == 1
    assert result.stderr == "Error: 3 error(s) in study barometre-test: nothing was written\n"
    table = result.stdout
    assert "Problems of study study.yaml" in table
    for expected in (
        f"│ error │ study.yaml     │ {line_of(path, 'q_inexistant')}   │ "
        "populations.0.shares.1.item",
        "Item 'q_inexistant' is not in questionnaire habitants",
        "│ error │ habitants.json │      │ age",
        "Target age='80+' matches no respondent of wave 2023 (habitants-2023.sav)",
        f"│ error │ study.yaml     │ {line_of(path, 'file: data/habitants-2024.csv')}   │ "
        "populations.0.waves.1.file",
        "File not found: ",
    ):
        assert expected in table


def test_check_reports_as_csv_and_json(tmp_path):
    path = broken_study(tmp_path / "broken")

    as_csv = study("check", str(path), "--format", "csv", "--lang", "en")
    as_json = study("check", str(path), "--format", "json", "--lang", "en")

    assert (as_csv.exit_code, as_json.exit_code) == (1, 1)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    records = json.loads(as_json.stdout)
    assert list(rows[0]) == PROBLEM_COLUMNS
    assert [(r["file"], r["line"], r["column"], r["value"]) for r in rows] == [
        ("study.yaml", str(line_of(path, "q_inexistant")), "populations.0.shares.1.item",
         "q_inexistant"),
        ("habitants.json", "", "age", "80+"),
        ("study.yaml", str(line_of(path, "file: data/habitants-2024.csv")),
         "populations.0.waves.1.file", "data/habitants-2024.csv"),
    ]  # fmt: skip
    assert [(r["severity"], r["file"], r["line"], r["column"], r["value"]) for r in records] == [
        ("error", r["file"], int(r["line"]) if r["line"] else None, r["column"], r["value"])
        for r in rows
    ]
    assert records[0]["message"] == "Item 'q_inexistant' is not in questionnaire habitants"
    assert records[2]["message"] == (
        f"File not found: {(path.parent / 'data' / 'habitants-2024.csv').resolve()}"
    )


def test_run_of_a_broken_study_lists_its_problems_and_writes_nothing(tmp_path, monkeypatch):
    path = broken_study(tmp_path / "broken")
    monkeypatch.chdir(tmp_path)

    with_out = study("run", str(path), "--out", str(tmp_path / "results"), "--lang", "en")
    by_default = study("run", str(path), "--lang", "en")

    for result in (with_out, by_default):
        assert result.exit_code == 1
        assert result.stderr.endswith(
            "Error: 3 error(s) in study barometre-test: nothing was written\n"
        )
        assert "Item 'q_inexistant' is not in questionnaire habitants" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken"]


def test_publish_twice_changes_nothing_the_second_time(written, tmp_path, monkeypatch):
    _, out = written

    first = publish(out, tmp_path, monkeypatch)
    second = publish(out, tmp_path, monkeypatch)

    assert first.returncode == 0, first.stderr
    assert first.stdout == "Study barometre-exemple published: version 1.\n"
    assert second.returncode == 0, second.stderr
    assert second.stdout == (
        "Study barometre-exemple: results identical to published version 1; nothing changed.\n"
    )
    assert (tmp_path / "alliance.sqlite3").is_file()


def test_publish_without_results(tmp_path):
    result = study("publish", str(tmp_path), "--lang", "en")

    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: Study results not found (run “alliance study run” first)"
    )
