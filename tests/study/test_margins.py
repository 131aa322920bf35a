"""Population margins: shares summing to 1, every figure with a source, errors located."""

from __future__ import annotations

import pytest

from alliance.demo.margins import MARGINS_DIR, load_margins
from alliance.errors import DataFileError
from alliance.survey.questionnaire import default_questionnaires

pytestmark = pytest.mark.unit

POPULATIONS = ["public", "elected-officials", "companies", "associations", "foundations"]


@pytest.mark.parametrize("population", POPULATIONS)
def test_margins_match_the_questionnaire_codes(population):
    margins = load_margins(population)
    questionnaire = default_questionnaires()[population]

    for variable, targets in margins.targets().items():
        scale = questionnaire.scale_of(questionnaire.item(variable))
        assert scale is not None
        assert set(targets) == {str(code) for code in scale.codes(missing=False)}
        assert sum(targets.values()) == pytest.approx(1)


def test_public_margins_carry_their_sources():
    margins = load_margins("public")

    assert margins.population_total == 51_340_000
    assert margins.variables["sex"].targets == {"F": 0.524, "M": 0.476}
    assert margins.source(margins.variables["region"].source).url.startswith("https://insee.fr")
    assert len(margins.digest) == 64


def test_targets_that_do_not_sum_to_one_are_refused(tmp_path):
    text = (MARGINS_DIR / "elected-officials.yaml").read_text(encoding="utf-8")
    (tmp_path / "elected-officials.yaml").write_text(text.replace("lt1000: 0.713", "lt1000: 0.8"))

    with pytest.raises(DataFileError) as caught:
        load_margins("elected-officials", tmp_path)

    assert caught.value.message("en").startswith("Targets sum to 1.087, not 1")
    assert caught.value.location.file == "elected-officials.yaml"
