"""The error hierarchy: drawn in the docstring, documented, located, bilingual."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import alliance.errors as errors_module
from alliance.errors import AllianceError, Location, LookupFailedError, ReferentialValidationError

pytestmark = pytest.mark.unit

DOCS = Path(__file__).parents[1] / "docs" / "errors.md"


def error_classes() -> dict[str, type[AllianceError]]:
    return {
        name: value
        for name, value in vars(errors_module).items()
        if isinstance(value, type) and issubclass(value, AllianceError)
    }


def drawn_tree() -> dict[str, str | None]:
    """Map each class of the docstring's tree to its parent, read from the indentation."""
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in (errors_module.__doc__ or "").splitlines():
        match = re.match(r"^(\s*(?:[│ ]*[├└]── )?)(\w+Error)\b", line)
        if not match:
            continue
        depth = len(match.group(1))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[match.group(2)] = stack[-1][1] if stack else None
        stack.append((depth, match.group(2)))
    return parents


def test_docstring_tree_matches_the_classes():
    actual = {
        name: next(
            (base.__name__ for base in cls.__bases__ if issubclass(base, AllianceError)), None
        )
        for name, cls in error_classes().items()
    }

    assert drawn_tree() == actual


def test_every_error_class_is_documented():
    text = DOCS.read_text(encoding="utf-8")

    assert [name for name in error_classes() if f"`{name}`" not in text] == []


def test_every_error_class_is_exported():
    assert sorted(error_classes()) == sorted(
        name for name in errors_module.__all__ if name.endswith("Error")
    )


def test_message_in_each_language_with_location():
    error = ReferentialValidationError(
        "validation.missing", Location(file="levers.yaml", line=3, item="alliances", field="label")
    )

    assert error.message("fr") == (
        "Champ obligatoire absent "
        "(fichier levers.yaml, ligne 3, élément 'alliances', champ 'label')"
    )
    assert error.message("en") == (
        "Required field missing (file levers.yaml, line 3, item 'alliances', field 'label')"
    )


def test_str_uses_the_default_language(monkeypatch):
    monkeypatch.setenv("ALLIANCE_LANG", "en")

    error = LookupFailedError("lookup.unknown_item", code="x", framework="levers")

    assert str(error) == "Unknown item: 'x' in framework 'levers'"


def test_location_shows_row_column_and_value():
    location = Location(file="data.csv", row=12, column=3, value="abc")

    assert location.describe("en") == "file data.csv, row 12, column 3, value 'abc'"
    assert Location().describe("fr") == ""
