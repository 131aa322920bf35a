"""The RNA « waldec » reader: encodings, quoted lines, dissolved and deleted ones, bad rows."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from alliance.errors import RegistryFileError
from alliance.territory.registry_files import FileSummary
from alliance.territory.rna import read_rna
from tests.territory.registry_samples import rna_line, write_rna

pytestmark = pytest.mark.unit

ACTIVE = rna_line(
    id="W595001234", titre="AMIS DU BEFFROI DE LILLE (fictive)", adrs_codeinsee="59350",
    date_creat="2001-05-04", date_disso="0001-01-01", objet_social1="006030",
    position="A", maj_time="2024-05-02 10:31:07",
)  # fmt: skip


def read(path, **options):
    summary = FileSummary(path.name)
    batches = list(read_rna(path, summary, **options))
    frame = pl.concat([batch.frame for batch in batches]) if batches else None
    return summary, batches, frame


def test_a_latin_1_file_is_read_with_its_accents(tmp_path):
    path = write_rna(
        tmp_path / "rna_waldec_20250301_dpt_59.csv",
        [ACTIVE, rna_line(id="W595001235", titre="Fête de l'été à Lille (fictive)",
                          adrs_codeinsee="59350", position="A")],
        encoding="latin-1",
    )  # fmt: skip

    summary, batches, frame = read(path)

    assert frame.get_column("name").to_list() == [
        "AMIS DU BEFFROI DE LILLE (fictive)", "Fête de l'été à Lille (fictive)",
    ]  # fmt: skip
    assert {batch.kind for batch in batches} == {"rna"}
    first = frame.row(0, named=True)
    assert first == {
        "identifier": "W595001234", "siret": "", "name": "AMIS DU BEFFROI DE LILLE (fictive)",
        "legal_category": "9220", "activity": "006030", "state": "active", "commune": "59350",
        "epci": "200093201", "department": "59", "region": "32", "created": "2001-05-04",
        "updated": "2024-05-02 10:31:07", "profile": "associations",
    }  # fmt: skip
    assert (summary.kind, summary.vintage, summary.rows, summary.entries) == (
        "rna", date(2025, 3, 1), 2, 2,
    )  # fmt: skip


def test_dissolved_and_deleted_associations_are_kept_apart(tmp_path):
    path = write_rna(
        tmp_path / "rna.csv",
        [
            ACTIVE,
            rna_line(id="W595001236", titre="Dissoute (fictive)", adrs_codeinsee="59350",
                     date_disso="2019-02-01", position="D", maj_time="2019-02-03 08:00:00"),
            rna_line(id="W595001237", titre="Supprimée (fictive)", adrs_codeinsee="59350",
                     position="S", maj_time="2020-01-01 00:00:00"),
        ],
    )  # fmt: skip

    summary, _, frame = read(path)

    assert frame.get_column("state").to_list() == ["active", "closed", "deleted"]
    assert (summary.entries, summary.closed, summary.deleted) == (3, 1, 1)
    assert summary.vintage == date(2024, 5, 2)  # no date in the name: the newest update


def test_bad_rows_are_reported_with_their_line_and_the_reading_goes_on(tmp_path):
    quoted = rna_line(id="W595001238", titre="Les amis; du\nbeffroi (fictive)",
                      adrs_codeinsee="59350", position="A")  # fmt: skip
    path = write_rna(
        tmp_path / "rna.csv",
        [
            quoted,  # lines 2-3: a ; and a line break inside quotes
            "W595001239;;;",  # line 4: 4 fields
            rna_line(id="595001240", adrs_codeinsee="59350", position="A"),  # line 5
            rna_line(id="W595001241", adrs_codeinsee="99999", position="A"),  # line 6
            rna_line(id="W595001242", adrs_codeinsee="59350", position="X"),  # line 7
            rna_line(id="W9T1002867", adrs_codeinsee="97411", position="A"),  # line 8: Réunion
        ],
    )

    summary, _, frame = read(path)

    assert frame.get_column("identifier").to_list() == ["W595001238", "W9T1002867"]
    assert frame.get_column("name").to_list()[0] == "Les amis; du\nbeffroi (fictive)"
    assert (summary.rows, summary.entries, summary.rejected) == (6, 2, 4)
    assert sorted(problem.message("en") for problem in summary.problems) == [
        "commune code unknown to the Code officiel géographique "
        "(file rna.csv, line 6, field 'adrs_codeinsee', value '99999')",
        "invalid RNA number (W and 9 characters, for example W595001234) "
        "(file rna.csv, line 5, field 'id', value '595001240')",
        "malformed line: 4 fields instead of 39 (file rna.csv, line 4)",
        "unknown position (A active, D dissolved, S deleted) "
        "(file rna.csv, line 7, field 'position', value 'X')",
    ]
    assert summary.problems[0].message("fr") == (
        "ligne mal formée : 4 champs au lieu de 39 (fichier rna.csv, ligne 4)"
    )


def test_an_association_of_public_utility_and_its_siret(tmp_path):
    path = write_rna(
        tmp_path / "rna.csv",
        [rna_line(id="W595001243", rup_mi="123456", siret="73282932000014",
                  adrs_codeinsee="59350", position="A")],
    )  # fmt: skip

    _, _, frame = read(path)

    assert frame.select("legal_category", "profile", "siret").row(0) == (
        "9230", "associations", "73282932000014",
    )  # fmt: skip


def test_a_large_file_is_read_in_batches(tmp_path):
    lines = [rna_line(id=f"W5950{n:05d}", adrs_codeinsee="59350", position="A") for n in range(5)]
    summary, batches, frame = read(write_rna(tmp_path / "rna.csv", lines), batch_rows=2)

    assert [batch.frame.height for batch in batches] == [2, 2, 1]
    assert frame.height == summary.entries == 5


def test_a_file_that_is_not_an_rna_export_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("siren,siret\n123,456\n", encoding="utf-8")

    with pytest.raises(RegistryFileError) as refused:
        read(path)
    assert refused.value.message("en").startswith("not an RNA « waldec » export: missing columns")
    with pytest.raises(RegistryFileError) as missing:
        read(tmp_path / "missing.csv")
    assert missing.value.message("fr") == "fichier introuvable ou illisible (fichier missing.csv)"
