"""Importing examples from CSV: French CSV read as written, every code checked, all or nothing."""

from __future__ import annotations

import pytest

from alliance.errors import DataFileError
from alliance.web.examples.importing import COLUMNS, import_examples
from alliance.web.examples.models import InspiringExample

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def database(db) -> None:
    """Every test here writes examples."""


ROW = [
    "im-01", "Épicerie solidaire et maraîchers", "Solidarity grocery and market gardeners",
    "Une épicerie solidaire achète aux maraîchers voisins.", "A solidarity grocery buys locally.",
    "Épicerie du Pont (fictive) (associations)|Maraîchers Réunis (fictive) (pme)",
    "cooperation_economique", "proposition_valeur|positionnement", "BRE", "35238", "2021",
    "2|12|17", "deploiement", "performance", "",
]  # fmt: skip


def write(tmp_path, rows):
    path = tmp_path / "exemples.csv"
    lines = [";".join(COLUMNS), *(";".join(row) for row in rows)]
    path.write_bytes("\n".join(lines).encode("cp1252"))
    return path


def test_french_csv_is_imported(tmp_path):
    count = import_examples(write(tmp_path, [ROW]))

    example = InspiringExample.objects.get(code="im-01")
    assert count == 1
    assert example.partners[1] == {"name": "Maraîchers Réunis (fictive)", "profile": "pme"}
    assert example.sdg == [2, 12, 17]
    assert example.synthetic is False
    assert "epicerie" in example.search_text


def test_an_unknown_code_refuses_the_whole_file(tmp_path):
    bad = [*ROW[:6], "partenariat_imaginaire", *ROW[7:]]
    second = ["im-02", *ROW[1:]]

    with pytest.raises(DataFileError) as caught:
        import_examples(write(tmp_path, [second, bad]))

    assert caught.value.message("fr") == (
        "Valeur invalide dans la colonne 'category' (code inconnu du référentiel ou format "
        "inattendu) (fichier exemples.csv, ligne 3, champ 'category', valeur "
        "'partenariat_imaginaire')"
    )
    assert not InspiringExample.objects.filter(code="im-02").exists()


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "exemples.csv"
    path.write_text("code;title_fr\nx;y\n", encoding="utf-8")

    with pytest.raises(DataFileError) as caught:
        import_examples(path)

    assert caught.value.message("en").startswith("Missing columns: title_en, summary_fr")
