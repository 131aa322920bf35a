"""A job: one piece of long work (a study run, a PDF) as people follow it, with its progress.

The queue itself is django-tasks' database backend (``django_tasks_db``): it stores the task,
hands it to one worker at a time and records that it ran. A :class:`Job` is what the platform
shows about it: who asked, what kind of work, its status in the API's words (``queued``,
``running``, ``done``, ``failed``), how far it went, the problems that stopped it (in the one
problem shape, French and English), and what it produced. The worker writes ``heartbeat_at``
while the job runs, so a job whose worker died is found and queued again (``alliance.web.jobs``
``.worker``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Job"]


class Job(models.Model):
    """One piece of long work and how far it went."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("échoué")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: What to do: a key of :data:`alliance.web.jobs.kinds.HANDLERS` (``study.run``…).
    kind = models.CharField(_("nature"), max_length=64)
    #: The handler's keyword arguments (JSON: ids and codes, never files).
    arguments = models.JSONField(default=dict)
    status = models.CharField(
        _("état"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    #: From 0 to 1.
    progress = models.FloatField(_("avancement"), default=0.0)
    #: The step under way, in the analyst's words (``read``, ``weight``, ``pdf``…) and its subject.
    step = models.CharField(_("étape"), max_length=32, blank=True)
    subject = models.CharField(_("objet"), max_length=200, blank=True)
    #: Why it failed: each problem's place and its message in both languages
    #: (:func:`alliance.web.jobs.queue.problem_record`).
    problems = models.JSONField(default=list, blank=True)
    #: What it produced (ids, file names), for the page that shows the result.
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("demandé par"),
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fini le"), null=True, blank=True)
    #: Written by the worker while the job runs; a stale one means the worker died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    #: How many times a worker took the job (a job taken again after its worker died counts 2).
    attempts = models.PositiveSmallIntegerField(default=0)
    #: The queue's task (``django_tasks_db.DBTaskResult``) that runs it, for the record.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="jobs_by_heartbeat")]
        verbose_name = _("travail")

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def finished(self) -> bool:
        """Done or failed: nothing more will happen to it."""
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def to_json(self) -> dict[str, Any]:
        """Return the job as the API shows it (``GET /api/runs/{id}`` and the pages' polling)."""
        return {
            "id": str(self.id),
            "kind": self.kind,
            "status": self.status,
            "progress": round(self.progress, 4),
            "step": self.step,
            "subject": self.subject,
            "problems": self.problems,
            "result": self.result,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "attempts": self.attempts,
        }
