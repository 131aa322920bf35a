"""Which function does each kind of job: written once, as data, so the worker needs no registry.

A handler is called as ``handler(job, progress, **job.arguments)`` and returns the job's result (a
JSON object: ids, file names). It raises :class:`~alliance.errors.AllianceError` (a
:class:`~alliance.errors.StudyInvalidError` with its problems…) to fail with a message people can
act on; anything else fails the job with a generic message and is logged with its traceback.
"""

from __future__ import annotations

__all__ = ["HANDLERS"]

#: Kind of job → dotted path of its handler.
HANDLERS: dict[str, str] = {
    "study.run": "alliance.web.studies.running.run_study_job",
}
