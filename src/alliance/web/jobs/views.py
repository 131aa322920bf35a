"""A job's page: its progress while it runs, then its result or why it failed.

Shown to whom :func:`alliance.web.permissions.visible_jobs` allows; anyone else gets 404, so a
job's existence does not leak. The page polls ``GET /api/jobs/{id}`` (``alliance/jobs.js``) and
reloads itself when the job ends; without JavaScript it refreshes every two seconds.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from alliance.web.jobs.kinds import KINDS
from alliance.web.permissions import visible_jobs

__all__ = ["job_page"]


@require_GET
@login_required
def job_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Show one job to the person who asked for it (or the analysts of its study)."""
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    title = KINDS.get(job.kind, job.kind)
    return render(request, "jobs/job.html", {"job": job, "title": title})
