"""Loading registry files: upserts that keep the newest version, either SIRENE file first."""

from __future__ import annotations

import threading
import zipfile
from datetime import UTC, date, datetime

import polars as pl
import pytest
from django.db import connection

from alliance.demo import REGISTRY_FILES
from alliance.errors import Location, RegistryFileError
from alliance.territory.registry_files import Batch
from alliance.web.registry.loading import _prefetched, add_new, import_files, load_batch
from alliance.web.registry.models import RegistryEntry, RegistryImport
from tests.territory.registry_samples import (
    establishment,
    rna_line,
    unit,
    write_establishments,
    write_rna,
    write_units,
)

pytestmark = pytest.mark.integration


def association(title: str, stamp: str, position: str = "A") -> str:
    return rna_line(id="W595001234", titre=title, adrs_codeinsee="59350", position=position,
                    maj_time=stamp)  # fmt: skip


@pytest.mark.django_db
def test_an_rna_import_writes_entries_and_records_itself(tmp_path):
    path = write_rna(
        tmp_path / "rna_waldec_20250301_dpt_59.csv",
        [association("Amis du beffroi (fictive)", "2024-05-02 10:31:07"),
         rna_line(id="W595001235", titre="Dissoute (fictive)", adrs_codeinsee="75101",
                  position="D"),
         rna_line(id="W595001236", adrs_codeinsee="99999", position="A")],
        encoding="latin-1",
    )  # fmt: skip

    result = import_files("rna", [path])

    assert (result.inserted, result.updated, result.kept) == (2, 0, 0)
    entry = RegistryEntry.objects.get(identifier="W595001234")
    assert (entry.source, entry.name, entry.profile, entry.state) == (
        "rna", "Amis du beffroi (fictive)", "associations", "active",
    )  # fmt: skip
    assert (entry.commune, entry.epci, entry.department, entry.region) == (
        "59350", "200093201", "59", "32",
    )  # fmt: skip
    assert entry.updated == datetime(2024, 5, 2, 10, 31, 7, tzinfo=UTC)
    paris = RegistryEntry.objects.get(identifier="W595001235")
    assert (paris.state, paris.commune, paris.region) == ("closed", "75056", "11")
    record = RegistryImport.objects.get()
    assert entry.imported == record
    assert record.files == [{"name": path.name, "sha256": result.summaries[0].sha256}]
    assert (record.vintage, record.rows, record.imported_rows, record.rejected_rows) == (
        date(2025, 3, 1), 3, 2, 1,
    )  # fmt: skip
    assert record.finished is not None
    [problem] = record.problems
    assert problem["line"] == 4
    assert problem["message"]["fr"] == "code commune inconnu du Code officiel géographique"


@pytest.mark.django_db
def test_a_newer_file_updates_in_place_and_an_older_one_does_not(tmp_path):
    first = write_rna(tmp_path / "a.csv", [association("Ancien nom", "2024-01-01 00:00:00")])
    newer = write_rna(tmp_path / "b.csv", [association("Nouveau nom", "2025-01-01 00:00:00", "D")])
    older = write_rna(tmp_path / "c.csv", [association("Très ancien", "2023-01-01 00:00:00")])

    import_files("rna", [first])
    updated = import_files("rna", [newer])
    kept = import_files("rna", [older])
    same = import_files("rna", [newer])

    entry = RegistryEntry.objects.get()
    assert (entry.name, entry.state) == ("Nouveau nom", "closed")
    assert (updated.inserted, updated.updated, updated.kept) == (0, 1, 0)
    assert (kept.inserted, kept.updated, kept.kept) == (0, 0, 1)
    assert (same.inserted, same.updated, same.kept) == (0, 0, 1)  # unchanged: not rewritten
    assert entry.imported_id == updated.import_id


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["units first", "establishments first"])
def test_the_two_sirene_files_combine_in_either_order(tmp_path, order):
    units = write_units(
        tmp_path / "StockUniteLegale_utf8.parquet",
        [unit(siren="732829320", denominationUniteLegale="BOULANGERIES MOREAU (FICTIVE)",
              categorieJuridiqueUniteLegale="5499", categorieEntreprise="PME",
              trancheEffectifsUniteLegale="11", economieSocialeSolidaireUniteLegale="N",
              dateDernierTraitementUniteLegale="2024-03-05T09:10:11")],
    )  # fmt: skip
    places = write_establishments(
        tmp_path / "StockEtablissement_utf8.csv",
        [establishment(siren="732829320", siret="73282932000014", codeCommuneEtablissement="59350",
                       dateDernierTraitementEtablissement="2024-01-01T00:00:00"),
         establishment(siren="732829320", siret="73282932000022", etablissementSiege="false",
                       codeCommuneEtablissement="75101")],
    )  # fmt: skip
    files = [units, places] if order == "units first" else [places, units]

    result = import_files("sirene", files)

    entry = RegistryEntry.objects.get()
    assert (entry.source, entry.identifier, entry.siret, entry.name) == (
        "sirene", "732829320", "73282932000014", "BOULANGERIES MOREAU (FICTIVE)",
    )  # fmt: skip
    assert (entry.profile, entry.legal_category, entry.workforce, entry.social_economy) == (
        "pme", "5499", "11", False,
    )  # fmt: skip
    assert (entry.state, entry.commune, entry.department) == ("active", "59350", "59")
    assert entry.location_updated == datetime(2024, 1, 1, tzinfo=UTC)
    assert (result.inserted, result.updated) == (1, 1)
    assert sum(summary.skipped for summary in result.summaries) == 1


@pytest.mark.django_db
def test_sirene_stock_files_load_from_their_zip_archives_parquet_inside_too(tmp_path):
    units = write_units(
        tmp_path / "StockUniteLegale_utf8.parquet",
        [unit(siren="732829320", categorieJuridiqueUniteLegale="9220",
              dateDernierTraitementUniteLegale="2024-03-05T09:10:11")],
    )  # fmt: skip
    places = write_establishments(
        tmp_path / "StockEtablissement_utf8.csv",
        [establishment(siren="732829320", siret="73282932000014",
                       codeCommuneEtablissement="59350")],
    )  # fmt: skip
    archives = []
    for path in (units, places):
        archives.append(path.with_suffix(".zip"))
        with zipfile.ZipFile(archives[-1], "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(path, path.name)

    result = import_files("sirene", archives)

    entry = RegistryEntry.objects.get()
    assert (entry.identifier, entry.profile, entry.commune) == (
        "732829320", "associations", "59350",
    )  # fmt: skip
    assert [file["name"] for file in RegistryImport.objects.get().files] == [
        "StockUniteLegale_utf8.zip/StockUniteLegale_utf8.parquet",
        "StockEtablissement_utf8.zip/StockEtablissement_utf8.csv",
    ]
    assert (result.failures, result.inserted, result.updated) == ([], 1, 1)


@pytest.mark.django_db
def test_an_unreadable_file_does_not_stop_the_others(tmp_path):
    good = write_rna(tmp_path / "good.csv", [association("Amis (fictive)", "")])

    result = import_files("rna", [tmp_path / "missing.csv", good])

    assert [(name, error.key) for name, error in result.failures] == [
        ("missing.csv", "registry.file_missing")
    ]
    assert RegistryEntry.objects.count() == 1
    assert RegistryImport.objects.get().files[0]["name"] == "good.csv"


@pytest.mark.django_db
def test_the_demo_registry_files_load_around_the_demo_organisations():
    rna = import_files("rna", REGISTRY_FILES["rna"])
    sirene = import_files("sirene", REGISTRY_FILES["sirene"])

    assert (rna.inserted, rna.failures) == (49, [])
    assert (sirene.inserted, sirene.updated, sirene.failures) == (40, 40, [])
    assert [summary.unclassified for summary in sirene.summaries] == [1, 0]  # one, on purpose
    assert sum(summary.rejected for summary in [*rna.summaries, *sirene.summaries]) == 0
    rennes = RegistryEntry.objects.filter(commune="35238", state="active")
    assert set(rennes.values_list("profile", flat=True)) >= {
        "associations", "pme", "fondations", "academiques", "collectivites_territoriales", "etat",
    }  # fmt: skip
    assert RegistryEntry.objects.get(identifier="W351234567").name.endswith("(ASSOCIATION FICTIVE)")
    assert all("FICTI" in name for name in RegistryEntry.objects.values_list("name", flat=True))


@pytest.mark.django_db
def test_the_sqlite_connection_is_restored_after_an_import(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own settings")
    import_files("rna", [write_rna(tmp_path / "a.csv", [association("Amis", "")])])

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -2000


def _batches(count: int, failure: Exception | None = None):
    yield from range(count)
    if failure is not None:
        raise failure


def test_prefetched_batches_come_in_order_and_a_reading_error_is_raised_where_they_are_used():
    assert list(_prefetched(_batches(5))) == [0, 1, 2, 3, 4]
    failure = RegistryFileError("registry.file_missing", Location(file="f.csv"))
    batches = _prefetched(_batches(3, failure))
    assert [next(batches), next(batches), next(batches)] == [0, 1, 2]
    with pytest.raises(RegistryFileError) as raised:
        next(batches)
    assert raised.value is failure


def test_a_writer_that_stops_early_stops_the_reader():
    read: list[int] = []

    def endless():
        number = 0
        while True:
            read.append(number)
            yield number
            number += 1

    for batch in _prefetched(endless()):
        if batch == 2:
            break
    # The reader ran at most two batches ahead (one waiting, one being read), then stopped.
    assert read[-1] <= 4
    assert all(thread.name != "registry-reader" for thread in threading.enumerate())


def _places(*sirens: str) -> Batch:
    """A batch of head offices in Lille, as the SIRENE reader gives them."""
    place = {"commune": "59350", "epci": "200093201", "department": "59", "region": "32"}
    return Batch(
        "location",
        pl.DataFrame(
            {
                "identifier": list(sirens),
                "siret": [f"{siren}00014" for siren in sirens],
                **place,
                "location_updated": "2024-01-01 00:00:00",
                "state": "active",
            }
        ),
    )


@pytest.mark.django_db(transaction=True)
def test_new_entries_are_added_directly_and_a_batch_with_a_known_one_is_left_to_the_upsert():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's COPY (SQLite always upserts)")
    record = RegistryImport.objects.create(source="sirene")

    assert add_new(_places("732829320"), record.pk) is True
    assert add_new(_places("542107651", "732829320"), record.pk) is False

    assert list(RegistryEntry.objects.values_list("identifier", "siret", "name")) == [
        ("732829320", "73282932000014", "")
    ]
    assert load_batch(_places("542107651", "732829320"), record.pk) == (1, 0)
    assert RegistryEntry.objects.count() == 2
