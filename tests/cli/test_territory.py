"""``alliance territory import-rna|import-sirene``: summaries in French and English, exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from alliance.cli import app
from alliance.cli.territory import progress_line
from tests.territory.registry_samples import (
    establishment,
    rna_line,
    unit,
    write_establishments,
    write_rna,
    write_units,
)

pytestmark = pytest.mark.integration


def territory(data_dir: Path, monkeypatch, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in its own process, on an embedded database in ``data_dir``."""
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "400")
    return subprocess.run(
        [sys.executable, "-m", "alliance", "territory", *args],
        capture_output=True, text=True, check=False, env=dict(os.environ),
    )  # fmt: skip


@pytest.fixture
def rna_file(tmp_path) -> Path:
    return write_rna(
        tmp_path / "rna_waldec_20250301_dpt_59.csv",
        [rna_line(id="W595001234", titre="Amis (fictive)", adrs_codeinsee="59350", position="A"),
         rna_line(id="W595001235", titre="Dissoute (fictive)", adrs_codeinsee="59350",
                  position="D"),
         "W595001236;malformed"],
        encoding="cp1252",
    )  # fmt: skip


def test_import_rna_in_english_with_an_unreadable_file(tmp_path, monkeypatch, rna_file):
    done = territory(tmp_path, monkeypatch, "import-rna", str(rna_file),
                     str(tmp_path / "missing.csv"), "--lang", "en")  # fmt: skip

    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "RNA import: 1 file(s)",
        "rna_waldec_20250301_dpt_59.csv (RNA waldec): 3 rows read, 2 entities, of which 1 "
        "dissolved or ceased and 0 deleted (kept apart), 0 secondary establishments skipped, "
        "1 rows refused, 0 without a profile (unknown category)",
        "Database: 2 entities created, 0 updated, 0 kept (unchanged, or stored version newer); "
        "vintage 2025-03-01",
        "First problems (1 of 1):",
        "  - malformed line: 2 fields instead of 39 (file rna_waldec_20250301_dpt_59.csv, line 4)",
    ]
    assert done.stderr == "Error: missing.csv could not be read: file not found or unreadable\n"


def test_import_rna_again_in_french_keeps_the_unchanged_entries(tmp_path, monkeypatch, rna_file):
    territory(tmp_path, monkeypatch, "import-rna", str(rna_file))
    done = territory(tmp_path, monkeypatch, "import-rna", str(rna_file), "--lang", "fr")

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2] == (
        "Base : 0 entités créées, 0 mises à jour, 2 gardées (inchangées, ou version enregistrée "
        "plus récente) ; millésime 2025-03-01"
    )
    assert "ligne mal formée : 2 champs au lieu de 39" in done.stdout


def test_import_sirene_as_json(tmp_path, monkeypatch):
    units = write_units(
        tmp_path / "StockUniteLegale_utf8.csv",
        [unit(siren="732829320", denominationUniteLegale="MOREAU (FICTIVE)",
              categorieJuridiqueUniteLegale="0000",
              dateDernierTraitementUniteLegale="2025-10-31T12:00:00")],
    )  # fmt: skip
    places = write_establishments(
        tmp_path / "StockEtablissement_utf8.parquet",
        [establishment(siren="732829320", siret="73282932000014",
                       codeCommuneEtablissement="59350")],
    )  # fmt: skip

    done = territory(tmp_path, monkeypatch, "import-sirene", str(units), str(places),
                     "--format", "json", "--lang", "en")  # fmt: skip

    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["source"], summary["vintage"], summary["inserted"], summary["updated"]) == (
        "sirene", "2025-10-31", 1, 1,
    )  # fmt: skip
    assert [(f["file"], f["kind"], f["entries"], f["unclassified"]) for f in summary["files"]] == [
        ("StockUniteLegale_utf8.csv", "unit", 1, 1),
        ("StockEtablissement_utf8.parquet", "location", 1, 0),
    ]
    assert summary["files"][0]["problems"][0]["message"] == (
        "unknown legal category: entity imported without an actor profile"
    )
    assert summary["failures"] == []


def test_import_rna_from_the_zip_archive_as_published(tmp_path, monkeypatch, rna_file):
    north_sea = write_rna(
        tmp_path / "rna_waldec_20250301_dpt_62.csv",
        [rna_line(id="W623001234", titre="Côte d'Opale (fictive)", adrs_codeinsee="62193",
                  position="A")],
    )  # fmt: skip
    published = tmp_path / "rna_waldec_20250301.zip"
    with zipfile.ZipFile(published, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(north_sea, north_sea.name)
        archive.write(rna_file, rna_file.name)
        archive.writestr("LISEZMOI.txt", "Licence Ouverte / Open Licence")
    empty = tmp_path / "vide.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("LISEZMOI.txt", "rien")

    done = territory(tmp_path, monkeypatch, "import-rna", str(published), str(empty),
                     "--format", "json", "--lang", "en")  # fmt: skip

    assert done.returncode == 1
    summary = json.loads(done.stdout)
    assert [(f["file"], f["entries"], f["rejected"]) for f in summary["files"]] == [
        ("rna_waldec_20250301.zip/rna_waldec_20250301_dpt_59.csv", 2, 1),
        ("rna_waldec_20250301.zip/rna_waldec_20250301_dpt_62.csv", 1, 0),
    ]
    assert (summary["inserted"], summary["vintage"]) == (3, "2025-03-01")
    problem = summary["files"][0]["problems"][0]
    assert (problem["file"], problem["line"], problem["message"]) == (
        "rna_waldec_20250301.zip/rna_waldec_20250301_dpt_59.csv", 4,
        "malformed line: 2 fields instead of 39",
    )  # fmt: skip
    assert summary["failures"] == [
        {"file": "vide.zip", "message": "the ZIP archive holds no CSV or Parquet file "
                                        "(file vide.zip)"},
    ]  # fmt: skip


def test_the_group_lists_its_commands():
    done = CliRunner().invoke(app, ["territory", "--help"], env={"COLUMNS": "200"})

    assert done.exit_code == 0
    assert "import-rna" in done.output
    assert "import-sirene" in done.output


def test_the_progress_line_never_reads_a_file_name_as_markup():
    line = progress_line("archive.zip/x[/].csv", "en")

    written = io.StringIO()
    console = Console(file=written, force_terminal=True, highlight=False, width=200)
    console.print(line)  # raised MarkupError unescaped
    assert "archive.zip/x[/].csv" in written.getvalue()
