"""Benchmark: mid-rank percentiles, study references of one wave, standings per profile."""

from __future__ import annotations

import json

import polars as pl
import pytest

from alliance.diagnostic import default_instrument
from alliance.diagnostic.benchmark import Interval, Reference, Standing, standings, study_references
from alliance.errors import SurveyError
from alliance.survey import Design, mean, share

pytestmark = pytest.mark.unit

# Weighted shares of organisations answering at most 1, 3 and 8 partnerships: weights 1, 6, 1.
COUNTS = Reference(
    population="companies",
    item="partnership_count",
    kind="count",
    wave=2022,
    values={"mean": Interval(3.375, 2.5, 4.25, 4)},
    distribution=[(1.0, 0.125), (3.0, 0.875), (8.0, 1.0)],
    synthetic=True,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0.0),  # below every answer
        (1, 0.0625),  # equal to the first point: half of its 0.125
        (2, 0.125),  # between two points: everything below
        (3, 0.5),  # 0.125 below, half of the 0.75 tied
        (5, 0.875),
        (8, 0.9375),  # the last point: 0.875 below, half of the 0.125 tied
        (9, 1.0),  # above every answer
    ],
)
def test_below_is_the_weighted_mid_rank_share(value, expected):
    assert COUNTS.below(value) == expected


def test_below_without_distribution_is_zero():
    reference = Reference("companies", "partnership_count", "count", 2022, {}, [])

    assert reference.below(3) == 0.0


def test_reference_is_plain_data_and_comes_back_whole():
    data = COUNTS.to_dict()

    assert data == {
        "population": "companies",
        "item": "partnership_count",
        "kind": "count",
        "wave": 2022,
        "values": {"mean": {"estimate": 3.375, "low": 2.5, "high": 4.25, "n": 4}},
        "distribution": [[1.0, 0.125], [3.0, 0.875], [8.0, 1.0]],
        "synthetic": True,
    }
    assert Reference.from_dict(data) == COUNTS
    assert Reference.from_dict(json.loads(json.dumps(data))) == COUNTS


def test_categories_reference_round_trips_without_distribution():
    reference = Reference(
        "elected-officials",
        "partnership_categories",
        "categories",
        2018,
        {"mecenat": Interval(0.6, 0.4, 0.8, 5), "innovation_societale": Interval(0.5, 0.3, 0.7, 5)},
    )

    data = reference.to_dict()

    assert data["distribution"] == []
    assert data["synthetic"] is False
    assert list(data["values"]) == ["mecenat", "innovation_societale"]
    assert Reference.from_dict(json.loads(json.dumps(data))) == reference


def study_frame() -> pl.DataFrame:
    """Two waves, interleaved; wave 2022 weighs 1, 2, 4, 2, 1 (10 in all)."""
    return pl.DataFrame(
        {
            "wave": [2022, 2018, 2022, 2018, 2022, 2022, 2018, 2022],
            "w": [1.0, 1.0, 2.0, 1.0, 4.0, 2.0, 2.0, 1.0],
            "partnership_count": [1, 0, 3, 5, 3, None, 2, 8],
            "partnerships_evaluated": [1, 1, None, 1, 2, 1, 2, 2],
            "partnership_categories.mecenat": [1, 0, 0, 0, 1, 0, 1, 1],
            "partnership_categories.innovation_societale": [0, 1, 1, 0, 0, 1, 0, 1],
        }
    )


def in_wave(estimates, wave):
    estimate = next(e for e in estimates if e.group == wave)
    low, high = estimate.ci()
    return Interval(estimate.estimate, low, high, estimate.n)


def test_references_are_the_survey_estimates_of_the_chosen_wave():
    design = Design.from_frame(study_frame(), weights="w")

    references = study_references(design, "companies", wave=2022, synthetic=True)

    by_item = {r.item: r for r in references}
    assert [r.item for r in references] == [
        "partnership_count",
        "partnerships_evaluated",
        "partnership_categories",
    ]
    assert [r.kind for r in references] == ["count", "yes_no", "categories"]
    assert {(r.population, r.wave, r.synthetic) for r in references} == {("companies", 2022, True)}
    count = by_item["partnership_count"]
    assert count.values == {"mean": in_wave(mean(design, "partnership_count", by="wave"), 2022)}
    evaluated = by_item["partnerships_evaluated"]
    assert evaluated.values == {
        "yes": in_wave(share(design, "partnerships_evaluated", [1], by="wave"), 2022)
    }
    assert evaluated.distribution == []
    categories = by_item["partnership_categories"]
    assert categories.values == {
        "mecenat": in_wave(share(design, "partnership_categories.mecenat", [1], by="wave"), 2022),
        "innovation_societale": in_wave(
            share(design, "partnership_categories.innovation_societale", [1], by="wave"), 2022
        ),
    }
    assert categories.distribution == []


def test_reference_estimates_by_hand():
    design = Design.from_frame(study_frame(), weights="w")

    by_item = {r.item: r for r in study_references(design, "companies", wave=2022, synthetic=False)}

    # (1×1 + 3×2 + 3×4 + 8×1) / 8, the row without a count left out.
    count = by_item["partnership_count"].values["mean"]
    assert (count.estimate, count.n) == (pytest.approx(3.375), 4)
    assert count.low < 3.375 < count.high
    evaluated = by_item["partnerships_evaluated"].values["yes"]
    assert (evaluated.estimate, evaluated.n) == (pytest.approx(3 / 8), 4)
    assert 0 < evaluated.low < 3 / 8 < evaluated.high < 1
    categories = by_item["partnership_categories"].values
    assert (categories["mecenat"].estimate, categories["mecenat"].n) == (pytest.approx(0.6), 5)
    assert (
        categories["innovation_societale"].estimate,
        categories["innovation_societale"].n,
    ) == (pytest.approx(0.5), 5)
    assert by_item["partnership_count"].synthetic is False


def test_distribution_is_the_weighted_cumulative_share_of_the_wave_only():
    design = Design.from_frame(study_frame(), weights="w")

    latest = study_references(design, "companies", wave=2022, synthetic=True)[0]
    earlier = study_references(design, "companies", wave=2018, synthetic=True)[0]

    # 2022: 1 (weight 1), 3 (2 + 4), 8 (1); the unanswered row (weight 2) is left out.
    assert latest.distribution == [(1.0, 0.125), (3.0, 0.875), (8.0, 1.0)]
    # 2018: 0 (weight 1), 2 (2), 5 (1).
    assert earlier.distribution == [(0.0, 0.25), (2.0, 0.75), (5.0, 1.0)]
    assert earlier.wave == 2018
    assert earlier.values["mean"].estimate == pytest.approx(9 / 4)
    assert latest.below(3) == 0.5


def test_items_absent_from_the_study_have_no_reference():
    frame = study_frame().select(
        "wave",
        "w",
        "partnership_count",
        pl.col("partnerships_evaluated").alias("evaluated"),
        pl.col("partnership_categories.mecenat").alias("partnership_categories"),
        pl.col("partnership_categories.innovation_societale").alias("categories.mecenat"),
    )
    design = Design.from_frame(frame, weights="w")

    references = study_references(design, "associations", wave=2022, synthetic=False)

    assert [(r.population, r.item) for r in references] == [("associations", "partnership_count")]


def test_a_study_without_any_item_has_no_reference():
    frame = study_frame().select(
        "wave", "w", pl.col("partnerships_evaluated").alias("partnerships_evaluated_share")
    )
    design = Design.from_frame(frame, weights="w")

    assert study_references(design, "associations", wave=2022, synthetic=False) == []


def test_categories_alone_and_a_wave_column_of_another_name():
    frame = (
        study_frame().rename({"wave": "vague"}).drop("partnership_count", "partnerships_evaluated")
    )
    design = Design.from_frame(frame, weights="w")

    references = study_references(
        design, "foundations", wave=2018, wave_column="vague", synthetic=False
    )

    assert [r.item for r in references] == ["partnership_categories"]
    assert list(references[0].values) == ["mecenat", "innovation_societale"]
    # 2018 weighs 1, 1, 2: mécénat for the last one, innovation sociétale for the first.
    assert references[0].values["mecenat"].estimate == pytest.approx(0.5)
    assert references[0].values["innovation_societale"].estimate == pytest.approx(0.25)
    assert references[0].values["mecenat"].n == 3


def references_of(population: str) -> list[Reference]:
    return [
        Reference(
            population,
            "partnership_count",
            "count",
            2022,
            {"mean": Interval(3.375, 2.5, 4.25, 4)},
            [(1.0, 0.125), (3.0, 0.875), (8.0, 1.0)],
        ),
        Reference(
            population,
            "partnership_categories",
            "categories",
            2022,
            {"mecenat": Interval(0.6, 0.4, 0.8, 5)},
        ),
        Reference(
            population,
            "partnerships_evaluated",
            "yes_no",
            2022,
            {"yes": Interval(0.375, 0.2, 0.6, 4)},
        ),
    ]


REFERENCES = [*references_of("associations"), *references_of("companies"),
              *references_of("elected-officials")]  # fmt: skip


def test_a_company_is_compared_with_companies_question_by_question():
    companies = {r.item: r for r in references_of("companies")}

    found = standings(
        default_instrument(),
        ["pme", "entreprises"],
        {"partnership_count": 3, "partnership_categories": ["mecenat"], "skills": 4},
        REFERENCES,
    )

    assert found == [
        Standing("partnership_count", 3, companies["partnership_count"], 0.5),
        Standing("partnership_categories", ["mecenat"], companies["partnership_categories"], None),
        Standing("evaluated_share", None, companies["partnerships_evaluated"], None),
    ]


def test_a_local_authority_is_compared_with_elected_officials():
    found = standings(
        default_instrument(),
        ["collectivites_territoriales", "institutions"],
        {"partnership_count": 9, "evaluated_share": 40.0},
        REFERENCES,
    )

    assert [s.reference.population for s in found] == ["elected-officials"] * 3
    assert [(s.question, s.value, s.below) for s in found] == [
        ("partnership_count", 9, 1.0),
        ("partnership_categories", None, None),
        ("evaluated_share", 40.0, None),
    ]


def test_a_profile_without_a_study_population_has_no_standing():
    found = standings(
        default_instrument(), ["etat", "institutions"], {"partnership_count": 3}, REFERENCES
    )

    assert found == []


def test_an_unanswered_count_has_no_share_below():
    found = standings(default_instrument(), ["entreprises"], {}, REFERENCES)

    assert [(s.question, s.value, s.below) for s in found] == [
        ("partnership_count", None, None),
        ("partnership_categories", None, None),
        ("evaluated_share", None, None),
    ]


def test_only_the_items_the_population_has_are_compared():
    only_counts = [r for r in REFERENCES if r.item == "partnership_count"]
    others = [r for r in REFERENCES if r.population != "companies"]

    assert [
        (s.question, s.reference.population, s.below)
        for s in standings(default_instrument(), ["entreprises"], {"partnership_count": 1},
                           only_counts)
    ] == [("partnership_count", "companies", 0.0625)]  # fmt: skip
    assert standings(default_instrument(), ["entreprises"], {"partnership_count": 1}, others) == []


def test_a_wave_the_study_does_not_have_is_a_clear_error():
    frame = pl.DataFrame(
        {"wave": [2018, 2018, 2022, 2022], "partnership_count": [1, 2, 3, 4], "w": [1.0] * 4}
    )

    with pytest.raises(SurveyError) as raised:
        study_references(Design.from_frame(frame, weights="w"), "x", wave=2030, synthetic=False)

    assert raised.value.message("en") == (
        "No non-missing answer to 'partnership_count' in domain '2030'"
    )


def test_rows_without_a_wave_stay_out_of_the_distribution():
    frame = pl.DataFrame(
        {
            "wave": [2018, 2018, None, 2022, 2022],
            "partnership_count": [1, 2, 7, 3, 5],
            "w": [1.0, 1.0, 1.0, 1.0, 3.0],
        }
    )

    (reference,) = study_references(
        Design.from_frame(frame, weights="w"), "x", wave=2022, synthetic=False
    )

    assert reference.distribution == [(3.0, 0.25), (5.0, 1.0)]


def test_the_share_of_partnerships_evaluated_answers_the_study_s_yes_no_question():
    reference = Reference("associations", "partnerships_evaluated", "yes_no", 2022, {})
    counts = Reference("associations", "partnership_count", "count", 2022, {})

    assert Standing("evaluated_share", 40, reference, None).yes is True
    assert Standing("evaluated_share", 0, reference, None).yes is False
    assert Standing("evaluated_share", None, reference, None).yes is None
    assert Standing("partnership_count", 3, counts, 0.5).yes is None


def association_frame() -> pl.DataFrame:
    """An association study: volunteers (a count) and the main resource (text codes)."""
    return pl.DataFrame(
        {
            "wave": [2022, 2022, 2022, 2022, 2018],
            "w": [1.0, 2.0, 1.0, 4.0, 1.0],
            "volunteer_count": [4, 10, None, 4, 50],
            "main_resource": ["subventions", "dons", "subventions", None, "mecenat"],
        }
    )


def test_volunteers_and_the_main_resource_are_the_human_and_financial_levers_references():
    design = Design.from_frame(association_frame(), weights="w")

    references = study_references(design, "associations", wave=2022, synthetic=True)

    volunteers, resource = references
    assert (volunteers.item, volunteers.kind) == ("volunteer_count", "count")
    assert volunteers.values["mean"].estimate == pytest.approx((4 + 20 + 16) / 7)
    assert volunteers.distribution == [(4.0, 5 / 7), (10.0, 1.0)]
    assert (resource.item, resource.kind) == ("main_resource", "choice")
    # 2022 answered: subventions (weights 1 and 1) and dons (2); the 2018 « mecenat » is not there.
    assert list(resource.values) == ["dons", "subventions"]
    assert resource.values["subventions"].estimate == pytest.approx(0.5)
    assert resource.values["dons"].estimate == pytest.approx(0.5)
    assert resource.values["dons"].n == 3
    dons = in_wave(share(design, "main_resource", ["dons"], by="wave"), 2022)
    assert resource.values["dons"] == dons
    assert resource.distribution == []
    assert Reference.from_dict(resource.to_dict()) == resource


def association_references() -> list[Reference]:
    return [
        Reference("associations", "volunteer_count", "count", 2022,
                  {"mean": Interval(12.0, 10.0, 14.0, 300)}, [(5.0, 0.4), (20.0, 1.0)]),
        Reference("associations", "main_resource", "choice", 2022,
                  {"subventions": Interval(0.45, 0.4, 0.5, 300),
                   "dons": Interval(0.1, 0.07, 0.14, 300)}),
        *references_of("associations"),
    ]  # fmt: skip


def test_an_association_is_compared_on_the_three_levers_with_the_same_questions():
    references = {r.item: r for r in association_references()}

    found = standings(
        default_instrument(),
        ["associations"],
        {"volunteer_count": 5, "main_resource": "subventions", "partnership_count": 3},
        association_references(),
    )

    assert [(s.question, s.value, s.below) for s in found] == [
        ("volunteer_count", 5, 0.2),
        ("main_resource", "subventions", None),
        ("partnership_count", 3, 0.5),
        ("partnership_categories", None, None),
        ("evaluated_share", None, None),
    ]
    assert found[1].reference == references["main_resource"]
    assert found[1].same == Interval(0.45, 0.4, 0.5, 300)


def test_a_main_resource_nobody_in_the_study_gave_has_no_share_and_other_kinds_none():
    resource = association_references()[1]

    assert Standing("main_resource", "cotisations", resource, None).same is None
    assert Standing("main_resource", None, resource, None).same is None
    assert Standing("partnership_count", 3, COUNTS, 0.5).same is None


def test_a_company_is_not_asked_the_associations_questions():
    found = standings(
        default_instrument(), ["pme", "entreprises"], {}, [
            r for r in association_references() if r.item in ("volunteer_count", "main_resource")
        ] + [Reference("companies", **{k: v for k, v in vars(r).items() if k != "population"})
             for r in association_references()[:2]],
    )  # fmt: skip

    assert found == []
