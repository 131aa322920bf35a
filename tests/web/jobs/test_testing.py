"""The test-only job that sleeps: its progress and result (its kind needs ALLIANCE_TEST_JOBS=1)."""

from __future__ import annotations

import pytest

from alliance.web.jobs import kinds
from alliance.web.jobs.models import Job
from alliance.web.jobs.queue import enqueue
from alliance.web.jobs.worker import run_pending

pytestmark = pytest.mark.integration


def test_the_sleeping_kind_is_offered_only_to_tests():
    assert "test.sleep" not in kinds.HANDLERS


@pytest.mark.django_db(transaction=True)
def test_a_sleeping_job_reports_its_progress_and_which_attempt_finished(monkeypatch):
    monkeypatch.setitem(kinds.HANDLERS, "test.sleep", "alliance.web.jobs.testing.sleep")
    job = enqueue("test.sleep", seconds=0.05)

    run_pending()

    done = Job.objects.get(pk=job.pk)
    assert (done.status, done.step, done.subject) == ("done", "write", "9/10")
    assert done.result == {"slept": 0.05, "attempt": 1}
