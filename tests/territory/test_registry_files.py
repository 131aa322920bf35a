"""Shared pieces of the registry readers: encodings, vintages, dates, places, refused rows."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from alliance.territory.registry_files import (
    KINDS,
    MAX_PROBLEMS,
    FileSummary,
    file_sha256,
    fingerprint,
    locate,
    reject,
    timestamp,
    valid_date,
    vintage_from_name,
)

pytestmark = pytest.mark.unit


def test_the_encoding_is_detected_from_the_whole_file(tmp_path):
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes("id;titre\nW1;Fête de l'été\n".encode())
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"x" * (2 << 20) + "Fête œuvre\n".encode("cp1252"))  # past the first block

    assert fingerprint(utf8)[1] == "utf-8-sig"
    assert fingerprint(latin)[1] == "cp1252"


def test_the_sha256_is_the_file_s(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"abc")

    assert file_sha256(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert fingerprint(path) == (file_sha256(path), "utf-8-sig")


@pytest.mark.parametrize(
    ("name", "vintage"),
    [
        ("rna_waldec_20250301_dpt_59.csv", date(2025, 3, 1)),
        ("StockEtablissement_utf8_20251101.parquet", date(2025, 11, 1)),
        ("StockUniteLegale_utf8.csv", None),
        ("rna_waldec_20251399_dpt_59.csv", None),
    ],
)
def test_the_vintage_is_read_from_the_name(name, vintage):
    assert vintage_from_name(name) == vintage


def test_dates_and_timestamps_are_normalised_or_null():
    frame = pl.DataFrame(
        {
            "day": ["2001-05-04", "0001-01-01", "", "04/05/2001", None],
            "stamp": ["2024-05-02 10:31:07", "2024-05-02T10:31:07.000", "2024-05-02", "x", None],
        }
    )

    found = frame.select(valid_date("day"), timestamp("stamp"))

    assert found.get_column("day").to_list() == ["2001-05-04", None, None, None, None]
    assert found.get_column("stamp").to_list() == [
        "2024-05-02 10:31:07", "2024-05-02 10:31:07", "2024-05-02 00:00:00", None, None,
    ]  # fmt: skip


def test_a_commune_code_is_located_at_its_current_commune():
    frame = pl.DataFrame({"code": ["59350", "75101", "1053", "", "99999", None]})

    found = locate(frame, "code")

    assert found.select("commune", "department", "region", "commune_known").rows() == [
        ("59350", "59", "32", True),  # Lille
        ("75056", "75", "11", True),  # Paris 1er arrondissement → Paris
        ("01053", "01", "84", True),  # Bourg-en-Bresse without its leading zero
        ("", "", "", True),  # no commune: kept, unlocated
        ("", "", "", False),
        ("", "", "", True),
    ]
    assert found.get_column("epci").to_list()[0] == "200093201"  # Métropole Européenne de Lille


def test_refused_rows_are_reported_with_their_place_and_value():
    summary = FileSummary("f.csv")
    frame = pl.DataFrame({"line": [2, 3, 4], "id": ["W595001234", "bad", None]})

    kept = reject(
        frame, ~pl.col("id").str.starts_with("W"), summary, "registry.invalid_rna", "id", "id"
    )

    assert kept.get_column("id").to_list() == ["W595001234"]
    assert summary.rejected == 2
    assert [problem.message("en") for problem in summary.problems] == [
        "invalid RNA number (W and 9 characters, for example W595001234) "
        "(file f.csv, line 3, field 'id', value 'bad')",
        "invalid RNA number (W and 9 characters, for example W595001234) "
        "(file f.csv, line 4, field 'id', value '')",
    ]


def test_problems_are_all_counted_but_only_the_first_kept():
    summary = FileSummary("f.csv")
    frame = pl.DataFrame({"line": list(range(MAX_PROBLEMS + 5)), "id": ["x"] * (MAX_PROBLEMS + 5)})

    reject(frame, pl.lit(True), summary, "registry.invalid_rna", "id", "id")

    assert summary.rejected == MAX_PROBLEMS + 5
    assert len(summary.problems) == MAX_PROBLEMS


def test_each_kind_updates_its_own_columns():
    assert set(KINDS["unit"].columns).isdisjoint({"commune", "siret", "location_updated"})
    assert KINDS["location"].insert_only == ("state",)
    assert (KINDS["unit"].version, KINDS["location"].version) == ("updated", "location_updated")
