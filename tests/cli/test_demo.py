"""``alliance demo``: the headline table on screen, the seven files on disk, synthetic said."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.messages import render
from alliance.study.outputs import OUTPUT_FILES

pytestmark = pytest.mark.integration


def test_demo_prints_the_headline_table_and_writes_the_files(tmp_path):
    result = CliRunner().invoke(
        app, ["demo", "--out", str(tmp_path), "--no-serve", "--lang", "en"], env={"COLUMNS": "200"}
    )

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "IMPACT demonstration study — synthetic demonstration data."
    assert render("report.published_title", "en") in lines[1]
    assert render("report.label_synthetic_short", "en") in result.stdout  # the table's caption
    headline = [line for line in lines if line.startswith("│ ")]
    assert len(headline) == 7
    assert sum("French public" in line for line in headline) == 6
    assert sum("Local elected officials" in line for line in headline) == 1
    assert all(line.split("│")[-2].strip() == "yes" for line in headline)
    assert [cell.strip() for cell in headline[0].split("│")[1:-1]][:4] == [
        "French public",
        "Territories",
        "56.0%",
        "55.8%",
    ]
    assert lines[-len(OUTPUT_FILES) :] == [f"Written: {tmp_path / name}" for name in OUTPUT_FILES]
    for name in OUTPUT_FILES:
        assert (tmp_path / name).is_file()
    assert (tmp_path / "study" / "study.yaml").is_file()
    assert '<html lang="en">' in (tmp_path / "notebook.html").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["synthetic"] is True


def test_the_demo_imports_its_synthetic_registries(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    job = "from rich.console import Console\nfrom alliance.cli.demo import _import_registries\n"
    job += "_import_registries(Console(width=300), 'en')"

    done = subprocess.run(
        [sys.executable, "-c", job], capture_output=True, text=True, check=True,
        env=dict(os.environ),
    )  # fmt: skip

    assert done.stdout.splitlines() == [
        "RNA registry (synthetic extracts, 2 file(s)) imported.",
        "Database: 49 entities created, 0 updated, 0 kept (unchanged, or stored version newer); "
        "vintage 2025-12-01",
        "SIRENE registry (synthetic extracts, 2 file(s)) imported.",
        "Database: 40 entities created, 40 updated, 0 kept (unchanged, or stored version newer); "
        "vintage 2025-10-16",
    ]
