"""The generated CLI reference covers every command."""

from __future__ import annotations

import pytest

from alliance.cli.reference import cli_reference

pytestmark = pytest.mark.unit


def test_reference_has_a_section_per_command():
    sections = [line for line in cli_reference().splitlines() if line.startswith("## ")]

    assert sections == [
        "## `alliance`",
        "## `alliance demo`",
        "## `alliance manage`",
        "## `alliance questionnaire`",
        "## `alliance questionnaire convert`",
        "## `alliance questionnaire list`",
        "## `alliance referential`",
        "## `alliance referential glossary`",
        "## `alliance referential list`",
        "## `alliance referential show`",
        "## `alliance serve`",
        "## `alliance study`",
        "## `alliance study check`",
        "## `alliance study init`",
        "## `alliance study publish`",
        "## `alliance study run`",
        "## `alliance survey`",
        "## `alliance survey compare`",
        "## `alliance survey estimate`",
        "## `alliance survey import`",
        "## `alliance survey model`",
        "## `alliance survey rake`",
        "## `alliance survey test`",
        "## `alliance survey validate`",
        "## `alliance territory`",
        "## `alliance territory import-rna`",
        "## `alliance territory import-sirene`",
        "## `alliance worker`",
    ]
