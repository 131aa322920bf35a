"""A job as the API shows it, for scripts and the pages' polling: ``GET /api/jobs/{id}``.

The same rule as the job's page (:func:`alliance.web.permissions.visible_jobs`): anonymous 401,
anyone but the person who asked for it (or the analysts of its study) 404, in the API's one
error shape.
"""

from __future__ import annotations

import uuid
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from alliance.web.permissions import visible_jobs

__all__ = ["router"]

router = Router(tags=["jobs"])


@router.get("/jobs/{job_id}")
def job(request: HttpRequest, job_id: str) -> dict[str, Any]:
    """Return a job: its status (queued, running, done, failed), progress, step, problems."""
    try:
        key = uuid.UUID(job_id)
    except ValueError:
        raise HttpError(HTTPStatus.NOT_FOUND, "not found") from None
    found = visible_jobs(request.user).filter(pk=key).first()
    if found is None:
        raise HttpError(HTTPStatus.NOT_FOUND, "not found")
    return found.to_json()
