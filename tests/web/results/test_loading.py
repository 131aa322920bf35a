"""Loading the demo study: rows per wave, 2022 rows by segment, published values, benchmark
references for the organisations' diagnostics, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.demo.study import StudyResults, run_study
from alliance.diagnostic.benchmark import study_references
from alliance.web.results.loading import DEMO_STUDY, load_study
from alliance.web.results.models import BenchmarkReference, StudyResult

pytestmark = pytest.mark.integration

PUBLISHED = {
    ("public", "impact_territories"): 0.56,
    ("public", "impact_territorial_innovation"): 0.55,
    ("public", "impact_people"): 0.54,
    ("public", "impact_company_performance"): 0.53,
    ("public", "impact_local_authority_performance"): 0.51,
    ("public", "impact_association_performance"): 0.42,
    ("elected-officials", "impact_own_performance"): 0.56,
}


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> StudyResults:
    return run_study(Path(tmp_path_factory.mktemp("study")))


def test_counts_of_rows(db, study):
    overall = sum(len(p.impact_items) * 2 for p in study.populations)
    segments = sum(len(e) for p in study.populations for e in p.segments.values())

    loaded = load_study(study)

    assert overall == sum(len(p.items) for p in study.populations) == 38
    assert segments == 71
    assert loaded == overall + segments == 109
    rows = StudyResult.objects.filter(study=DEMO_STUDY)
    assert rows.count() == 109
    assert rows.filter(segment="").count() == 38
    assert rows.exclude(segment="").count() == 71
    assert set(rows.filter(segment="").values_list("wave", flat=True)) == {2018, 2022}
    assert set(rows.exclude(segment="").values_list("wave", flat=True)) == {2022}


def test_counts_by_population(db, study):
    load_study(study)

    overall = {
        p: StudyResult.objects.filter(population=p, segment="").count()
        for p in ("public", "elected-officials", "companies", "associations", "foundations")
    }
    by_segment = {
        p: StudyResult.objects.filter(population=p).exclude(segment="").count() for p in overall
    }
    assert overall == {
        "public": 12, "elected-officials": 8, "companies": 6, "associations": 6, "foundations": 6,
    }  # fmt: skip
    assert by_segment == {
        "public": 12, "elected-officials": 20, "companies": 12, "associations": 12,
        "foundations": 15,
    }  # fmt: skip


def test_published_values_as_shares(db, study):
    load_study(study)

    published = {
        (r.population, r.item): r.published
        for r in StudyResult.objects.filter(published__isnull=False)
    }
    assert published == pytest.approx(PUBLISHED)
    assert all(
        r.wave == 2022 and r.segment == ""
        for r in StudyResult.objects.filter(published__isnull=False)
    )


def test_estimates_are_those_of_the_study(db, study):
    load_study(study)

    for population in study.populations:
        for item in population.items:
            row = StudyResult.objects.get(
                population=population.plan.questionnaire, item=item.item, wave=item.wave, segment=""
            )
            low, high = item.estimate.ci()
            assert row.estimate == pytest.approx(item.estimate.estimate)
            assert (row.low, row.high) == pytest.approx((low, high))
            assert row.n == item.estimate.n
            assert row.low <= row.estimate <= row.high
            assert row.synthetic is True


def test_labels_and_segments(db, study):
    load_study(study)

    women = StudyResult.objects.get(population="public", item="impact_territories", segment="F")
    assert (women.label_fr, women.label_en) == ("Territoires", "Territories")
    assert women.segment_variable == "sex"
    assert (women.segment_label_fr, women.segment_label_en) == ("Femme", "Woman")
    assert women.wave == 2022
    variables = dict(
        StudyResult.objects.exclude(segment="")
        .values_list("population", "segment_variable")
        .distinct()
    )
    assert variables == {
        "public": "sex", "elected-officials": "commune_size", "companies": "size",
        "associations": "size", "foundations": "foundation_type",
    }  # fmt: skip


def test_loading_twice_replaces_the_rows(db, study):
    first = load_study(study)
    ids = set(StudyResult.objects.values_list("pk", flat=True))

    second = load_study(study)

    assert first == second == 109
    assert StudyResult.objects.filter(study=DEMO_STUDY).count() == 109
    assert ids.isdisjoint(StudyResult.objects.values_list("pk", flat=True))


def test_another_study_keeps_its_own_rows(db, study):
    load_study(study)

    assert load_study(study, study="autre-etude") == 109

    assert StudyResult.objects.count() == 218
    assert StudyResult.objects.filter(study=DEMO_STUDY).count() == 109


def test_benchmark_references_of_the_latest_wave_for_each_organisation_population(db, study):
    load_study(study)

    stored = {(r.population, r.item): r.reference() for r in BenchmarkReference.objects.all()}
    organisations = ("elected-officials", "companies", "associations", "foundations")
    assert set(stored) == {
        (population, item)
        for population in organisations
        for item in ("partnership_count", "partnerships_evaluated", "partnership_categories")
    }
    for population in study.populations:
        code = population.plan.questionnaire
        if code not in organisations:
            continue
        assert population.design is not None
        expected = study_references(population.design, code, wave=2022, synthetic=True)
        assert [stored[(code, r.item)] for r in expected] == expected
    companies = stored[("companies", "partnership_count")]
    assert companies.wave == 2022
    assert companies.synthetic
    assert companies.values["mean"].n == 500
    assert companies.distribution[-1][1] == pytest.approx(1.0)


def test_loading_twice_replaces_the_benchmark_references(db, study):
    load_study(study)
    load_study(study)

    assert BenchmarkReference.objects.filter(study=DEMO_STUDY).count() == 12
