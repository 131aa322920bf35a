"""The notebook's referential blocks: chosen items, practice sheets, surveyed populations."""

from __future__ import annotations

from typing import Any

import pytest

from alliance.errors import DataFileError
from alliance.messages import render
from alliance.referential import default_referential
from alliance.report.tables import Figure, Table
from alliance.study.notebook import build_notebook
from alliance.study.run import StudyRun

pytestmark = pytest.mark.unit


def blocks_of(run: StudyRun, lang: str, *specs: Any) -> list[Any]:
    prose = {"chapters": [{"id": "c", "title": {"fr": "C", "en": "C"}, "blocks": list(specs)}]}
    return build_notebook(run, lang, prose=prose).chapters[0].blocks  # type: ignore[arg-type]


def test_chosen_items_of_several_frameworks_with_their_framework_and_status(hand_run):
    chosen = ["levers/alliances", "publications/cycle_cap_2030"]
    spec = {
        "items": [*chosen, "common-objectives/reduire_fragilites"],
        "title": {"fr": "Choisis", "en": "Chosen"},
    }

    [table] = blocks_of(hand_run, "fr", spec)

    assert isinstance(table, Table)
    assert table.title == "Choisis"
    assert [c.key for c in table.columns] == ["framework", "label", "definition", "status"]
    assert [(r["framework"], r["label"], r["status"]) for r in table.rows] == [
        ("Les 3 leviers du modèle socio-économique", "Alliances", "carnet"),
        (
            "Les publications de recherche",
            "Cycle « CAP 2030 vers de nouveaux modèles socio-économiques »",
            "carnet",
        ),
        (
            "Les 4 objectifs communs des alliances d'intérêt général",
            "Objectif commun n° 1 [inconnu]",
            "inconnu",
        ),
    ]
    placeholder = default_referential().item("common-objectives/reduire_fragilites")
    assert placeholder.note is not None
    hypothesis = render("report.hypothesis", "fr", note=placeholder.note("fr"))
    assert table.rows[2]["definition"].endswith(hypothesis)
    assert table.synthetic is False


def test_an_items_block_without_items_is_refused(hand_run):
    with pytest.raises(DataFileError) as caught:
        blocks_of(hand_run, "en", {"items": [], "title": {"fr": "X", "en": "X"}})

    assert caught.value.key == "yaml.invalid"
    assert "no items in notebook block" in caught.value.message("en")


def test_the_practice_sheets_by_profile_with_known_and_unknown_addresses(hand_run):
    [table] = blocks_of(hand_run, "en", {"practice-sheets": True, "title": {"fr": "F", "en": "S"}})

    assert [(r["profile"], r["address"], r["status"]) for r in table.rows] == [
        (
            "Non-profit associations",
            "https://www.lerameau.fr/wp-content/uploads/2022/09/Fiches-Pratiques-Associations-EXE.pdf",
            "notebook",
        ),
        ("Companies", "address unknown", "notebook"),
        ("Foundations", "address unknown", "notebook"),
        (
            "Local authorities",
            "https://www.lerameau.fr/wp-content/uploads/2022/09/Fiches-Pratiques-Collectivites-EXE.pdf",
            "notebook",
        ),
    ]  # fmt: skip
    assert table.rows[1]["note"].startswith("The address of the « Entreprises » practice sheet")


def test_the_surveyed_populations_come_from_the_run(hand_run):
    [table] = blocks_of(hand_run, "fr", {"surveyed-populations": True, "title": {"fr": "P"}})

    assert table.rows == [
        {
            "population": "Habitants",
            "universe": "",
            "samples": "2023 : n = 400 ; 2024 : n = 350",
            "questionnaire": "Baromètre de test des alliances locales (habitants) (2023.1)",
        }
    ]
    assert table.synthetic is True


def test_a_framework_the_referential_draws_comes_as_a_figure_with_its_table(hand_run):
    spec = {"framework": "territorial-engineerings", "title": {"fr": "Ingénieries"}}
    drawn, table = blocks_of(hand_run, "fr", spec, {"framework": "forces-of-change"})

    assert isinstance(drawn, Figure)
    assert drawn.data is not None
    assert [r["label"] for r in drawn.data.rows] == [
        "Ingénierie publique",
        "Ingénierie de management de projet",
        "Ingénierie de « catalyse »",
    ]
    assert "Ingénierie de « catalyse »" in drawn.svg
    assert isinstance(table, Table)
    assert table.title == "Les 7 forces du changement"
    assert [c.key for c in table.columns] == ["label", "definition", "status"]
    assert "parent" not in table.rows[0]
    assert {r["status"] for r in table.rows} == {"inconnu"}
