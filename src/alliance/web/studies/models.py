"""A study in the analysts' workspace: its files, its runs and the record of its publications.

The study itself is :class:`alliance.web.results.models.Study` (one home for a study): it exists
from the moment an analyst creates it, and appears on the public pages once a version is
published. Here live what only analysts see:

- :class:`StudyFile`: each file of the study folder (``study.yaml``, questionnaires, margins,
  waves), stored under its path as ``study.yaml`` names it, with how it was read and its
  validation report;
- :class:`Run`: one run of the whole study (import → check → weight → estimate → notebook), done
  by a background job, with its results and weighting diagnostics kept for preview and publication;
- :class:`PublicationEvent`: who published or unpublished which version, when (the audit trail).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.web.jobs.models import Job
from alliance.web.results.models import Study, StudyVersion

__all__ = ["PublicationEvent", "Run", "StudyFile"]


def _upload_to(instance: StudyFile, filename: str) -> str:
    """Files are stored per study under a fresh name (the study's path is kept in ``path``)."""
    return f"studies/{instance.study.code}/files/{filename}"


class StudyFile(models.Model):
    """One file of a study folder, under the path ``study.yaml`` gives it."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="files")
    #: The file's path in the study folder (``study.yaml``, ``data/vague-2024.sav``).
    path = models.CharField(_("chemin"), max_length=300)
    content = models.FileField(upload_to=_upload_to, max_length=500)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    #: How it was read: format, encoding, separator, rows, columns.
    reading = models.JSONField(default=dict, blank=True)
    #: Its validation report: problems (:func:`alliance.web.jobs.queue.problem_record`).
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("study", "path")
        constraints = [models.UniqueConstraint(fields=["study", "path"], name="one_file_per_path")]
        verbose_name = _("fichier d'étude")

    def __str__(self) -> str:
        return f"{self.study.code}:{self.path}"


class Run(models.Model):
    """One run of a whole study, done by a job; its results wait here to be previewed, published."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveIntegerField(_("numéro"))
    job = models.OneToOneField(Job, on_delete=models.PROTECT, related_name="run")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("lancé le"), default=timezone.now)
    #: The language of the notebook it wrote.
    lang = models.CharField(max_length=2, default="fr")
    #: The files' checksums at launch ({path: sha256}), so a run says what it read.
    inputs = models.JSONField(default=dict, blank=True)
    #: :meth:`alliance.study.results.StudyResults.to_json`, once done.
    results = models.JSONField(null=True, blank=True)
    #: Each population's and wave's weighting diagnostics, once done.
    weighting = models.JSONField(default=list, blank=True)
    #: Where its outputs (notebook HTML, PDF, XLSX, open data) are kept in the file storage.
    outputs = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("study", "-number")
        constraints = [
            models.UniqueConstraint(fields=["study", "number"], name="one_number_per_run")
        ]
        verbose_name = _("exécution")

    def __str__(self) -> str:
        return f"{self.study.code} run {self.number}"


class PublicationEvent(models.Model):
    """One publication or withdrawal of a version, by whom and when (never edited nor deleted)."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("publication")
        UNPUBLISH = "unpublish", _("dépublication")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="publication_events")
    version = models.ForeignKey(StudyVersion, on_delete=models.CASCADE, related_name="events")
    run = models.ForeignKey(Run, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ("-at", "-pk")
        verbose_name = _("événement de publication")

    def __str__(self) -> str:
        return f"{self.study.code} v{self.version.number} {self.action}"
