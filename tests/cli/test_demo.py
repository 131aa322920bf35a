"""``alliance demo``: the headline table on screen, the files on disk."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from alliance.cli import app

pytestmark = pytest.mark.integration


def test_demo_prints_the_headline_table_and_writes_the_files(tmp_path):
    result = CliRunner().invoke(
        app, ["demo", "--out", str(tmp_path), "--no-serve", "--lang", "en"], env={"COLUMNS": "200"}
    )

    assert result.exit_code == 0, result.output
    assert "Published and reproduced" in result.stdout
    assert "Local elected officials" in result.stdout
    assert "Synthetic demonstration data" in result.stdout
    for name in ("notebook.html", "notebook.pdf", "tables.xlsx", "provenance.json"):
        assert f"Written: {tmp_path / name}" in result.stdout
        assert (tmp_path / name).is_file()
