"""Weighting margins as a file: the documented YAML, or the ``--rake`` JSON; errors located."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from alliance.demo.delivery import MARGINS_DIR
from alliance.errors import DataFileError
from alliance.study.margins import load_margins
from alliance.survey.questionnaire import default_questionnaires

pytestmark = pytest.mark.unit

POPULATIONS = ["public", "elected-officials", "companies", "associations", "foundations"]
HAND_MARGINS = Path(__file__).parent / "data" / "hand-study" / "margins" / "habitants.json"


def write_json(tmp_path: Path, content: dict[str, object]) -> Path:
    path = tmp_path / "margins.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


@pytest.mark.parametrize("population", POPULATIONS)
def test_demo_margins_match_their_questionnaire_codes(population):
    margins = load_margins(MARGINS_DIR / f"{population}.yaml")
    questionnaire = default_questionnaires()[population]

    for variable, targets in margins.targets().items():
        scale = questionnaire.scale_of(questionnaire.item(variable))
        assert scale is not None
        assert set(targets) == {str(code) for code in scale.codes(missing=False)}
        assert sum(targets.values()) == pytest.approx(1)


def test_yaml_margins_carry_their_documentation():
    path = MARGINS_DIR / "public.yaml"

    margins = load_margins(path)

    assert margins.population_total == 51_340_000
    assert margins.variables["sex"].targets == {"F": 0.524, "M": 0.476}
    assert margins.variables["sex"].tag == "D"
    source = margins.source(margins.variables["region"].source)
    assert source is not None
    assert source.url.startswith("https://insee.fr")
    assert margins.title is not None
    assert margins.title.en == "Population aged 18+, metropolitan France"
    assert (margins.file, margins.digest) == (
        "public.yaml",
        hashlib.sha256(path.read_bytes()).hexdigest(),
    )
    assert margins.source("nope") is None


def test_rake_json_margins_are_shares_without_sources():
    margins = load_margins(HAND_MARGINS)

    assert margins.targets() == {
        "sexe": {"F": 0.525, "M": 0.475},
        "age": {"18-34": 0.27, "35-64": 0.48, "65+": 0.25},
    }
    assert margins.population_total == 612_000
    assert margins.sources == []
    assert margins.variables["sexe"].tag is None
    assert margins.file == "habitants.json"
    assert margins.digest == hashlib.sha256(HAND_MARGINS.read_bytes()).hexdigest()


def test_rake_json_totals_become_shares(tmp_path):
    path = write_json(tmp_path, {"sexe": {"F": 300, "M": 700}, "population_total": 1000})

    margins = load_margins(path)

    assert margins.targets() == {"sexe": {"F": 0.3, "M": 0.7}}
    assert margins.population_total == 1000


def test_rake_json_targets_that_are_neither_shares_nor_totals(tmp_path):
    path = write_json(tmp_path, {"sexe": {"F": 300, "M": 600}, "population_total": 1000})

    with pytest.raises(DataFileError) as caught:
        load_margins(path)

    assert caught.value.key == "study.margins_sum"
    assert (caught.value.location.file, caught.value.location.field) == ("margins.json", "sexe")
    assert caught.value.message("en").startswith(
        "The targets of sexe sum to 900, neither 1 nor the population total"
    )
    assert caught.value.message("fr").startswith(
        "Les cibles de sexe totalisent 900 : ni 1 ni le total de la population"
    )


def test_rake_json_variable_with_one_category_is_refused_for_what_it_is(tmp_path):
    path = write_json(tmp_path, {"sexe": {"F": 1.0}, "population_total": 1000})

    with pytest.raises(DataFileError) as caught:
        load_margins(path)

    assert caught.value.location.field == "sexe"
    assert caught.value.key != "study.margins_sum"


def test_yaml_targets_that_do_not_sum_to_one_are_refused_with_their_line(tmp_path):
    text = (MARGINS_DIR / "elected-officials.yaml").read_text(encoding="utf-8")
    assert text.count("lt1000: 0.713") == 1
    path = tmp_path / "elected-officials.yaml"
    path.write_text(text.replace("lt1000: 0.713", "lt1000: 0.8"), encoding="utf-8")

    with pytest.raises(DataFileError) as caught:
        load_margins(path)

    assert caught.value.message("en").startswith("Targets sum to 1.087, not 1")
    assert caught.value.location.file == "elected-officials.yaml"
    assert caught.value.location.line is not None


def test_yaml_margins_cite_known_sources(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(
        "variables:\n  sexe:\n    source: census\n    targets: {F: 0.5, M: 0.5}\n",
        encoding="utf-8",
    )

    with pytest.raises(DataFileError) as caught:
        load_margins(path)

    assert caught.value.message("en").startswith("Unknown source: census")


def test_a_missing_margins_file(tmp_path):
    with pytest.raises(DataFileError) as caught:
        load_margins(tmp_path / "absent.yaml")

    assert caught.value.key == "survey.file_missing"
