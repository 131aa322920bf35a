"""``alliance manage import_examples``: a count on success, a located error otherwise."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tests.web.examples.test_importing import ROW, write

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def database(db) -> None:
    """Every test here writes examples."""


def test_command_imports_and_counts(tmp_path):
    out = io.StringIO()

    call_command("import_examples", str(write(tmp_path, [ROW])), "--synthetic", stdout=out)

    assert "1 examples imported from" in out.getvalue()


def test_command_stops_with_the_problem(tmp_path):
    bad = [*ROW[:8], "XYZ", *ROW[9:]]

    with pytest.raises(CommandError, match="region"):
        call_command("import_examples", str(write(tmp_path, [bad])))
