"""A study's files and runs: one file per path, one number per run."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError

from alliance.web.jobs.models import Job
from alliance.web.results.models import Study
from alliance.web.studies.models import Run, StudyFile

pytestmark = pytest.mark.integration


@pytest.fixture
def study(db) -> Study:
    return Study.objects.create(code="barometre-test", title_fr="Baromètre", title_en="Barometer")


def test_one_file_per_path(study: Study, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    StudyFile.objects.create(
        study=study, path="study.yaml", content=ContentFile(b"x", "study.yaml")
    )

    with pytest.raises(IntegrityError):
        StudyFile.objects.create(
            study=study, path="study.yaml", content=ContentFile(b"y", "study.yaml")
        )


def test_runs_are_numbered_per_study(study: Study):
    Run.objects.create(study=study, number=1, job=Job.objects.create(kind="study.run"))

    assert str(study.runs.get()) == "barometre-test run 1"
    with pytest.raises(IntegrityError):
        Run.objects.create(study=study, number=1, job=Job.objects.create(kind="study.run"))
