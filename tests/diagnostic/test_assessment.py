"""The assessment: scores, each lever's benchmark or why there is none, next steps, built once."""

from __future__ import annotations

import pytest

from alliance.diagnostic import default_instrument, next_steps, score
from alliance.diagnostic.assessment import LeverBenchmark, assess
from alliance.diagnostic.benchmark import Interval, Reference

pytestmark = pytest.mark.unit

INSTRUMENT = default_instrument()
NO_ITEM_FR = (
    "Le questionnaire de l'étude ne pose pas à votre population de question comparable sur ce "
    "levier : pas de comparaison plutôt qu'une comparaison avec une autre mesure."
)


def references(population: str) -> list[Reference]:
    return [
        Reference(population, "volunteer_count", "count", 2022,
                  {"mean": Interval(12.0, 10.0, 14.0, 300)}, [(5.0, 0.4), (20.0, 1.0)]),
        Reference(population, "main_resource", "choice", 2022,
                  {"subventions": Interval(0.45, 0.4, 0.5, 300)}),
        Reference(population, "partnership_count", "count", 2022,
                  {"mean": Interval(3.0, 2.5, 3.5, 300)}, [(1.0, 0.5), (5.0, 1.0)]),
    ]  # fmt: skip


ANSWERS = {"volunteer_count": 5, "main_resource": "subventions", "partnership_count": 1,
           "skills": 3, "reserves_months": 3}  # fmt: skip


def test_an_association_is_compared_on_each_of_the_three_levers():
    found = assess(
        INSTRUMENT, ["associations"], ANSWERS, references("associations"),
        sheet_profile="associations", categories_used=[],
    )  # fmt: skip

    assert found.population == "associations"
    assert [(lever.lever, [s.question for s in lever.standings], lever.missing)
            for lever in found.levers] == [
        ("richesses_humaines", ["volunteer_count"], None),
        ("ressources_financieres", ["main_resource"], None),
        ("alliances", ["partnership_count"], None),
    ]  # fmt: skip
    assert [s.question for s in found.standings] == [
        "volunteer_count", "main_resource", "partnership_count",
    ]  # fmt: skip
    assert found.levers[0].standings[0].below == 0.2
    assert found.levers[0].note("fr") == ""


def test_scores_and_steps_are_those_of_the_core_and_benchmark_only_answers_are_not_scored():
    found = assess(
        INSTRUMENT, ["associations"], ANSWERS, references("associations"),
        sheet_profile="associations", categories_used=["mecenat"],
    )  # fmt: skip

    expected = score(INSTRUMENT, "associations", ANSWERS)
    assert found.scores == expected
    assert found.scores.levers == {
        "richesses_humaines": 50.0, "ressources_financieres": 50.0, "alliances": 20.0,
    }  # fmt: skip
    assert "volunteer_count" not in found.scores.questions
    assert "main_resource" not in found.scores.questions
    assert found.steps == next_steps(expected, "associations", categories_used=["mecenat"])


def test_a_company_s_population_asks_nothing_comparable_on_two_levers_and_says_so():
    companies = [r for r in references("companies") if r.item == "partnership_count"]

    found = assess(
        INSTRUMENT, ["pme", "entreprises"], {"partnership_count": 1}, companies,
        sheet_profile="entreprises",
    )  # fmt: skip

    assert found.population == "companies"
    assert [(lever.lever, lever.missing) for lever in found.levers] == [
        ("richesses_humaines", "no_item"),
        ("ressources_financieres", "no_item"),
        ("alliances", None),
    ]
    assert found.levers[0].note("fr") == NO_ITEM_FR
    assert found.levers[1].note("en") == (
        "The study's questionnaire asks your population no comparable question on this lever: "
        "no comparison rather than one with a different measure."
    )


def test_no_published_study_and_no_population_are_said_on_every_lever():
    unpublished = assess(
        INSTRUMENT, ["associations"], ANSWERS, references("companies"),
        sheet_profile="associations",
    )  # fmt: skip
    academic = assess(INSTRUMENT, ["academiques"], {}, [], sheet_profile="academiques")

    assert {lever.missing for lever in unpublished.levers} == {"no_study"}
    assert unpublished.standings == []
    assert unpublished.levers[0].note("en") == (
        "No study of your reference population is published yet: no comparison."
    )
    assert academic.population is None
    assert academic.levers == [
        LeverBenchmark(lever, [], "no_population")
        for lever in ("richesses_humaines", "ressources_financieres", "alliances")
    ]
    assert academic.levers[2].note("fr") == (
        "Aucune étude de référence ne couvre votre profil : pas de comparaison."
    )
