"""Mapping files: which column answers which item, in YAML or JSON; broken files located."""

from __future__ import annotations

import pytest

from alliance.errors import DataFileError
from alliance.survey.io.mapping import read_mapping

pytestmark = pytest.mark.unit


def written(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        read_mapping(path)
    return caught.value


def test_yaml_mapping_with_an_ignored_column(tmp_path):
    path = written(
        tmp_path, "mapping.yaml", "Q1: impact_territories\npoids: weight\nduree_interview: null\n"
    )

    mapping = read_mapping(path)

    assert mapping == {"Q1": "impact_territories", "poids": "weight", "duree_interview": None}


def test_json_mapping(tmp_path):
    path = written(tmp_path, "mapping.json", '{"Région": "region", "horodatage": null}')

    assert read_mapping(path) == {"Région": "region", "horodatage": None}


def test_tilde_is_null_too(tmp_path):
    path = written(tmp_path, "mapping.yml", "Q1: ~\n")

    assert read_mapping(path) == {"Q1": None}


def test_list_instead_of_a_mapping(tmp_path):
    error = refused(written(tmp_path, "mapping.yaml", "- Q1\n- Q2\n"))

    assert (
        error.message("en") == "Invalid mapping file: {column: item} expected (file mapping.yaml)"
    )


def test_empty_file(tmp_path):
    error = refused(written(tmp_path, "mapping.yaml", ""))

    assert error.key == "survey.mapping_invalid"
    assert error.location.file == "mapping.yaml"


def test_item_that_is_not_a_text_names_the_column(tmp_path):
    error = refused(written(tmp_path, "mapping.yaml", "Q1: impact_people\nQ2: 3\n"))

    assert error.message("en") == (
        "Invalid mapping file: {column: item} expected (file mapping.yaml, field 'Q2', value 3)"
    )
    assert error.message("fr").startswith("Fichier de correspondance invalide : ")
    assert error.message("fr").endswith("(fichier mapping.yaml, champ 'Q2', valeur 3)")


def test_column_that_is_not_a_text(tmp_path):
    error = refused(written(tmp_path, "mapping.yaml", "12: impact_people\n"))

    assert (error.location.field, error.location.value) == ("12", "impact_people")


def test_yaml_syntax_error_names_the_line(tmp_path):
    error = refused(written(tmp_path, "mapping.yaml", "Q1: impact_people\nQ2: region: sex\n"))

    assert error.message("fr") == (
        "Fichier de correspondance illisible : mapping values are not allowed here "
        "(fichier mapping.yaml, ligne 2)"
    )
    assert error.message("en") == (
        "Unreadable mapping file: mapping values are not allowed here (file mapping.yaml, line 2)"
    )


def test_missing_file(tmp_path):
    error = refused(tmp_path / "mapping.yaml")

    assert error.message("en") == f"File not found (file {tmp_path / 'mapping.yaml'})"


def test_french_message_is_in_french(tmp_path):
    error = refused(written(tmp_path, "mapping.yaml", "- Q1\n"))

    assert "expected" not in error.message("fr")
