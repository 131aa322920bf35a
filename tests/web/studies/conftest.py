"""Workspace tests: stored files in a temporary folder; the hand study run once, and done runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alliance.study.diagnostics import weighting_records
from alliance.study.outputs import StudyOutputs
from alliance.study.pipeline import run_study_file
from alliance.web.accounts.models import User
from alliance.web.jobs.models import Job
from alliance.web.studies.models import Run
from tests.study.conftest import HAND_STUDY
from tests.web.studies import stored_study

STUDY = "barometre-test"


@pytest.fixture(autouse=True)
def storage(settings, tmp_path: Path) -> Path:
    """Every workspace test keeps its stored files in its own temporary folder."""
    folder = tmp_path / "storage"
    settings.MEDIA_ROOT = folder
    return folder


@pytest.fixture(scope="session")
def hand_outputs(tmp_path_factory: pytest.TempPathFactory) -> StudyOutputs:
    """The hand study run to its files once (what a run's job keeps)."""
    return run_study_file(HAND_STUDY / "study.yaml", tmp_path_factory.mktemp("hand") / "out", "fr")


def done_run(outputs: StudyOutputs, storage: Path, user: User | None, number: int = 1) -> Run:
    """A run of the hand study finished by its job: results, diagnostics, outputs in storage."""
    study = stored_study(HAND_STUDY, STUDY) if number == 1 else Run.objects.get(number=1).study
    relative = f"studies/{STUDY}/runs/{number}"
    shutil.copytree(outputs.folder, storage / relative)
    job = Job.objects.create(
        kind="study.run", status=Job.Status.DONE, progress=1.0, created_by=user
    )
    return Run.objects.create(
        study=study,
        number=number,
        job=job,
        created_by=user,
        results=outputs.run.results.to_json(),
        weighting=weighting_records(outputs.run),
        outputs=relative,
        inputs={f.path: f.sha256 for f in study.files.all()},
    )


@pytest.fixture
def run(hand_outputs: StudyOutputs, storage: Path, people: dict[str, User]) -> Run:
    return done_run(hand_outputs, storage, people["analyst"])
