"""Registry counts: rebuilt by source after every import, equal to counting the entries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count

from alliance.demo import REGISTRY_FILES
from alliance.web.registry.counts import refresh_counts
from alliance.web.registry.loading import import_files
from alliance.web.registry.models import RegistryCount, RegistryEntry
from tests.territory.registry_samples import rna_line, write_rna

pytestmark = pytest.mark.integration

LILLE = {"commune": "59350", "epci": "200093201", "department": "59", "region": "32"}
ROUBAIX = {**LILLE, "commune": "59512"}


def entry(source: str, number: int, profile: str, state: str, place: dict[str, str]) -> None:
    RegistryEntry.objects.create(source=source, identifier=f"W{number:09d}", profile=profile,
                                 state=state, **place)  # fmt: skip


def cells() -> set[tuple[str, str, str, str, str, int]]:
    return set(
        RegistryCount.objects.values_list("source", "commune", "epci", "profile", "state", "count")
    )


@pytest.mark.django_db
def test_one_row_per_commune_profile_and_state_with_its_places():
    for number in range(3):
        entry("rna", number, "associations", "active", LILLE)
    entry("rna", 3, "associations", "closed", LILLE)
    entry("rna", 4, "associations", "active", ROUBAIX)
    entry("rna", 5, "", "active", ROUBAIX)

    assert refresh_counts("rna") == 4

    assert cells() == {
        ("rna", "59350", "200093201", "associations", "active", 3),
        ("rna", "59350", "200093201", "associations", "closed", 1),
        ("rna", "59512", "200093201", "associations", "active", 1),
        ("rna", "59512", "200093201", "", "active", 1),
    }
    row = RegistryCount.objects.get(commune="59350", state="closed")
    assert (row.department, row.region) == ("59", "32")


@pytest.mark.django_db
def test_a_refresh_replaces_its_own_source_only():
    entry("rna", 1, "associations", "active", LILLE)
    entry("sirene", 2, "pme", "active", LILLE)
    refresh_counts("rna")
    refresh_counts("sirene")
    RegistryEntry.objects.filter(source="rna").delete()
    RegistryEntry.objects.filter(source="sirene").update(state="closed")

    assert refresh_counts("rna") == 0

    assert cells() == {("sirene", "59350", "200093201", "pme", "active", 1)}  # not refreshed yet
    assert refresh_counts("sirene") == 1
    assert cells() == {("sirene", "59350", "200093201", "pme", "closed", 1)}


@pytest.mark.django_db
def test_an_import_refreshes_its_registry_counts(tmp_path):
    entry("rna", 1, "associations", "active", LILLE)  # written outside an import
    path = write_rna(
        tmp_path / "rna.csv",
        [rna_line(id="W595001234", adrs_codeinsee="59350", position="A"),
         rna_line(id="W595001235", adrs_codeinsee="59350", position="D")],
    )  # fmt: skip

    import_files("rna", [path])

    assert cells() == {
        ("rna", "59350", "200093201", "associations", "active", 2),
        ("rna", "59350", "200093201", "associations", "closed", 1),
    }


@pytest.mark.django_db
def test_the_demo_counts_sum_to_counting_the_entries():
    import_files("rna", REGISTRY_FILES["rna"])
    import_files("sirene", REGISTRY_FILES["sirene"])
    grouped = ["source", "commune", "epci", "department", "region", "profile", "state"]

    counted = RegistryEntry.objects.values_list(*grouped).annotate(n=Count("pk")).order_by()

    assert set(RegistryCount.objects.values_list(*grouped, "count")) == set(counted)
    assert sum(RegistryCount.objects.values_list("count", flat=True)) == 89


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_entries_already_imported():
    before = [("registry", "0003_overseas_region")]
    MigrationExecutor(connection).migrate(before)
    entries = MigrationExecutor(connection).loader.project_state(before).apps
    old_entry = entries.get_model("registry", "RegistryEntry")
    for number in range(2):
        old_entry.objects.create(source="rna", identifier=f"W{number:09d}",
                                 profile="associations", state="active", **LILLE)  # fmt: skip
    old_entry.objects.create(source="sirene", identifier="732829320", profile="pme",
                             state="closed", **ROUBAIX)  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("registry"))

    assert cells() == {
        ("rna", "59350", "200093201", "associations", "active", 2),
        ("sirene", "59512", "200093201", "pme", "closed", 1),
    }
