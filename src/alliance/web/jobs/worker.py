"""The worker: takes queued jobs from the database one at a time, runs them, and rescues the lost.

It is django-tasks-db's worker (``db_worker``), which claims a task with ``SELECT … FOR UPDATE
SKIP LOCKED`` on PostgreSQL (an exclusive transaction on SQLite), so several workers on several
machines never take the same job, and which, on SIGTERM, finishes its job before it stops.

What it lacks (upstream issue RealOrangeOne/django-tasks#46): a worker killed mid-job (``kill
-9``, a machine lost) leaves its task ``RUNNING`` for ever. So while a job runs a thread writes
its heartbeat (``Job.heartbeat_at``) every ``ALLIANCE_JOB_HEARTBEAT`` seconds, and every worker,
between jobs, puts back on the queue the jobs whose heartbeat is older than
``ALLIANCE_JOB_STALE_AFTER``: the same task back to ``READY``, the job back to ``queued``. After
``ALLIANCE_JOB_ATTEMPTS`` attempts the job fails with ``jobs.worker_lost`` instead (a job that
kills its worker every time must not be retried for ever). Handlers are written so that running
them again is safe (:mod:`alliance.web.jobs.kinds`).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from alliance.messages import render
from alliance.web.jobs.models import Job
from alliance.web.jobs.queue import LANGS, execute

__all__ = ["Heartbeat", "JobWorker", "requeue_stale", "run_pending"]

logger = logging.getLogger("alliance.web.jobs")

#: The task every job runs through (its dotted path, as django-tasks-db stores it).
EXECUTE_PATH = execute.module_path


class Heartbeat:
    """A thread that writes a running job's heartbeat every ``interval`` seconds until stopped.

    It writes only while the job is still this attempt's (``attempts`` unchanged, ``running``):
    a worker taken for dead and then come back does not revive the job's heartbeat.
    """

    def __init__(self, job_id: str, interval: float) -> None:
        self.job_id, self.interval = job_id, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        # The attempt is read at the first beat, once ``execute`` has counted it; every query is
        # in the loop's ``try``: a locked database costs one beat, never the thread.
        attempt: int | None = None
        try:
            while not self._stop.wait(self.interval):
                try:
                    if attempt is None:
                        jobs = Job.objects.filter(pk=self.job_id)
                        attempt = jobs.values_list("attempts", flat=True).first()
                        if attempt is None:
                            return  # the job was deleted: nothing to beat for
                    Job.objects.filter(
                        pk=self.job_id, status=Job.Status.RUNNING, attempts=attempt
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:  # a locked database: the next beat will do
                    logger.warning("heartbeat of job %s not written", self.job_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection


def _job_id(task_result: DBTaskResult[..., Any]) -> str | None:
    """Return the job a queued task runs, if it is a job's task."""
    if task_result.task_path != EXECUTE_PATH:
        return None
    arguments = task_result.args_kwargs.get("args") or [None]
    return str(arguments[0]) if arguments[0] else None


def requeue_stale(*, now: Any = None) -> list[str]:
    """Queue again the running jobs whose worker stopped writing their heartbeat; fail the worn.

    Rows are taken with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL) inside an exclusive
    transaction (SQLite), so two workers never requeue the same job twice. Return the ids of the
    jobs handled.
    """
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.ALLIANCE_JOB_STALE_AFTER)
    handled: list[str] = []
    stale_filter = {"status": Job.Status.RUNNING, "heartbeat_at__lt": limit}
    if not Job.objects.filter(**stale_filter).exists():
        return handled  # the usual case, read without taking SQLite's write lock
    with exclusive_transaction(Job.objects.db):
        stale = Job.objects.select_for_update(skip_locked=True).filter(**stale_filter)
        for job in stale:
            handled.append(str(job.pk))
            if job.attempts >= settings.ALLIANCE_JOB_ATTEMPTS:
                _give_up(job, now)
            else:
                _requeue(job)
    return handled


def _requeue(job: Job) -> None:
    """Put the job's own task back to ``READY`` (or a fresh task if it is gone)."""
    logger.warning("job %s (%s) lost its worker: queued again", job.pk, job.kind)
    reset = 0
    if job.task_id:
        reset = DBTaskResult.objects.filter(pk=job.task_id).update(
            status=TaskResultStatus.READY, started_at=None, finished_at=None
        )
    if not reset:
        job.task_id = str(execute.enqueue(str(job.pk)).id)
    job.status, job.heartbeat_at = Job.Status.QUEUED, None
    job.save(update_fields=["status", "heartbeat_at", "task_id"])


def _give_up(job: Job, now: Any) -> None:
    """Fail a job whose workers died ``attempts`` times, and close its task."""
    logger.error("job %s (%s) lost its worker %d times: failed", job.pk, job.kind, job.attempts)
    messages = {lang: render("jobs.worker_lost", lang, attempts=job.attempts) for lang in LANGS}
    problem = {"severity": "error", "key": "jobs.worker_lost", "messages": messages}
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, finished_at=now, problems=[problem]
    )
    if job.task_id:
        DBTaskResult.objects.filter(pk=job.task_id).update(
            status=TaskResultStatus.FAILED, finished_at=now
        )


class JobWorker(Worker):
    """django-tasks-db's worker, with heartbeats while a job runs and rescue of the lost ones.

    ``once``: run what is queued, then return (else wait ``interval`` seconds and look again).
    """

    def __init__(
        self, *, worker_id: str, interval: float = 1.0, once: bool = False, delay: bool = True
    ) -> None:
        # The parent runs in batch mode: it returns when the queue is empty, so that this class
        # looks for stale jobs and sleeps between its rounds.
        super().__init__(
            queue_names=["default"],
            interval=interval,
            batch=True,
            backend_name="default",
            startup_delay=delay,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.once = once

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        """Stop on SIGTERM or SIGINT after the current job; a second signal abandons the job.

        A second signal while no job runs (the worker already on its way out) changes nothing.
        """
        if not self.running and not self.running_task:
            return
        super().shutdown(signum, frame)

    def run(self) -> None:
        """Run jobs until stopped (SIGTERM, SIGINT) or, with ``once``, until none is left."""
        logger.info("worker %s started", self.worker_id)
        while self.running:
            self.rescue()
            super().run()
            self.startup_delay = False
            if self.once or not self.running:
                return
            self.sleep()

    def sleep(self) -> None:
        """Wait before looking again (a signal ends the wait: the parent exits when idle)."""
        time.sleep(self.interval)

    def rescue(self) -> None:
        """Requeue the stale jobs, never failing the worker for it (the next round retries)."""
        try:
            requeue_stale()
        except DatabaseError:
            logger.warning("stale jobs not looked for this time", exc_info=True)

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        """Run the task with the job's heartbeat going, after rescuing stale jobs."""
        self.rescue()
        job_id = _job_id(db_task_result)
        if job_id is None:
            super().run_task(db_task_result)
            return
        with Heartbeat(job_id, settings.ALLIANCE_JOB_HEARTBEAT):
            super().run_task(db_task_result)


def run_pending(*, worker_id: str = "inline") -> None:
    """Run every queued job, then return (tests, ``alliance study`` commands run in one process)."""
    JobWorker(worker_id=worker_id, interval=0, once=True, delay=False).run()
