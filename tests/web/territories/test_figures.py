"""A territory's figures: registry counts by state, vintages, regional results, protected counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alliance.territory.territory import find_territory
from alliance.web.registry.counts import refresh_counts
from alliance.web.registry.models import RegistryEntry, RegistryImport
from alliance.web.results.catalogue import current_version
from alliance.web.results.models import Estimate
from alliance.web.territories import figures
from alliance.web.territories.models import SelfAssessment

pytestmark = pytest.mark.integration


def test_actors_with_the_vintage_of_each_registry(nord):
    RegistryImport.objects.create(source="rna", vintage=dt.date(2026, 9, 1),
                                  finished=timezone.now())  # fmt: skip
    RegistryImport.objects.create(source="sirene", vintage=dt.date(2026, 10, 1))  # unfinished

    found = figures.actors(find_territory("epci", "200093201"), "fr")

    assert found["active"] == 19
    assert [v["source"] for v in found["vintages"]] == ["rna"]
    assert found["vintages"][0]["vintage"] == "2026-09-01"


def test_unclassified_actors_come_last(nord):
    RegistryEntry.objects.create(source="sirene", identifier="123456789", profile="",
                                 department="59", region="32", commune="59350")  # fmt: skip
    refresh_counts("sirene")
    found = figures.actors(find_territory("department", "59"), "en")
    assert found["by_profile"][-1] == {"profile": None, "label": None, "count": 1}


def test_regional_results_of_a_study_cut_by_region_with_fragile_flags(db):
    version = current_version("impact-demo")
    assert version is not None
    common = {"version": version, "population": "associations", "wave": "2024", "variable": "q1",
              "statistic": "share", "by": "region", "label_fr": "Confiance",
              "label_en": "Trust"}  # fmt: skip
    Estimate.objects.create(position=900, group="HDF", estimate=0.42, ci_low=0.30, ci_high=0.54,
                            n=25, fragile=True, **common)  # fmt: skip
    Estimate.objects.create(position=901, group="BRE", estimate=0.5, n=80, **common)
    Estimate.objects.create(position=902, group="HDF", estimate=None, n=3, suppressed=True,
                            **common | {"variable": "q2"})  # fmt: skip

    (study,) = figures.regional_results(find_territory("commune", "59350"), "fr")

    assert study["study"] == "impact-demo"
    (associations,) = study["populations"]
    assert (associations["population"], associations["label"]) == ("associations", "Associations")
    (row,) = associations["rows"]
    assert (row.label, row.value, row.interval, row.n, row.fragile) == (
        "Confiance", "42,0\u202f%", "30,0\u202f% – 54,0\u202f%", 25, True,
    )  # fmt: skip
    assert figures.regional_results(find_territory("region", "84"), "fr") == []
    Estimate.objects.create(position=903, group="53", estimate=0.6, n=90, **common)
    (brittany,) = figures.regional_results(find_territory("department", "35"), "fr")
    (brittany_associations,) = brittany["populations"]
    assert [(r.value, r.n) for r in brittany_associations["rows"]] == [
        ("50,0\u202f%", 80), ("60,0\u202f%", 90),
    ]  # fmt: skip
    (api,) = figures.results_record([study])
    assert api["estimates"][0]["fragile"] is True
    assert api["estimates"][0]["population_label"] == "Associations"


def test_a_territory_without_organisations_shows_nothing_withheld(db):
    found = figures.organisations(find_territory("commune", "29019"), "fr")
    assert (found["total"], found["by_profile"]) == (None, [])


def test_aggregates_are_kept_a_minute_for_page_and_api(nord):
    nord_department = find_territory("department", "59")
    first = figures.aggregates(nord_department, "fr")
    RegistryEntry.objects.all().delete()
    refresh_counts("rna")

    assert figures.aggregates(nord_department, "fr") == first
    assert figures.aggregates(nord_department, "en")["actors"]["active"] == 0
    assert figures.AGGREGATES_LIFETIME == 60


def test_the_public_reads_a_copy_of_the_self_assessment_its_coordinators_read_it_fresh(
    nord, coordinator
):
    nord_department = find_territory("department", "59")
    assert figures.self_assessment(nord_department, "fr", authors=False)["answers"] == {}
    answers = {"territorial-engineerings/publique": "niveau_2"}
    # Written without the model's signals, as another server process would: this one's copy stays.
    SelfAssessment.objects.bulk_create(
        [SelfAssessment(kind="department", code="59", author=coordinator, answers=answers)]
    )

    assert figures.self_assessment(nord_department, "fr", authors=False)["answers"] == {}
    fresh = figures.self_assessment(nord_department, "fr", authors=True)
    assert fresh["answers"] == answers
    figures.forget_self_assessment(nord_department)
    public = figures.self_assessment(nord_department, "fr", authors=False)
    assert public["answers"] == answers
    assert public["history"][0]["author"] is None
