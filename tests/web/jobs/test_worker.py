"""The worker runs what is queued, writes heartbeats, and rescues jobs whose worker died.

A real worker killed mid-job and its job finished by another: tests/web/jobs/test_worker_kill.py.
"""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError
from django.db.models import F
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from alliance.web.jobs import kinds
from alliance.web.jobs.models import Job
from alliance.web.jobs.queue import Progress, enqueue
from alliance.web.jobs.worker import Heartbeat, JobWorker, requeue_stale, run_pending

pytestmark = pytest.mark.integration


def attempt(job: Job, progress: Progress) -> dict[str, Any]:
    return {"attempt": job.attempts}


@pytest.fixture
def handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(kinds.HANDLERS, "test.attempt", f"{__name__}.attempt")


def running(job: Job, *, attempts: int, beat_seconds_ago: float) -> Job:
    """Make ``job`` look taken by a worker that last wrote its heartbeat that long ago."""
    at = timezone.now() - timedelta(seconds=beat_seconds_ago)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=attempts, heartbeat_at=at, started_at=at
    )
    DBTaskResult.objects.filter(pk=job.task_id).update(
        status=TaskResultStatus.RUNNING, started_at=at, worker_ids=["lost"]
    )
    return Job.objects.get(pk=job.pk)


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_died_is_queued_again_and_run_by_another(handlers, settings):
    settings.ALLIANCE_JOB_STALE_AFTER = 30
    job = running(enqueue("test.attempt"), attempts=1, beat_seconds_ago=31)

    assert requeue_stale() == [str(job.pk)]

    queued = Job.objects.get(pk=job.pk)
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert (queued.status, queued.heartbeat_at, queued.attempts) == ("queued", None, 1)
    assert (task.status, task.started_at) == (TaskResultStatus.READY, None)
    run_pending(worker_id="rescuer")
    done = Job.objects.get(pk=job.pk)
    assert (done.status, done.attempts, done.result) == ("done", 2, {"attempt": 2})
    assert DBTaskResult.objects.get(pk=job.task_id).worker_ids == ["lost", "rescuer"]


@pytest.mark.django_db(transaction=True)
def test_a_job_with_a_recent_heartbeat_is_left_to_its_worker(handlers, settings):
    settings.ALLIANCE_JOB_STALE_AFTER = 30
    job = running(enqueue("test.attempt"), attempts=1, beat_seconds_ago=5)

    assert requeue_stale() == []
    assert Job.objects.get(pk=job.pk).status == "running"


@pytest.mark.django_db(transaction=True)
def test_a_job_that_lost_its_worker_three_times_fails_and_says_why(handlers, settings):
    settings.ALLIANCE_JOB_STALE_AFTER = 30
    job = running(enqueue("test.attempt"), attempts=3, beat_seconds_ago=60)

    requeue_stale()
    run_pending()

    failed = Job.objects.get(pk=job.pk)
    assert (failed.status, failed.attempts) == ("failed", 3)
    [problem] = failed.problems
    assert problem["key"] == "jobs.worker_lost"
    assert problem["messages"]["fr"].startswith("Le travail a été interrompu 3 fois")
    assert problem["messages"]["en"].startswith("The job was interrupted 3 times")
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_task_was_pruned_gets_a_fresh_one(handlers, settings):
    settings.ALLIANCE_JOB_STALE_AFTER = 30
    job = running(enqueue("test.attempt"), attempts=1, beat_seconds_ago=31)
    DBTaskResult.objects.filter(pk=job.task_id).delete()

    requeue_stale()
    run_pending()

    done = Job.objects.get(pk=job.pk)
    assert done.task_id != job.task_id
    assert (done.status, done.attempts) == ("done", 2)


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_is_written_while_the_job_runs(handlers):
    job = running(enqueue("test.attempt"), attempts=1, beat_seconds_ago=100)

    with Heartbeat(str(job.pk), interval=0.01):
        deadline = time.monotonic() + 10
        while Job.objects.get(pk=job.pk).heartbeat_at == job.heartbeat_at:
            assert time.monotonic() < deadline, "no heartbeat written"
            time.sleep(0.01)

    assert requeue_stale() == []


def beaten(job: Job, progress: Progress) -> dict[str, Any]:
    """Wait, without reporting progress, until the worker's heartbeat thread has written."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if Job.objects.get(pk=job.pk).heartbeat_at != job.heartbeat_at:
                return {"beaten": True}
        except DatabaseError:  # SQLite's shared in-memory test database, locked by the thread
            pass
        time.sleep(0.01)
    return {"beaten": False}


@pytest.mark.django_db(transaction=True)
def test_the_worker_beats_for_the_attempt_it_runs(monkeypatch, settings):
    settings.ALLIANCE_JOB_HEARTBEAT = 0.02
    monkeypatch.setitem(kinds.HANDLERS, "test.beaten", f"{__name__}.beaten")
    job = enqueue("test.beaten")

    run_pending()

    assert Job.objects.get(pk=job.pk).result == {"beaten": True}


def overtaken(job: Job, progress: Progress) -> dict[str, Any]:
    """Stand for a worker taken for dead: meanwhile the job was queued again and retaken."""
    Job.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1)
    return {"attempt": job.attempts}


@pytest.mark.django_db(transaction=True)
def test_a_worker_taken_for_dead_does_not_overwrite_the_next_attempt(monkeypatch):
    monkeypatch.setitem(kinds.HANDLERS, "test.overtaken", f"{__name__}.overtaken")
    job = enqueue("test.overtaken")

    run_pending()

    still = Job.objects.get(pk=job.pk)
    assert (still.status, still.attempts, still.result, still.finished_at) == (
        "running",
        2,
        {},
        None,
    )


@pytest.mark.django_db(transaction=True)
def test_a_job_deleted_before_it_runs_is_skipped(handlers):
    job = enqueue("test.attempt")
    Job.objects.filter(pk=job.pk).delete()

    run_pending()

    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_a_worker_run_once_takes_every_queued_job_then_returns(handlers):
    jobs = [enqueue("test.attempt") for _ in range(3)]

    JobWorker(worker_id="once", interval=0, once=True, delay=False).run()

    assert {Job.objects.get(pk=job.pk).status for job in jobs} == {"done"}


def test_a_second_signal_while_idle_and_stopping_changes_nothing():
    worker = JobWorker(worker_id="stopping", interval=0, once=True, delay=False)
    worker.running = False  # the first signal came, no job runs

    worker.shutdown(signal.SIGTERM, None)  # no SystemExit: it is already on its way out

    assert (worker.running, worker.running_task) == (False, False)
