"""Synthetic waves: deterministic, biased as planned, drawn to the published targets."""

from __future__ import annotations

import pytest

from alliance.demo.delivery import MARGINS_DIR, PLANS
from alliance.demo.simulation import simulate_wave, target_of
from alliance.referential import default_referential
from alliance.study.margins import load_margins
from alliance.survey.questionnaire import default_questionnaires

pytestmark = pytest.mark.unit

PUBLIC = PLANS[0]


def wave(year: int):
    questionnaire = default_questionnaires()["public"]
    margins = load_margins(MARGINS_DIR / f"{PUBLIC.margins}.yaml")
    return simulate_wave(PUBLIC, questionnaire, margins, default_referential(), year)


def test_same_seed_same_sample():
    first, _ = wave(2022)
    second, _ = wave(2022)

    assert first.equals(second)
    assert first.height == 1000
    assert first["respondent_id"][0] == "P2022-00000"


def test_targets_are_the_published_figures_in_2022_only():
    _, targets_2022 = wave(2022)
    _, targets_2018 = wave(2018)

    assert targets_2022["impact_territories"].share == pytest.approx(0.56)
    assert targets_2022["impact_territories"].published is True
    assert targets_2018["impact_territories"].share == pytest.approx(0.52)
    assert targets_2018["impact_territories"].published is False


def test_sample_is_biased_towards_the_young():
    sample, _ = wave(2022)

    young = (sample["age"] == "18-24").mean()

    assert young == pytest.approx(0.16, abs=0.03)  # 10.3 % in the population, over-sampled


def test_answers_use_the_scale_with_some_dont_know():
    sample, _ = wave(2022)

    codes = set(sample["impact_people"].unique().to_list())

    assert codes == {1, 2, 3, 4, 9}
    assert (sample["impact_people"] == 9).mean() == pytest.approx(0.04, abs=0.02)


def test_unpublished_items_use_illustrative_targets():
    plan = PLANS[2]  # companies
    item = default_questionnaires()["companies"].item("impact_own_performance")

    target = target_of(item, plan, default_referential(), 2022)

    assert (target.share, target.published, target.figure) == (0.58, False, None)
