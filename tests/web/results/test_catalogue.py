"""What is published: current versions, population labels, old addresses, the benchmark study."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.utils import timezone

from alliance.web.results.catalogue import (
    benchmark_references,
    benchmark_version,
    current_version,
    current_versions,
    has_published,
    population_label,
    population_labels,
    population_redirect,
)
from alliance.web.results.models import StudyVersion
from alliance.web.results.publishing import publish
from tests.web.studies import OBSERVED, SYNTHETIC, changed, observed_study, references

pytestmark = pytest.mark.integration


def code(version: StudyVersion | None) -> str | None:
    return version.study.code if version else None


def newer_study_of_associations(*, with_references: bool = True):
    """A later study (not synthetic) with associations, labelled differently."""
    results = observed_study()
    population = replace(
        results.populations[0],
        population="associations",
        label={"fr": "Associations (baromètre)", "en": "Associations (barometer)"},
    )
    estimates = [replace(e, population="associations") for e in results.estimates]
    benchmark = [r | {"synthetic": False} for r in references("associations")]
    version, _ = publish(
        changed(results, study="barometre-2025", populations=[population], estimates=estimates,
                benchmark=benchmark if with_references else []),
    )  # fmt: skip
    return version


def test_current_versions_the_latest_published_first(db):
    assert [v.study.code for v in current_versions()] == [SYNTHETIC, OBSERVED]

    newer = newer_study_of_associations()

    assert [v.study.code for v in current_versions()] == ["barometre-2025", SYNTHETIC, OBSERVED]
    assert current_versions()[0] == newer


def test_only_the_latest_version_of_a_study_is_current(db):
    version, _ = publish(changed(observed_study(), title={"fr": "v2", "en": "v2"}))

    assert [(v.study.code, v.number) for v in current_versions()] == [
        (OBSERVED, 2), (SYNTHETIC, 1),
    ]  # fmt: skip
    assert current_version(OBSERVED) == version


def test_current_version_of_an_unknown_study_is_none(db):
    assert current_version("martians") is None


def test_population_labels_come_from_published_studies(db):
    assert population_labels("fr") == {
        "associations": "Associations", "companies": "Entreprises", "foundations": "Fondations",
    }  # fmt: skip
    assert population_label("companies", "en") == "Companies"
    assert population_label("public", "fr") == "public"  # unknown: its code


def test_the_latest_study_labels_a_population_shared_by_two(db):
    newer_study_of_associations()

    assert population_label("associations", "en") == "Associations (barometer)"
    assert population_label("companies", "en") == "Companies"


def test_old_addresses_lead_to_the_latest_study_only(db):
    found = population_redirect("associations")

    assert code(found) == SYNTHETIC
    assert population_redirect("foundations") is None
    assert population_redirect("martians") is None


def test_old_addresses_without_any_study(db):
    from alliance.web.results.models import Study

    Study.objects.all().delete()

    assert population_redirect("associations") is None


def test_benchmark_study_is_the_latest_that_covers_the_population(db):
    version = benchmark_version("associations")
    assert code(version) == SYNTHETIC
    assert benchmark_version("foundations") is None
    assert benchmark_references("foundations") == []

    newer_study_of_associations()

    newer = benchmark_version("associations")
    assert code(newer) == "barometre-2025"
    assert {r.synthetic for r in benchmark_references("associations")} == {False}
    companies = benchmark_version("companies")
    assert code(companies) == SYNTHETIC


def test_a_later_study_without_references_does_not_replace_the_benchmark(db):
    newer_study_of_associations(with_references=False)

    version = benchmark_version("associations")
    assert code(version) == SYNTHETIC


def test_references_of_the_population_in_instrument_order(db):
    found = benchmark_references("companies")

    assert [r.item for r in found] == [
        "partnership_count", "partnership_categories", "partnerships_evaluated",
    ]  # fmt: skip
    assert {r.population for r in found} == {"companies"}
    assert found[0].below(3.0) == pytest.approx(0.65)


def test_the_setting_forces_the_benchmark_study(db, settings):
    newer_study_of_associations()
    settings.ALLIANCE_BENCHMARK_STUDY = SYNTHETIC

    version = benchmark_version("associations")
    assert code(version) == SYNTHETIC
    assert {r.synthetic for r in benchmark_references("associations")} == {True}

    settings.ALLIANCE_BENCHMARK_STUDY = OBSERVED  # published, but without references
    assert benchmark_references("associations") == []

    settings.ALLIANCE_BENCHMARK_STUDY = "martians"
    assert benchmark_version("associations") is None
    assert benchmark_references("associations") == []


def test_a_withdrawn_version_gives_way_to_the_previous_one(db):
    first = StudyVersion.objects.get(study__code=OBSERVED)
    second, _ = publish(changed(observed_study(), title={"fr": "v2", "en": "v2"}))
    StudyVersion.objects.filter(pk=second.pk).update(withdrawn_at=timezone.now())

    assert current_version(OBSERVED) == first
    assert [(v.study.code, v.number) for v in current_versions()] == [(SYNTHETIC, 1), (OBSERVED, 1)]
    assert has_published() is True


def test_a_study_with_every_version_withdrawn_is_no_longer_published(db):
    StudyVersion.objects.filter(study__code=OBSERVED).update(withdrawn_at=timezone.now())

    assert current_version(OBSERVED) is None
    assert [v.study.code for v in current_versions()] == [SYNTHETIC]
    StudyVersion.objects.update(withdrawn_at=timezone.now())
    assert current_versions() == []
    assert has_published() is False
    assert population_labels("fr") == {}
