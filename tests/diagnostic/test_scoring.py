"""Scoring: every formula by hand, levers, overall, balance, answers refused with a reason."""

from __future__ import annotations

import math

import pytest

from alliance.diagnostic import default_instrument, score, validate_answers
from alliance.diagnostic.instrument import NUMERIC
from alliance.diagnostic.scoring import default_scoring, rules_for, usable_answers
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


SCALE = "a whole number from 1 to 5 is needed"
PERCENT = "a percentage from 0 to 100 is needed"
PEOPLE_MIX = (
    "shares in % of benevoles, salaries, volontaires are needed, not negative, summing to 100"
)
CATEGORIES = (
    "possible categories: cooperation_economique, innovation_societale, mecenat, "
    "pratiques_responsables"
)


@pytest.mark.parametrize(
    ("answers", "key", "message"),
    [
        ({"skills": 6}, "diagnostic.out_of_bounds",
         "Invalid answer to 'skills': 6 is outside the plausible values, 1 to 5; the scale ends "
         "at 5 (fully) (field 'skills', value 6)"),
        ({"skills": 2.5}, "diagnostic.invalid_scale",
         f"Invalid answer to 'skills': {SCALE} (field 'skills', value 2.5)"),
        ({"largest_funder": "beaucoup"}, "diagnostic.invalid_percent",
         f"Invalid answer to 'largest_funder': {PERCENT} "
         "(field 'largest_funder', value 'beaucoup')"),
        ({"largest_funder": 120}, "diagnostic.out_of_bounds",
         "Invalid answer to 'largest_funder': 120 is outside the plausible values, 0 to 100; a "
         "share never exceeds the whole (field 'largest_funder', value 120)"),
        ({"reserves_months": -1}, "diagnostic.out_of_bounds",
         "Invalid answer to 'reserves_months': -1 is outside the plausible values, 0 to 120; "
         "reserves cannot cover fewer than zero months; an accumulated deficit is answered 0 "
         "(field 'reserves_months', value -1)"),
        ({"reserves_months": 1e30}, "diagnostic.out_of_bounds",
         "Invalid answer to 'reserves_months': 1e+30 is outside the plausible values, 0 to 120; "
         "beyond ten years of activity it is an endowment rather than reserves; a larger number "
         "is nearly always an amount in euros typed instead of months "
         "(field 'reserves_months', value 1e+30)"),
        ({"partnership_count": "501"}, "diagnostic.out_of_bounds",
         "Invalid answer to 'partnership_count': 501 is outside the plausible values, 0 to 500; "
         "beyond 500 active partnerships the answer most likely counts donors, customers or "
         "suppliers, which the questionnaire does not count as partners "
         "(field 'partnership_count', value '501')"),
        ({"partnership_count": 2.5}, "diagnostic.invalid_count",
         "Invalid answer to 'partnership_count': a whole number of 0 or more is needed "
         "(field 'partnership_count', value 2.5)"),
        ({"people_mix": {"benevoles": 60, "salaries": 60}}, "diagnostic.invalid_mix",
         f"Invalid answer to 'people_mix': {PEOPLE_MIX} "
         "(field 'people_mix', value {'benevoles': 60, 'salaries': 60})"),
        ({"people_mix": {"amis": 100}}, "diagnostic.invalid_mix",
         f"Invalid answer to 'people_mix': {PEOPLE_MIX} "
         "(field 'people_mix', value {'amis': 100})"),
        ({"people_mix": 100}, "diagnostic.invalid_mix",
         f"Invalid answer to 'people_mix': {PEOPLE_MIX} (field 'people_mix', value 100)"),
        ({"partnership_categories": ["amitie"]}, "diagnostic.invalid_categories",
         f"Invalid answer to 'partnership_categories': {CATEGORIES} "
         "(field 'partnership_categories', value ['amitie'])"),
        ({"nothing": 1}, "diagnostic.question_unknown",
         "Unknown question for this profile: 'nothing' (field 'nothing')"),
    ],
)  # fmt: skip
def test_invalid_answers_name_the_question(answers, key, message):
    with pytest.raises(DiagnosticError) as caught:
        validate_answers(INSTRUMENT, "associations", answers)

    assert caught.value.key == key
    assert caught.value.message("en") == message


def test_the_reason_is_in_french_too():
    with pytest.raises(DiagnosticError) as caught:
        validate_answers(INSTRUMENT, "associations", {"skills": 9})

    assert caught.value.message("fr") == (
        "Réponse invalide à 'skills' : 9 est hors des valeurs plausibles, de 1 à 5 ; l'échelle "
        "s'arrête à 5 (tout à fait) (champ 'skills', valeur 9)"
    )


NOT_FINITE_NUMBERS = pytest.mark.parametrize(
    ("value", "shown"),
    [("nan", "'nan'"), ("inf", "'inf'"), ("-inf", "'-inf'"), (math.nan, "nan"),
     (math.inf, "inf"), (True, "True"), ([50], "[50]"), ("beaucoup", "'beaucoup'")],
    ids=["nan", "inf", "-inf", "float-nan", "float-inf", "true", "list", "beaucoup"],
)  # fmt: skip


@NOT_FINITE_NUMBERS
def test_a_share_that_is_not_a_finite_number_is_refused(value, shown):
    mix = {"benevoles": value, "salaries": 50, "volontaires": 50}

    with pytest.raises(DiagnosticError) as caught:
        validate_answers(INSTRUMENT, "associations", {"people_mix": mix})

    assert caught.value.key == "diagnostic.invalid_mix"
    assert caught.value.message("en") == (
        f"Invalid answer to 'people_mix': {PEOPLE_MIX} (field 'people_mix', "
        f"value {{'benevoles': {shown}, 'salaries': 50, 'volontaires': 50}})"
    )


@NOT_FINITE_NUMBERS
def test_a_percent_that_is_not_a_finite_number_is_refused(value, shown):
    with pytest.raises(DiagnosticError) as caught:
        validate_answers(INSTRUMENT, "associations", {"largest_funder": value})

    assert caught.value.key == "diagnostic.invalid_percent"
    assert caught.value.message("en") == (
        f"Invalid answer to 'largest_funder': {PERCENT} (field 'largest_funder', value {shown})"
    )


@pytest.mark.parametrize("value", [True, False])
def test_booleans_are_not_numbers(value):
    with pytest.raises(DiagnosticError) as caught:
        validate_answers(INSTRUMENT, "associations", {"skills": value})

    assert caught.value.key == "diagnostic.invalid_scale"


def test_a_false_share_is_refused_like_a_true_one():
    mix = {"benevoles": False, "salaries": 50, "volontaires": 50}

    with pytest.raises(DiagnosticError) as caught:
        validate_answers(INSTRUMENT, "associations", {"people_mix": mix})

    assert caught.value.key == "diagnostic.invalid_mix"


@pytest.mark.parametrize("value", [[["mecenat"]], {"mecenat": True}], ids=["list", "dict"])
def test_categories_that_are_not_codes_are_refused(value):
    with pytest.raises(DiagnosticError) as caught:
        validate_answers(INSTRUMENT, "associations", {"partnership_categories": value})

    assert caught.value.key == "diagnostic.invalid_categories"


def test_decimal_commas_are_numbers():
    assert validate_answers(INSTRUMENT, "associations", {"reserves_months": "2,5"}) == {
        "reserves_months": 2.5
    }


@pytest.mark.parametrize("question", [q for q in INSTRUMENT.questions if q.type in NUMERIC])
def test_every_numeric_question_has_bounds_with_reasons_in_both_languages(question):
    assert question.bounds is not None
    assert question.bounds.min.value < question.bounds.max.value
    for bound in (question.bounds.min, question.bounds.max):
        assert bound.reason.fr != bound.reason.en


@pytest.mark.parametrize(("value", "kept"), [(0, 0.0), (120, 120.0), ("119,5", 119.5)])
def test_reserves_up_to_ten_years_are_plausible(value, kept):
    assert validate_answers(INSTRUMENT, "associations", {"reserves_months": value}) == {
        "reserves_months": kept
    }


def test_stored_answers_that_no_longer_fit_are_left_out_of_the_scores():
    stored = {"reserves_months": 1e30, "skills": 5, "largest_funder": "beaucoup"}

    assert usable_answers(INSTRUMENT, "associations", stored) == {"skills": 5}
    assert score(INSTRUMENT, "associations", stored).questions == {"skills": 100.0}


# rules as data -------------------------------------------------------------------------------


def test_every_question_has_a_rule_with_status_sources_and_an_explanation_in_both_languages():
    scoring = default_scoring()
    assert scoring.status == "inferred"
    for profile in ("associations", "entreprises", "fondations", "institutions"):
        for question, rule in rules_for(INSTRUMENT, profile):
            assert rule.applies_to(question)
            assert rule.status == "inferred"
            assert rule.sources
            assert rule.explanation.fr != rule.explanation.en


@pytest.mark.parametrize(
    ("question", "kind", "parameters"),
    [
        ("largest_funder", "decreasing", {"threshold": 20.0}),
        ("reserves_months", "saturating", {"target": 6.0}),
        ("investment_share", "saturating", {"target": 30.0}),
        ("partnership_count", "saturating", {"target": 5.0}),
        ("skills", "linear", {"low": 1.0, "high": 5.0}),
        ("revenue_mix", "evenness", {}),
        ("partnership_categories", "chosen", {"of": 4.0}),
        ("evaluated_share", "identity", {}),
        ("volunteer_count", "unscored", {}),
        ("main_resource", "unscored", {}),
    ],
)
def test_each_question_s_rule_comes_from_the_yaml(question, kind, parameters):
    asked = {q.code: q for q in INSTRUMENT.for_profile("associations")}
    rule = default_scoring().rule(asked[question])

    assert (rule.kind, rule.parameters) == (kind, parameters)


def test_benchmark_only_answers_count_in_no_lever_score():
    scores = only(volunteer_count=40, main_resource="dons", skills=5)

    assert scores.questions == {"skills": 100.0}
    assert scores.levers["ressources_financieres"] is None
    assert scores.levers["richesses_humaines"] == 100.0


def test_a_main_resource_must_be_one_of_the_question_s_parts():
    with pytest.raises(DiagnosticError) as raised:
        validate_answers(INSTRUMENT, "associations", {"main_resource": "loterie"})

    assert raised.value.message("en") == (
        "Invalid answer to 'main_resource': possible answers: subventions, commande_publique, "
        "cotisations, dons, mecenat, prestations_privees (field 'main_resource', value 'loterie')"
    )


RULE = """
  - {where}
    kind: {kind}
    parameters: {parameters}
    status: inferred
    sources: [reconstruction]
    explanation: {{fr: une règle, en: a rule}}
"""


def write_rules(tmp_path, *rules: str):
    path = tmp_path / "scoring.yaml"
    path.write_text(
        'scoring: x\nversion: "1"\nstatus: inferred\nsources: [reconstruction]\nrules:'
        + "".join(rules),
        encoding="utf-8",
    )
    return path


def every_type() -> list[str]:
    kinds = {"scale": ("linear", "{low: 1, high: 5}"), "mix": ("evenness", "{}"),
             "categories": ("chosen", "{of: 4}"), "percent": ("identity", "{}"),
             "number": ("identity", "{}"), "count": ("identity", "{}"),
             "choice": ("unscored", "{}")}  # fmt: skip
    return [RULE.format(where=f"type: {t}", kind=k, parameters=p) for t, (k, p) in kinds.items()]


def test_rules_of_another_file_are_read(tmp_path):
    scoring = default_scoring(write_rules(tmp_path, *every_type()))

    assert len(scoring.rules) == 7


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([RULE.format(where="question: skills", kind="saturating", parameters="{goal: 3}")],
         "The scoring rule of 'skills' (kind 'saturating') must have exactly the parameters: "
         "target"),
        ([RULE.format(where="question: nothing", kind="identity", parameters="{}")],
         "A scoring rule must name either a question of the instrument or a question type "
         "(question: 'nothing')"),
        ([], "Question 'people_mix' has no scoring rule (neither by its code nor for its type)"),
    ],
)  # fmt: skip
def test_a_wrong_rule_is_refused_by_name(tmp_path, rules, message):
    types = [r for r in every_type() if "type: mix" not in r] if not rules else every_type()
    with pytest.raises(DiagnosticError) as raised:
        default_scoring(write_rules(tmp_path, *rules, *types))

    assert raised.value.message("en") == message
