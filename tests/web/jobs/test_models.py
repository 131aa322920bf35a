"""A job as the API shows it."""

from __future__ import annotations

import pytest

from alliance.web.jobs.models import Job

pytestmark = pytest.mark.integration


def test_a_new_job_is_queued_and_not_finished(db):
    job = Job.objects.create(kind="study.run", arguments={"study": "x"})

    shown = job.to_json()
    assert (shown["status"], shown["progress"], shown["attempts"]) == ("queued", 0.0, 0)
    assert shown["id"] == str(job.id)
    assert not job.finished
    job.status = Job.Status.FAILED
    assert job.finished
