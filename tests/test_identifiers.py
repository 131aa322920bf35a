"""French identifiers: SIREN (Luhn), RNA and INSEE commune codes, Corsica and overseas included."""

from __future__ import annotations

import pytest

from alliance.identifiers import is_commune_code, is_rna, is_siren

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("value", ["732829320", "356000000", "552100554", "130025265"])
def test_valid_sirens(value):
    assert is_siren(value) is True


@pytest.mark.parametrize(
    "value",
    [
        "732829321",  # one digit off: the Luhn key fails
        "732829302",  # two digits swapped
        "73282932",  # 8 digits
        "7328293200",  # 10 digits
        "73282932A",
        "732 829 320",
        " 732829320",
        "732829320\n",
        "",
    ],
)
def test_invalid_sirens(value):
    assert is_siren(value) is False


@pytest.mark.parametrize(
    "value", ["W751234567", "W351234567", "W000000000", "W2A1000123", "W9M1000456"]
)
def test_valid_rna(value):
    assert is_rna(value) is True


@pytest.mark.parametrize(
    "value", ["w751234567", "W75123456", "W7512345678", "751234567", "WA51234567", "W75123456 ", ""]
)
def test_invalid_rna(value):
    assert is_rna(value) is False


@pytest.mark.parametrize(
    "value",
    [
        "75056",  # Paris
        "01004",  # Ambérieu-en-Bugey: a leading zero
        "2A004",  # Ajaccio
        "2B033",  # Bastia
        "97411",  # Saint-Denis (La Réunion)
        "97101",  # Les Abymes (Guadeloupe)
        "97611",  # Mamoudzou (Mayotte)
    ],
)
def test_valid_commune_codes(value):
    assert is_commune_code(value) is True


@pytest.mark.parametrize(
    "value", ["7505", "750560", "2C004", "2a004", "2A04", "ABCDE", "75 056", "75056\n", ""]
)
def test_invalid_commune_codes(value):
    assert is_commune_code(value) is False


def test_siren_accepts_only_ascii_digits():
    assert is_siren("٧٣٢٨٢٩٣٢٠") is False  # 732829320 in Arabic-Indic digits


def test_rna_accepts_only_ascii_digits():
    assert is_rna("W٧٥١٢٣٤٥٦٧") is False


def test_commune_code_accepts_only_ascii_digits():
    assert is_commune_code("٧٥٠٥٦") is False
