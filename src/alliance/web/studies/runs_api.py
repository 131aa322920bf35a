"""The API of a study's runs: start one, follow it, publish it, withdraw a version.

For scripts, the same workflow as the workspace's pages and through the same functions
(:mod:`alliance.web.studies.running`, :mod:`alliance.web.studies.publication`):

- ``POST /api/studies/{study}/runs`` → 202 ``{id, run, status, …}``: the run is queued; ``id``
  is its job's id;
- ``GET /api/runs/{id}`` → its ``status`` (``queued``, ``running``, ``done``, ``failed``),
  ``progress`` (0–1), ``step``, ``problems``; once done, its results' summary;
- ``POST /api/runs/{id}/publish`` → 201 with the new version, or 200 with the current one when
  the results are already published; a run not done answers 409;
- ``POST /api/studies/{study}/versions/{number}/unpublish`` → 200: the version is withdrawn (the
  previous one becomes current; with none left, the study leaves the public pages and API).

Analysts who manage the study only: members of organisations get 403, anonymous callers 401, and
analysts of a study restricted to others 404, as on the pages.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Path, Router, Status
from ninja.errors import HttpError

from alliance.errors import RequestError
from alliance.web.accounts.models import User
from alliance.web.api_errors import HttpRefusalError
from alliance.web.language import current_lang
from alliance.web.permissions import managed_studies, manages_studies, permitted_study
from alliance.web.results.models import Study, StudyVersion
from alliance.web.studies.models import Run
from alliance.web.studies.publication import publish_run, run_results, unpublish
from alliance.web.studies.running import start_run

__all__ = ["router"]

router = Router(tags=["workspace"])


def _study(request: HttpRequest, code: str) -> Study:
    """Return the study if the caller manages it: 403 for members, 404 for other analysts."""
    try:
        return permitted_study(request, code)
    except PermissionDenied:
        raise HttpError(403, "forbidden") from None
    except Http404:
        raise HttpRefusalError(404, RequestError("request.unknown_study", code=code)) from None


def _run(request: HttpRequest, id: str) -> Run:
    """Return the run whose job is ``id``, if the caller manages its study (else 403/404)."""
    if not manages_studies(request.user):
        raise HttpError(403, "forbidden")
    try:
        key = uuid.UUID(id)
    except ValueError:
        key = None
    found = (
        Run.objects.select_related("job", "study")
        .filter(job_id=key, study__in=managed_studies(request.user))
        .first()
        if key
        else None
    )
    if found is None:
        raise HttpRefusalError(404, RequestError("runs.unknown_run", id=id))
    return found


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the router's authentication ensures it
    return request.user


def _record(run: Run) -> dict[str, Any]:
    """Return the run as the API shows it: its job's state, its results' summary once done."""
    record = run.job.to_json() | {"study": run.study.code, "run": run.number, "lang": run.lang}
    if run.job.status == run.job.Status.DONE and run.results is not None:
        results = run_results(run)
        record["results"] = {
            "populations": [
                {"population": p.population, "waves": [{"wave": w.wave, "n": w.n} for w in p.waves]}
                for p in results.populations
            ],
            "estimates": len(results.estimates),
            "fragile": sum(1 for r in results.estimates if r.fragile and not r.suppressed),
            "suppressed": sum(1 for r in results.estimates if r.suppressed),
            "digest": results.digest(),
        }
    return record


@router.post("/studies/{study}/runs", response={202: dict[str, Any]})
def start_study_run(request: HttpRequest, study: str) -> Status[dict[str, Any]]:
    """Run the study's stored files in the background; follow it at ``GET /api/runs/{id}``."""
    found = _study(request, study)
    run = start_run(found, _user(request), current_lang())
    return Status(202, _record(run))


@router.get("/runs/{id}")
def study_run(request: HttpRequest, id: str) -> dict[str, Any]:
    """Tell a run's ``status``, ``progress``, ``step``, ``problems``; its results once done."""
    return _record(_run(request, id))


def _version(version: StudyVersion, created: bool) -> dict[str, Any]:
    return {
        "study": version.study.code,
        "version": version.number,
        "created": created,
        "published_at": version.published_at.isoformat(),
        "withdrawn_at": version.withdrawn_at.isoformat() if version.withdrawn_at else None,
    }


@router.post("/runs/{id}/publish", response={200: dict[str, Any], 201: dict[str, Any]})
def publish_study_run(request: HttpRequest, id: str) -> Status[dict[str, Any]]:
    """Publish a run's results: 201 with a new version, 200 when they are already current."""
    version, created = publish_run(_run(request, id), _user(request))
    return Status(201 if created else 200, _version(version, created))


@router.post("/studies/{study}/versions/{number}/unpublish")
def unpublish_version(
    request: HttpRequest, study: str, number: Annotated[int, Path(ge=1, le=2_147_483_647)]
) -> dict[str, Any]:
    """Withdraw a published version; the previous one not withdrawn becomes current."""
    found = _study(request, study)
    version = StudyVersion.objects.filter(study=found, number=number).first()
    if version is None:
        raise HttpRefusalError(404, RequestError("runs.unknown_version", number=number))
    return _version(unpublish(version, _user(request)), False)
