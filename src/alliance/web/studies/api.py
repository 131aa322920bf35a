"""The workspace's API for studies and their files (analyst token or session).

- ``POST /api/studies``: a definition as JSON (``study.yaml``'s schema, checked by the core's
  :class:`~alliance.study.definition.StudyDefinition`), or multipart with the field ``archive``
  (a zipped study folder) → 201 with the study, its files and their state, its problems. Declared
  on the published studies' router, beside ``GET /api/studies``: with django-ninja one address
  is one router's (a second router's ``/studies`` would answer 405 to one of the methods).
- ``POST /api/studies/{study}/files``: multipart, the field ``file`` and the form field ``path``
  (as ``study.yaml`` names it) → 201 with how it was read and its validation report.

Members of organisations get 403, anonymous callers 401, an unknown study or one restricted to
other analysts 404, a study code already taken 409; every error in the API's one shape.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from alliance.errors import Location, RequestError
from alliance.web.accounts.api import PRIVATE
from alliance.web.accounts.models import User
from alliance.web.api_errors import HttpRefusalError
from alliance.web.language import current_lang
from alliance.web.permissions import managed_studies, manages_studies
from alliance.web.results.api import router as results_router
from alliance.web.results.models import Study
from alliance.web.studies import workspace
from alliance.web.studies.models import StudyFile

__all__ = ["router"]

router = Router(tags=["workspace"])

#: ``POST /api/studies`` takes JSON or a multipart archive: its body, as OpenAPI says it.
STUDY_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {"type": "object", "description": "study.yaml's content, as JSON"}
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"archive": {"type": "string", "format": "binary"}},
                "required": ["archive"],
            }
        },
    },
}


def _analyst(request: HttpRequest) -> User:
    """Return the caller if observatory staff; members of organisations get 403."""
    if not manages_studies(request.user):
        raise HttpRefusalError(403, RequestError("request.forbidden"))
    assert isinstance(request.user, User)
    return request.user


def _study(request: HttpRequest, code: str) -> Study:
    _analyst(request)
    found = managed_studies(request.user).filter(code=code).first()
    if found is None:
        raise HttpRefusalError(404, RequestError("request.unknown_study", code=code))
    return found


def _counts(problems: list[dict[str, Any]]) -> dict[str, int]:
    errors = sum(1 for p in problems if p["severity"] == "error")
    return {"errors": errors, "warnings": len(problems) - errors}


def _file(stored: StudyFile) -> dict[str, Any]:
    return {
        "path": stored.path,
        "sha256": stored.sha256,
        "size": stored.size,
        "uploaded_at": stored.uploaded_at.isoformat(),
        "reading": stored.reading,
        "problems": stored.problems,
        "counts": _counts(stored.problems),
    }


def study_record(study: Study) -> dict[str, Any]:
    """Return a study of the workspace: its files as ``study.yaml`` names them, its problems."""
    rows, others = workspace.file_states(study)
    definition = study.files.filter(path=workspace.DEFINITION).first()
    problems = definition.problems if definition else []
    files = [
        {
            "path": row["path"], "role": row["role"], "population": row["population"],
            "wave": row["wave"], "state": row["state"],
            "reading": row["file"].reading if row["file"] else None,
            "counts": {"errors": row["errors"], "warnings": row["warnings"]},
        }
        for row in rows
    ]  # fmt: skip
    files += [
        {"path": f.path, "role": None, "population": None, "wave": None, "state": "uploaded",
         "reading": f.reading, "counts": _counts(f.problems)}
        for f in others
    ]  # fmt: skip
    return {
        "study": study.code,
        "code": study.code,
        "title": study.title(current_lang()),
        "titles": {"fr": study.title_fr, "en": study.title_en},
        "synthetic": study.synthetic,
        "files": files,
        "problems": problems,
        "counts": _counts(problems),
    }


@results_router.post(
    "/studies",
    auth=PRIVATE,
    response={201: dict[str, Any]},
    openapi_extra={"requestBody": STUDY_BODY},
    tags=["workspace"],
)
def create_study(request: HttpRequest) -> Status[dict[str, Any]]:
    """Create a study from a definition (JSON) or a zipped study folder (multipart ``archive``)."""
    user = _analyst(request)
    if request.content_type == "multipart/form-data":
        archive = request.FILES.get("archive")
        if archive is None:
            raise RequestError("upload.file_required", Location(field="archive"))
        study = workspace.create_from_archive(user, archive)
    else:
        try:
            data = json.loads(request.body or b"null")
        except ValueError:
            raise RequestError("request.invalid_json") from None
        if not isinstance(data, dict):
            raise RequestError("study.definition_not_mapping", Location(file="study.yaml"))
        study = workspace.create_from_definition(user, data)
    return Status(201, study_record(study))


@router.post("/studies/{study}/files", response={201: dict[str, Any]})
def upload_file(
    request: HttpRequest, study: str, file: File[UploadedFile], path: Form[str]
) -> Status[dict[str, Any]]:
    """Store a file of the study under ``path``; answer how it was read and its report."""
    found = _study(request, study)
    if not path.strip():
        raise RequestError("upload.path_required", Location(field="path"))
    stored = workspace.store_file(found, path, file, _analyst(request))
    return Status(201, _file(stored) | {"study": found.code})
