"""Documentation that must agree with the code: README commands, CLI reference, doc links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alliance.cli.reference import cli_reference

pytestmark = pytest.mark.unit

ROOT = Path(__file__).parents[1]


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert "make demo" in readme
    assert "make test" in readme


def test_readme_links_point_to_existing_files():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)\)", readme)

    assert links
    assert [link for link in links if not (ROOT / link).exists()] == []


def test_cli_reference_is_up_to_date():
    """Fails when a command changed: run `python -m alliance.cli.reference > docs/cli.md`."""
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_reference()
