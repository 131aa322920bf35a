"""From study.yaml to the files: the check raises with every problem; the run takes every step."""

from __future__ import annotations

import pytest

from alliance.errors import StudyInvalidError
from alliance.study.pipeline import check_study, run_study_file
from alliance.study.stopwatch import STEPS
from tests.study.conftest import edit

pytestmark = pytest.mark.integration


def test_a_valid_study_is_checked_and_prepared(hand_study):
    prepared = check_study(hand_study)

    assert prepared.errors == []
    assert [p.definition.population for p in prepared.populations] == ["habitants"]


def test_an_invalid_study_raises_with_every_problem(hand_study):
    (hand_study.parent / "data" / "habitants-2024.csv").unlink()
    edit(hand_study, "{item: q_impact, codes: [1, 2]}", "{item: q_inexistant, codes: [1, 2]}")

    with pytest.raises(StudyInvalidError) as caught:
        check_study(hand_study)

    assert caught.value.key == "study.problems_found"
    assert [p.key for p in caught.value.problems] == ["study.item_unknown", "study.file_missing"]
    assert caught.value.message("en") == ("2 error(s) in study barometre-test: nothing was written")
    assert caught.value.message("fr") == (
        "2 erreur(s) dans l'étude barometre-test : rien n'a été écrit"
    )


def test_an_unreadable_definition_is_named_by_its_file(tmp_path):
    with pytest.raises(StudyInvalidError) as caught:
        check_study(tmp_path / "study.yaml")

    assert caught.value.message("en") == "1 error(s) in study study.yaml: nothing was written"


def test_run_writes_nothing_for_an_invalid_study(hand_study, tmp_path):
    (hand_study.parent / "data" / "habitants-2023.sav").unlink()

    with pytest.raises(StudyInvalidError):
        run_study_file(hand_study, tmp_path / "out", "fr")

    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hand-study"]


def test_the_run_takes_every_step_in_order(hand_pipeline):
    outputs, heard, stopwatch = hand_pipeline

    assert [step for step, _ in heard] == [
        "read", "read", "check", "read", "check", "weight", "weight", "estimate", "charts",
        "write", "pdf", "write",
    ]  # fmt: skip
    assert heard[5:8] == [
        ("weight", "habitants 2023"),
        ("weight", "habitants 2024"),
        ("estimate", "habitants"),
    ]
    assert set(stopwatch.seconds) == set(STEPS)
    assert outputs.document.chapters[0].id == "population-habitants"
