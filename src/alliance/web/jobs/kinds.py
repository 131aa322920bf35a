"""Which function does each kind of job: written once, as data, so the worker needs no registry.

A handler is called as ``handler(job, progress, **job.arguments)`` and returns the job's result (a
JSON object: ids, file names). It raises :class:`~alliance.errors.AllianceError` (a
:class:`~alliance.errors.StudyInvalidError` with its problems…) to fail with a message people can
act on; anything else fails the job with a generic message and is logged with its traceback.

The contract every handler keeps, because a job may run more than once: a worker killed mid-job
(a machine lost, ``kill -9``) stops writing the job's heartbeat, and another worker runs the job
again from the start (:mod:`alliance.web.jobs.worker`), up to three attempts.

- **Nothing half-written.** Files are written whole or not at all (a temporary file renamed into
  place: :func:`alliance.files.atomic_paths`); rows that belong together are written in one
  transaction, at the end, once everything they depend on is ready.
- **Running again is safe.** What a first attempt may have left (a finished file, rows written in
  its last transaction) is either reused as it is (files keyed by their content) or replaced,
  never added a second time: a handler looks for what an earlier attempt of the same job made
  (through ``job.id``) before it creates anything.
- **Arguments are ids and codes**, read afresh from the database: a retried job works on the
  current rows, and a row deleted meanwhile fails the job with a message, not a traceback.
- **The result says where to go**: a ``download`` (an address) is offered on the job's page
  once done, a ``page`` linked to; other keys are the kind's own.
- **Progress is cheap to call** (``progress(fraction, step, subject)``); steps are short names
  the pages translate (``read``, ``weight``, ``estimate``, ``charts``, ``pdf``, ``write``).

Set ``ALLIANCE_TEST_JOBS=1`` in the environment to add the kind ``test.sleep``
(:func:`alliance.web.jobs.testing.sleep`): a job that takes as long as it is told, for tests
that run real worker processes.
"""

from __future__ import annotations

import os

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise

__all__ = ["HANDLERS", "KINDS", "STEPS"]

#: Kind of job → dotted path of its handler.
HANDLERS: dict[str, str] = {
    "study.run": "alliance.web.studies.running.run_study_job",
    "study.check": "alliance.web.studies.workspace.check_study_job",
    "report.pdf": "alliance.web.partnerships.reports.render_report",
}

#: Kind of job → its name on the job's page.
KINDS: dict[str, StrOrPromise] = {
    "report.pdf": _("Rapport PDF du diagnostic"),
    "study.run": _("Production d'une étude"),
    "study.check": _("Lecture et vérification des fichiers d'une étude"),
}

if os.environ.get("ALLIANCE_TEST_JOBS") == "1":
    HANDLERS["test.sleep"] = "alliance.web.jobs.testing.sleep"

#: The steps handlers report → what the pages call them (French source, English by gettext).
STEPS: dict[str, StrOrPromise] = {
    "read": _("Lecture des fichiers"),
    "check": _("Vérification des réponses"),
    "weight": _("Pondération"),
    "estimate": _("Calcul des estimations"),
    "charts": _("Graphiques"),
    "notebook": _("Carnet d'analyse"),
    "pdf": _("Mise en page du PDF"),
    "write": _("Enregistrement des résultats"),
}
