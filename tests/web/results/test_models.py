"""One published estimate: labels in each language, the order of rows, the demo rows as loaded."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from alliance.diagnostic.benchmark import Interval, Reference
from alliance.web.results.models import BenchmarkReference, StudyResult

pytestmark = pytest.mark.integration


def result(**fields: object) -> StudyResult:
    values: dict[str, object] = {
        "study": "impact-demo", "population": "public", "item": "impact_territories",
        "label_fr": "Territoires", "label_en": "Territories", "wave": 2022, "estimate": 0.558,
        "low": 0.525, "high": 0.591, "n": 968,
    }  # fmt: skip
    return StudyResult(**(values | fields))


def test_labels_by_language():
    found = result(segment="F", segment_label_fr="Femme", segment_label_en="Woman")

    assert found.label("fr") == "Territoires"
    assert found.label("en") == "Territories"
    assert found.segment_label("fr") == "Femme"
    assert found.segment_label("en") == "Woman"
    assert found.label("de") == "Territoires"


def test_defaults_of_an_overall_row():
    found = result()

    assert found.segment == found.segment_variable == ""
    assert found.segment_label("fr") == ""
    assert found.fragile is False
    assert found.published is None
    assert found.synthetic is True


def test_order_and_index():
    assert StudyResult._meta.ordering == ("population", "item", "wave", "segment")
    assert [index.fields for index in StudyResult._meta.indexes] == [["study", "population"]]


def test_rows_come_in_population_item_wave_segment_order(db):
    rows = list(
        StudyResult.objects.filter(population="public", item="impact_territories").values_list(
            "wave", "segment"
        )
    )

    assert rows == [(2018, ""), (2022, ""), (2022, "F"), (2022, "M")]
    assert StudyResult.objects.first() == StudyResult.objects.filter(population="associations")[0]


def test_saved_row_round_trips(db):
    saved = result(study="autre-etude", published=0.56, fragile=True)
    saved.save()

    again = StudyResult.objects.get(study="autre-etude")
    assert again.published == pytest.approx(0.56)
    assert again.fragile is True
    assert again.estimate == pytest.approx(0.558)
    assert again.n == 968


def test_benchmark_reference_round_trips_the_core_reference(db):
    core = Reference(
        population="associations", item="partnerships_evaluated", kind="yes_no", wave=2022,
        values={"yes": Interval(0.485, 0.448, 0.521, 1000)}, synthetic=True,
    )  # fmt: skip
    BenchmarkReference.objects.create(
        study="another-study", population="associations", item=core.item, data=core.to_dict()
    )

    assert BenchmarkReference.objects.get(study="another-study").reference() == core


def test_one_benchmark_reference_per_study_population_and_item(db):
    fields = {"study": "s", "population": "associations", "item": "partnership_count", "data": {}}
    BenchmarkReference.objects.create(**fields)

    with pytest.raises(IntegrityError):
        BenchmarkReference.objects.create(**fields)
