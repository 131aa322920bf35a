"""YAML documents: values with their lines, and located errors of the caller's class."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from alliance.errors import (
    DataFileError,
    DesignError,
    ReferentialFileError,
    ReferentialValidationError,
)
from alliance.yaml_document import YamlDocument

pytestmark = pytest.mark.unit


class Pair(BaseModel):
    name: str
    size: int


def document(path: Path) -> YamlDocument:
    return YamlDocument(
        path, missing_key="survey.file_missing", file_error=DataFileError,
        validation_error=DesignError,
    )  # fmt: skip


def test_line_of_a_nested_value(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("items:\n  - name: a\n    size: 1\n  - name: b\n    size: 2\n")

    assert document(path).line_of(("items", 1, "size")) == 5


def test_validation_error_names_file_line_and_field(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("name: a\nsize: big\n")

    doc = document(path)
    with pytest.raises(DesignError) as caught:
        doc.validate(Pair, doc.data)

    assert caught.value.location.line == 2
    assert caught.value.location.field == "size"


def test_syntax_error_gives_line_and_column(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("name: [a\n")

    with pytest.raises(DataFileError) as caught:
        document(path)

    assert caught.value.key == "yaml.invalid"
    assert caught.value.location.line == 2


def test_missing_file_uses_the_callers_message(tmp_path):
    with pytest.raises(DataFileError) as caught:
        document(tmp_path / "none.yaml")

    assert caught.value.message("en").startswith("File not found")


def test_a_value_yaml_cannot_build_is_located_not_a_traceback(tmp_path):
    path = tmp_path / "dates.yaml"
    path.write_text("a: 1\nfieldwork:\n  start: 2025-13-03\n", encoding="utf-8")

    with pytest.raises(ReferentialFileError) as caught:
        YamlDocument(
            path,
            missing_key="referential.file_missing",
            file_error=ReferentialFileError,
            validation_error=ReferentialValidationError,
        )

    assert caught.value.message("en") == (
        "Unreadable value '2025-13-03': an invalid date (YYYY-MM-DD) or number "
        "(file dates.yaml, line 3, value '2025-13-03')"
    )
    assert caught.value.message("fr").startswith("Valeur '2025-13-03' illisible")
