"""Scoring: every formula by hand, levers, overall, balance, answers refused with a reason."""

from __future__ import annotations

import math

import pytest

from alliance.diagnostic import default_instrument, score, validate_answers
from alliance.errors import DiagnosticError

pytestmark = pytest.mark.unit

INSTRUMENT = default_instrument()


def only(profile: str = "associations", **answers):
    return score(INSTRUMENT, profile, answers)


@pytest.mark.parametrize(("answer", "expected"), [(1, 0.0), (3, 50.0), (5, 100.0)])
def test_scale(answer, expected):
    assert only(skills=answer).questions["skills"] == expected


def test_mix_is_the_evenness_of_the_shares():
    even = only(
        revenue_mix={"financement_public": 34, "financement_prive": 33, "revenus_activites": 33}
    )
    single = only(revenue_mix={"financement_public": 100})
    two = only(revenue_mix={"financement_public": 50, "financement_prive": 50})

    entropy = -(0.34 * math.log(0.34) + 2 * 0.33 * math.log(0.33))
    assert even.questions["revenue_mix"] == pytest.approx(entropy / math.log(3) * 100)
    assert single.questions["revenue_mix"] == 0.0
    assert two.questions["revenue_mix"] == pytest.approx(math.log(2) / math.log(3) * 100)


@pytest.mark.parametrize(("share", "expected"), [(10, 100.0), (20, 100.0), (60, 50.0), (100, 0.0)])
def test_dependence_on_the_largest_funder(share, expected):
    assert only(largest_funder=share).questions["largest_funder"] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("reserves_months", 3, 50.0), ("reserves_months", 12, 100.0),
        ("investment_share", 15, 50.0), ("investment_share", 45, 100.0),
        ("partnership_count", 2, 40.0), ("partnership_count", 9, 100.0),
        ("evaluated_share", 35, 35.0),
        ("partnership_categories", ["mecenat", "innovation_societale"], 50.0),
    ],
)  # fmt: skip
def test_saturating_and_linear_rules(question, answer, expected):
    assert only(**{question: answer}).questions[question] == pytest.approx(expected)


def test_levers_overall_and_balance():
    scores = only(skills=5, engagement=5, reserves_months=3, strategic=1)

    assert scores.levers == {
        "richesses_humaines": 100.0,
        "ressources_financieres": 50.0,
        "alliances": 0.0,
    }
    assert scores.overall == pytest.approx(50.0)
    assert scores.balance == pytest.approx(0.0)
    assert scores.weakest == "alliances"


def test_balance_needs_the_three_levers():
    scores = only(skills=4)

    assert scores.levers["alliances"] is None
    assert scores.balance is None
    assert scores.overall == pytest.approx(75.0)


def test_blank_answers_are_left_out():
    assert (
        validate_answers(INSTRUMENT, "associations", {"skills": "", "partnership_categories": []})
        == {}
    )


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"skills": 6}, "Invalid answer to 'skills' (expected: scale in [1, 5])"),
        ({"skills": 2.5}, "Invalid answer to 'skills' (expected: scale in [1, 5])"),
        ({"largest_funder": "beaucoup"}, "Invalid answer to 'largest_funder' (expected: a number)"),
        ({"people_mix": {"benevoles": 60, "salaries": 60}},
         "Invalid answer to 'people_mix' (expected: shares ≥ 0 summing to 100)"),
        ({"partnership_categories": ["amitie"]},
         "Invalid answer to 'partnership_categories' (expected: cooperation_economique, "
         "innovation_societale, mecenat, pratiques_responsables)"),
        ({"nothing": 1}, "Unknown question for this profile: 'nothing'"),
    ],
)  # fmt: skip
def test_invalid_answers_name_the_question(answers, message):
    with pytest.raises(DiagnosticError) as caught:
        validate_answers(INSTRUMENT, "associations", answers)

    assert caught.value.message("en").startswith(message)


def test_decimal_commas_are_numbers():
    assert validate_answers(INSTRUMENT, "associations", {"reserves_months": "2,5"}) == {
        "reserves_months": 2.5
    }
