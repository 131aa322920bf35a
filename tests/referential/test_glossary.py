"""The generated glossary and its place in ``docs/glossary.md``."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.referential import default_referential
from alliance.referential.glossary import (
    END_MARKER,
    START_MARKER,
    glossary_markdown,
    replace_generated_section,
)

pytestmark = pytest.mark.unit

GLOSSARY = Path(__file__).parents[2] / "docs" / "glossary.md"


def test_glossary_has_a_table_per_framework_and_a_row_per_item():
    text = glossary_markdown(default_referential())
    referential = default_referential()

    assert text.startswith(START_MARKER)
    assert text.rstrip().endswith(END_MARKER)
    assert text.count("| Terme français | English term | Identifier | Status |") == len(
        referential.frameworks
    )
    assert text.count("\n| ") - len(referential.frameworks) == referential.item_count()


def test_sub_items_are_marked_as_such():
    text = glossary_markdown(default_referential())

    assert (
        "| ↳ Mécénat de compétences | ↳ Skills-based philanthropy | `mecenat_competences` |" in text
    )


def test_docs_glossary_is_up_to_date_with_the_referential():
    """Fails when the YAML changed.

    Fix: `alliance referential glossary --update docs/glossary.md`.
    """
    document = GLOSSARY.read_text(encoding="utf-8")

    assert replace_generated_section(document, glossary_markdown(default_referential())) == document


def test_replacing_needs_both_markers():
    with pytest.raises(ValueError, match="lacks the markers"):
        replace_generated_section("no markers here", "section")
