"""Studies for the tests: copies of the fixture study, and runs of it shared by the session.

``tests/study/data/hand-study`` belongs to ``test_reference_r.py`` (its figures are checked
against R): tests never edit it in place, they copy it first (:func:`hand_study`). The runs that
write a PDF are slow, so each is made once per session.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alliance.study.check import prepare_study
from alliance.study.outputs import StudyOutputs
from alliance.study.pipeline import run_study_file
from alliance.study.run import StudyRun, run_study
from alliance.study.stopwatch import Stopwatch

HAND_STUDY = Path(__file__).parent / "data" / "hand-study"


def copy_hand_study(folder: Path) -> Path:
    """Copy the fixture study into ``folder``; return its ``study.yaml``."""
    shutil.copytree(HAND_STUDY, folder)
    return folder / "study.yaml"


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact text of a file (it must be there once)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def hand_study(tmp_path: Path) -> Path:
    """A fresh copy of the fixture study, free to edit: its ``study.yaml``."""
    return copy_hand_study(tmp_path / "hand-study")


@pytest.fixture(scope="session")
def hand_run(tmp_path_factory: pytest.TempPathFactory) -> StudyRun:
    """The fixture study checked and run (no files written)."""
    path = copy_hand_study(tmp_path_factory.mktemp("hand-run") / "hand-study")
    return run_study(prepare_study(path))


@pytest.fixture(scope="session")
def hand_pipeline(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[StudyOutputs, list[tuple[str, str]], Stopwatch]:
    """The fixture study run to its seven files, in French, with the steps heard on the way."""
    base = tmp_path_factory.mktemp("hand-outputs")
    heard: list[tuple[str, str]] = []
    stopwatch = Stopwatch(lambda step, subject: heard.append((step, subject)))
    study = copy_hand_study(base / "hand-study")
    return run_study_file(study, base / "out", "fr", stopwatch=stopwatch), heard, stopwatch


@pytest.fixture(scope="session")
def hand_outputs(
    hand_pipeline: tuple[StudyOutputs, list[tuple[str, str]], Stopwatch],
) -> StudyOutputs:
    """The fixture study's seven files, in French."""
    return hand_pipeline[0]
