"""Weighting targets from JSON: proportions, population total, located errors."""

from __future__ import annotations

import json

import pytest

from alliance.errors import DataFileError
from alliance.survey.io import read_margins

pytestmark = pytest.mark.unit


def test_margins_with_population_total(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"sex": {"F": 0.52, "M": 0.48}, "population_total": 1000}))

    margins, total = read_margins(path)

    assert margins == {"sex": {"F": 0.52, "M": 0.48}}
    assert total == 1000.0


def test_margins_json_syntax_error_gives_line_and_column(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{\n  "sex": {"F": 0.5,}\n}')

    with pytest.raises(DataFileError) as caught:
        read_margins(path)

    assert (caught.value.location.line, caught.value.location.column) == (2, 20)


def test_negative_target_names_variable_and_category(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"sex": {"F": -0.1, "M": 1.1}}))

    with pytest.raises(DataFileError) as caught:
        read_margins(path)

    assert caught.value.message("fr") == (
        "Fichier de cibles invalide : la cible doit être un nombre ≥ 0 "
        f"(fichier {path}, champ 'sex.F', valeur -0.1)"
    )
