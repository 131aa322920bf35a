"""The SIRENE stock reader: which file from its header, head offices, classification, bad rows."""

from __future__ import annotations

import polars as pl
import pytest

from alliance.errors import RegistryFileError
from alliance.territory.registry_files import FileSummary
from alliance.territory.sirene import STOCK_ETABLISSEMENT, read_sirene
from tests.territory.registry_samples import (
    establishment,
    unit,
    write_establishments,
    write_units,
)

pytestmark = pytest.mark.unit

COMPANY = unit(
    siren="732829320", denominationUniteLegale="BOULANGERIES MOREAU (FICTIVE)",
    categorieJuridiqueUniteLegale="5710", categorieEntreprise="PME",
    trancheEffectifsUniteLegale="12", activitePrincipaleUniteLegale="10.71C",
    economieSocialeSolidaireUniteLegale="N", dateCreationUniteLegale="1998-03-01",
    dateDernierTraitementUniteLegale="2024-03-05T09:10:11.000",
)  # fmt: skip
HEAD_OFFICE = establishment(
    siren="732829320", siret="73282932000014", codeCommuneEtablissement="59350",
    dateDernierTraitementEtablissement="2024-03-06T00:00:00",
)  # fmt: skip


def read(path, **options):
    summary = FileSummary(path.name)
    batches = list(read_sirene(path, summary, **options))
    return summary, batches


def frame(batches, kind):
    return pl.concat([batch.frame for batch in batches if batch.kind == kind])


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_units_file_is_recognised_by_its_header_and_classified(tmp_path, suffix):
    person = unit(siren="552081317", nomUniteLegale="DUPONT", prenomUsuelUniteLegale="JEANNE",
                  categorieJuridiqueUniteLegale="1000", trancheEffectifsUniteLegale="NN",
                  etatAdministratifUniteLegale="C")  # fmt: skip
    path = write_units(tmp_path / f"any-name{suffix}", [COMPANY, person])

    summary, batches = read(path)

    assert summary.kind == "unit"
    assert frame(batches, "unit").rows(named=True) == [
        {"identifier": "732829320", "name": "BOULANGERIES MOREAU (FICTIVE)", "profile": "pme",
         "legal_category": "5710", "activity": "10.71C", "workforce": "12",
         "social_economy": False, "state": "active", "created": "1998-03-01",
         "updated": "2024-03-05 09:10:11"},
        {"identifier": "552081317", "name": "JEANNE DUPONT", "profile": "pme",
         "legal_category": "1000", "activity": "", "workforce": "NN", "social_economy": None,
         "state": "closed", "created": None, "updated": None},
    ]  # fmt: skip
    assert (summary.rows, summary.entries, summary.closed) == (2, 2, 1)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_an_establishments_file_locates_units_at_their_head_office(tmp_path, suffix):
    other = establishment(siren="732829320", siret="73282932000022", etablissementSiege="false",
                          codeCommuneEtablissement="75101")  # fmt: skip
    closed = establishment(
        siren="552081317",
        siret="55208131700011",
        codeCommuneEtablissement="75101",
        etatAdministratifEtablissement="F",
    )
    path = write_establishments(tmp_path / f"etab{suffix}", [HEAD_OFFICE, other, closed])

    summary, batches = read(path)

    assert summary.kind == "location"
    assert frame(batches, "location").rows() == [
        ("732829320", "73282932000014", "59350", "200093201", "59", "32", "2024-03-06 00:00:00",
         "active"),
        ("552081317", "55208131700011", "75056", "200054781", "75", "11", None, "closed"),
    ]  # fmt: skip
    assert (summary.rows, summary.skipped, summary.entries) == (3, 1, 2)


def test_an_unknown_legal_category_is_reported_and_left_without_profile(tmp_path):
    odd = unit(siren="552081317", denominationUniteLegale="X (FICTIVE)",
               categorieJuridiqueUniteLegale="0000")  # fmt: skip
    summary, batches = read(write_units(tmp_path / "units.csv", [COMPANY, odd]))

    assert frame(batches, "unit").get_column("profile").to_list() == ["pme", ""]
    assert (summary.unclassified, summary.rejected) == (1, 0)
    [problem] = summary.problems
    assert problem.severity == "warning"
    assert problem.message("en") == (
        "unknown legal category: entity imported without an actor profile "
        "(file units.csv, line 3, field 'categorieJuridiqueUniteLegale', value '0000')"
    )


def test_bad_rows_are_reported_with_their_line(tmp_path):
    lines = [
        HEAD_OFFICE,  # line 2
        establishment(siren="732829321", siret="73282932100013",
                      codeCommuneEtablissement="59350"),  # line 3: Luhn fails
        establishment(siren="552081317", siret="55208131700011",
                      codeCommuneEtablissement="99999"),  # line 4: no such commune
        "552081317,00011,55208131700011",  # line 5: too few fields
        establishment(siren="443061841", siret="44306184100015",
                      codeCommuneEtablissement="59350", denominationUsuelleEtablissement="A, B"),
    ]  # fmt: skip
    path = write_establishments(tmp_path / "etab.csv", lines)

    summary, batches = read(path)

    assert frame(batches, "location").get_column("identifier").to_list() == [
        "732829320", "443061841",
    ]  # fmt: skip
    assert (summary.rows, summary.rejected) == (5, 3)
    assert sorted(problem.message("en") for problem in summary.problems) == [
        "commune code unknown to the Code officiel géographique "
        "(file etab.csv, line 4, field 'codeCommuneEtablissement', value '99999')",
        "invalid SIREN (9 digits, Luhn check) (file etab.csv, line 3, field 'siren', "
        "value '732829321')",
        f"malformed line: 3 fields instead of {len(STOCK_ETABLISSEMENT)} (file etab.csv, line 5)",
    ]


def test_a_line_with_too_many_fields_is_found_and_the_block_read_on(tmp_path):
    path = write_establishments(tmp_path / "etab.csv", [HEAD_OFFICE, HEAD_OFFICE + ",extra"])

    summary, batches = read(path)

    assert frame(batches, "location").height == 1
    assert [problem.message("en") for problem in summary.problems] == [
        f"malformed line: {len(STOCK_ETABLISSEMENT) + 1} fields instead of "
        f"{len(STOCK_ETABLISSEMENT)} (file etab.csv, line 3)"
    ]


def test_a_large_file_is_read_in_blocks_with_the_right_lines(tmp_path):
    lines = [
        establishment(siren="732829320", siret="73282932000014", codeCommuneEtablissement=code)
        for code in ["59350"] * 40 + ["99999"] + ["59350"] * 9
    ]
    summary, batches = read(write_establishments(tmp_path / "etab.csv", lines), block_bytes=2000)

    assert len(batches) == 3  # blocks of whole lines, ~2,000 bytes each
    assert summary.rows == 50
    assert [problem.location.line for problem in summary.problems] == [42]


def test_a_joined_extract_gives_units_and_head_offices(tmp_path):
    header = ("siren", "siret", "etablissementSiege", "codeCommuneEtablissement",
              "categorieJuridiqueUniteLegale", "etatAdministratifUniteLegale",
              "denominationUniteLegale")  # fmt: skip
    path = tmp_path / "joined.csv"
    path.write_text(
        ",".join(header) + "\n732829320,73282932000014,true,59350,9220,A,AMIS (FICTIVE)\n"
        "732829320,73282932000022,false,59350,9220,A,AMIS (FICTIVE)\n",
        encoding="utf-8",
    )

    summary, batches = read(path)

    assert summary.kind == "unit+location"
    assert [batch.kind for batch in batches] == ["location", "unit"]
    assert frame(batches, "unit").select("identifier", "profile").row(0) == (
        "732829320", "associations",
    )  # fmt: skip
    assert (summary.entries, summary.skipped) == (1, 1)


def test_a_file_that_is_no_sirene_stock_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("siren,siret,x\n", encoding="utf-8")
    parquet = tmp_path / "broken.parquet"
    parquet.write_bytes(b"PAR1 not really")

    with pytest.raises(RegistryFileError) as refused:
        read(path)
    assert refused.value.message("en") == (
        "not a SIRENE stock file (StockUniteLegale or StockEtablissement): missing columns "
        "codeCommuneEtablissement, etablissementSiege (file other.csv)"
    )
    with pytest.raises(RegistryFileError) as broken:
        read(parquet)
    assert broken.value.message("en").startswith("unreadable file: ")


def test_a_parquet_siren_typed_as_an_integer_gets_its_leading_zeros_back(tmp_path):
    path = tmp_path / "units.parquet"
    pl.DataFrame(
        {"siren": [5520135], "categorieJuridiqueUniteLegale": ["5710"],
         "etatAdministratifUniteLegale": ["A"]}
    ).write_parquet(path)  # fmt: skip

    summary, batches = read(path)

    assert frame(batches, "unit").get_column("identifier").to_list() == ["005520135"]
    assert summary.rejected == 0
