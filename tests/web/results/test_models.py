"""Published studies as rows: a study's versions, estimates with their labels, references."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from alliance.diagnostic.benchmark import Interval, Reference
from alliance.web.results.models import BenchmarkReference, Estimate, Study, StudyVersion
from tests.web.studies import OBSERVED, SYNTHETIC, synthetic_study

pytestmark = pytest.mark.integration


def estimate(**fields: object) -> Estimate:
    values: dict[str, object] = {
        "position": 0, "population": "associations", "wave": "2022",
        "variable": "impact_territories", "statistic": "share", "label_fr": "Territoires",
        "label_en": "Territories", "estimate": 0.558, "se": 0.017, "ci_low": 0.525,
        "ci_high": 0.591, "n": 968,
    }  # fmt: skip
    return Estimate(**(values | fields))


def test_labels_by_language():
    found = estimate(by="size", group="1", group_label_fr="Petites", group_label_en="Small")

    assert found.label("fr") == "Territoires"
    assert found.label("en") == "Territories"
    assert found.group_label("fr") == "Petites"
    assert found.group_label("en") == "Small"
    assert found.label("de") == "Territoires"


def test_defaults_of_a_whole_population_row():
    found = estimate()

    assert found.by == found.group == ""
    assert found.group_label("fr") == ""
    assert found.fragile is False
    assert found.suppressed is False
    assert found.published is None
    assert found.shown is True


def test_record_has_the_estimates_columns_and_labels():
    found = estimate(by="size", group="2", group_label_fr="Grandes", group_label_en="Large")

    assert found.record("en") == {
        "population": "associations", "wave": "2022", "variable": "impact_territories",
        "statistic": "share", "by": "size", "group": "2", "estimate": 0.558, "se": 0.017,
        "ci_low": 0.525, "ci_high": 0.591, "n": 968, "fragile": False, "label": "Territories",
        "group_label": "Large", "suppressed": False,
    }  # fmt: skip


def test_a_suppressed_record_never_has_values_even_if_stored():
    found = estimate(suppressed=True)

    assert found.shown is False
    record = found.record("fr")
    assert [record[k] for k in ("estimate", "se", "ci_low", "ci_high")] == [None] * 4
    assert record["suppressed"] is True
    assert [record["by"], record["group"], record["group_label"]] == [None, None, None]


def test_studies_titles_by_language(db):
    study = Study.objects.get(code=SYNTHETIC)

    assert study.title("fr") == "Impact des alliances (démonstration)"
    assert study.title("en") == "Impact of alliances (demonstration)"
    assert str(study) == SYNTHETIC
    assert study.synthetic is True
    assert Study.objects.get(code=OBSERVED).synthetic is False
    assert list(Study.objects.values_list("code", flat=True)) == [OBSERVED, SYNTHETIC]


def test_current_version_is_the_latest(db):
    study = Study.objects.get(code=SYNTHETIC)
    first = study.current()
    assert first is not None
    later = StudyVersion.objects.create(study=study, number=2, digest="x", data=first.data)

    assert study.current() == later
    assert str(later) == f"{study.pk} v2"
    assert Study.objects.create(code="never").current() is None


def test_one_number_per_study(db):
    study = Study.objects.get(code=OBSERVED)

    with pytest.raises(IntegrityError):
        StudyVersion.objects.create(study=study, number=1, digest="x")


def test_version_gives_populations_waves_and_thresholds(db):
    version = Study.objects.get(code=SYNTHETIC).current()
    assert version is not None

    assert [p.population for p in version.populations()] == ["associations", "companies"]
    assert version.population("companies") is not None
    assert version.population("martians") is None
    assert version.waves == ["2018", "2022"]
    assert (version.suppress_below, version.fragile_below) == (10, 30)
    assert version.source == "tests/web/studies/"


def test_version_rebuilds_the_core_record(db):
    version = Study.objects.get(code=SYNTHETIC).current()
    assert version is not None

    assert version.results() == synthetic_study()
    assert version.results().digest() == version.digest
    assert version.estimates.first().result() == synthetic_study().estimates[0]  # type: ignore[union-attr]


def test_benchmark_reference_round_trips_the_core_reference(db):
    core = Reference(
        population="associations", item="partnerships_evaluated", kind="yes_no", wave=2022,
        values={"yes": Interval(0.485, 0.448, 0.521, 1000)}, synthetic=True,
    )  # fmt: skip
    version = StudyVersion.objects.get(study__code=OBSERVED)
    BenchmarkReference.objects.create(
        version=version, population="associations", item=core.item, data=core.to_dict()
    )

    assert BenchmarkReference.objects.get(version=version).reference() == core


def test_one_benchmark_reference_per_version_population_and_item(db):
    version = StudyVersion.objects.get(study__code=OBSERVED)
    fields = {"population": "associations", "item": "partnership_count", "data": {}}
    BenchmarkReference.objects.create(version=version, **fields)

    with pytest.raises(IntegrityError):
        BenchmarkReference.objects.create(version=version, **fields)
