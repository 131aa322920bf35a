"""Publishing results: a version per change, nothing for the same results, checked first."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from django.utils import timezone

from alliance.errors import DataFileError
from alliance.study.results import Result
from alliance.web.results.models import BenchmarkReference, Estimate, Study, StudyVersion
from alliance.web.results.publishing import publish
from tests.web.studies import SYNTHETIC, changed, observed_study, references, synthetic_study

pytestmark = pytest.mark.integration


def test_the_session_published_each_study_once(db):
    assert list(StudyVersion.objects.values_list("study__code", "number")) == [
        ("barometre-2024", 1), ("impact-demo", 1),
    ]  # fmt: skip


def test_publishing_the_same_results_again_changes_nothing(db):
    current = StudyVersion.objects.get(study__code=SYNTHETIC)

    version, created = publish(synthetic_study(), source="elsewhere")

    assert (version, created) == (current, False)
    assert version.source == "tests/web/studies/"
    assert StudyVersion.objects.count() == 2
    assert Estimate.objects.count() == 9 + 1


def test_changed_results_make_version_two(db):
    results = changed(synthetic_study(), title={"fr": "Nouveau titre", "en": "New title"})

    version, created = publish(results, source="out/study")

    assert created is True
    assert version.number == 2
    assert version.digest == results.digest()
    assert version.source == "out/study"
    assert version.study.title_fr == "Nouveau titre"
    assert Study.objects.get(code=SYNTHETIC).current() == version
    assert version.estimates.count() == 9
    assert version.references.count() == 8
    assert StudyVersion.objects.filter(study__code=SYNTHETIC).count() == 2  # v1 is kept
    assert publish(results) == (version, False)


def test_a_new_study_starts_at_version_one(db):
    results = changed(observed_study(), study="nouvelle-etude")

    version, created = publish(results)

    assert (version.number, created) == (1, True)
    assert version.study.code == "nouvelle-etude"
    assert version.study.title_en == "Partnerships barometer 2024"
    assert version.study.synthetic is False


def test_rows_carry_labels_published_figures_and_suppression(db):
    version = StudyVersion.objects.get(study__code=SYNTHETIC)

    segment = version.estimates.get(by="size", group="2")
    assert (segment.label_fr, segment.label_en) == ("Territoires", "Territories")
    assert (segment.group_label_fr, segment.group_label_en) == ("Grandes", "Large")
    assert segment.fragile is True
    published = version.estimates.get(population="associations", wave="2022", by="",
                                      variable="impact_territories")  # fmt: skip
    assert published.published == pytest.approx(0.56)
    assert published.published_source == "Carnet, figure 3"
    assert version.estimates.exclude(published=None).count() == 1
    hidden = version.estimates.get(suppressed=True)
    assert (hidden.population, hidden.wave, hidden.n) == ("companies", "2022", 7)
    assert [hidden.estimate, hidden.se, hidden.ci_low, hidden.ci_high] == [None] * 4
    assert list(version.estimates.values_list("position", flat=True)) == list(range(9))


def test_benchmark_references_are_kept_per_version(db):
    version = StudyVersion.objects.get(study__code=SYNTHETIC)

    stored = BenchmarkReference.objects.filter(version=version)
    assert sorted(stored.values_list("population", "item")) == sorted(
        (r["population"], r["item"]) for r in references("associations") + references("companies")
    )
    assert (
        stored.get(population="companies", item="partnership_count").data
        == (references("companies")[0])
    )


def test_a_suppressed_result_loses_its_values_and_nan_becomes_none(db):
    results = synthetic_study()
    leaky = Result("companies", "2022", "impact_jobs", "share", 0.9, 0.1, 0.7, 1.0, 7,
                   fragile=False, suppressed=True)  # fmt: skip
    odd = Result("companies", "2018", "impact_jobs", "share", math.nan, math.inf, None, None, 28,
                 fragile=True)  # fmt: skip

    version, _ = publish(changed(results, estimates=[leaky, odd]))

    first, second = version.estimates.all()
    assert [first.estimate, first.se, first.ci_low, first.ci_high] == [None] * 4
    assert (second.estimate, second.se) == (None, None)


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"study": "not a slug"}, "publish.invalid_code"),
        ({"study": "x" * 65}, "publish.invalid_code"),
        ({"title": {"fr": "t" * 301, "en": "t"}}, "publish.too_long"),
        ({"benchmark": [{"population": "associations"}]}, "publish.invalid_reference"),
        ({"benchmark": references("companies")[:1] * 2}, "publish.invalid_reference"),
    ],
)
def test_invalid_results_change_nothing(db, fields, key):
    with pytest.raises(DataFileError) as raised:
        publish(changed(synthetic_study(), **fields))

    assert raised.value.key == key
    assert StudyVersion.objects.count() == 2


def test_an_estimate_of_an_undescribed_population_is_refused(db):
    results = synthetic_study()
    stray = Result("martians", "2022", "x", "share", 0.5, 0.1, 0.3, 0.7, 100, fragile=False)

    with pytest.raises(DataFileError) as raised:
        publish(changed(results, estimates=[*results.estimates, stray]))

    assert raised.value.key == "publish.unknown_population"
    assert "'martians'" in raised.value.message("en")


def test_a_population_code_must_fit_an_address(db):
    results = synthetic_study()
    population = replace(results.populations[0], population="les associations")

    with pytest.raises(DataFileError) as raised:
        publish(changed(results, populations=[population], estimates=[]))

    assert raised.value.message("fr").startswith("Code inutilisable dans une adresse")


def test_results_equal_to_a_withdrawn_version_are_published_again_as_a_new_one(db):
    results = changed(synthetic_study(), title={"fr": "Nouveau titre", "en": "New title"})
    second, _ = publish(results)
    StudyVersion.objects.filter(pk=second.pk).update(withdrawn_at=timezone.now())

    assert publish(synthetic_study())[1] is False  # version 1 is current again, unchanged
    third, created = publish(results)

    assert (third.number, created) == (3, True)
    assert Study.objects.get(code=SYNTHETIC).current() == third
