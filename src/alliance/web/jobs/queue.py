"""Putting work on the queue, and what a job tells while it runs: its steps, progress and end.

Pages and API endpoints call :func:`enqueue` and answer at once (202 with the job's id); a worker
(``alliance worker``, or the one ``alliance serve`` starts) takes the job from the database and
calls its handler (:mod:`alliance.web.jobs.kinds`) through :func:`execute`. The job's row is the
one place its state lives, so any page, on any server, can show it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from alliance.errors import AllianceError, StudyInvalidError
from alliance.i18n import Lang
from alliance.messages import render
from alliance.survey.problems import Problem
from alliance.web.accounts.models import User
from alliance.web.jobs.kinds import HANDLERS
from alliance.web.jobs.models import Job

__all__ = ["Progress", "enqueue", "execute", "problem_record"]

logger = logging.getLogger("alliance.web.jobs")

LANGS: tuple[Lang, ...] = ("fr", "en")


def enqueue(kind: str, *, user: User | None = None, **arguments: Any) -> Job:
    """Queue a job of ``kind`` with its handler's keyword ``arguments``; return it, queued."""
    if kind not in HANDLERS:
        raise ValueError(f"unknown kind of job: {kind}")
    with transaction.atomic():
        job = Job.objects.create(kind=kind, arguments=arguments, created_by=user)
        result = execute.enqueue(str(job.id))
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
    return job


class Progress:
    """What a handler says as it works: the step under way and how far the job went (0–1)."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self, fraction: float, step: str = "", subject: str = "") -> None:
        """Record that the job is at ``fraction``, doing ``step`` on ``subject``."""
        self.job.progress = min(max(fraction, 0.0), 1.0)
        self.job.step, self.job.subject = step[:32], subject[:200]
        self.job.heartbeat_at = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(
            progress=self.job.progress,
            step=self.job.step,
            subject=self.job.subject,
            heartbeat_at=self.job.heartbeat_at,
        )


def problem_record(problem: Problem) -> dict[str, Any]:
    """Return a problem as a job keeps it: its place, severity and message in both languages."""
    record = problem.record("fr")
    del record["message"]
    return {**record, "messages": {lang: problem.text(lang) for lang in LANGS}}


def error_records(error: AllianceError) -> list[dict[str, Any]]:
    """Return the problems an error stands for: a study's every problem, or the error itself."""
    if isinstance(error, StudyInvalidError) and error.problems:
        return [problem_record(p) for p in error.problems]
    where = error.location
    return [
        {
            "severity": "error",
            "file": where.file,
            "line": where.line,
            "row": where.row,
            "column": where.field,
            "value": where.value,
            "key": error.key,
            "messages": {lang: error.message(lang) for lang in LANGS},
        }
    ]


def _finish(job: Job, status: str, **fields: Any) -> None:
    """Record how the job ended, unless the job is no longer this attempt's.

    A worker taken for dead whose job was queued again (or failed) must not write over what
    the next attempt does: the row is updated only while it is still running this attempt.
    """
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts).update(
        status=status, finished_at=timezone.now(), **fields
    )


@task()
def execute(job_id: str) -> None:
    """Run one job (called by the worker): mark it running, call its handler, record the end.

    A job deleted meanwhile (its study erased…) or already finished is skipped.
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("job %s no longer exists: skipped", job_id)
        return
    if job.finished:
        return
    now = timezone.now()
    job.status, job.started_at, job.heartbeat_at = Job.Status.RUNNING, now, now
    job.attempts += 1
    started = Job.objects.filter(pk=job.pk, status__in=(Job.Status.QUEUED, Job.Status.RUNNING))
    fields = {"started_at": now, "heartbeat_at": now, "attempts": job.attempts}
    if not started.update(status=job.status, **fields):
        return  # deleted or finished meanwhile
    try:
        handler = import_string(HANDLERS[job.kind])
        result = handler(job, Progress(job), **job.arguments)
    except AllianceError as error:
        _finish(job, Job.Status.FAILED, problems=error_records(error))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        message = {lang: render("jobs.internal_error", lang) for lang in LANGS}
        _finish(job, Job.Status.FAILED, problems=[{"severity": "error", "messages": message}])
    else:
        _finish(job, Job.Status.DONE, progress=1.0, result=result or {})
