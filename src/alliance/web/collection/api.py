"""The API of a study's collections (analysts who manage the study only).

- ``GET /api/studies/{study}/collections`` → the study's collections;
- ``GET /api/studies/{study}/collections/{id}/progress`` → ``{complete, partial, goal, open,
  quotas: [{variable, level, label, target, count, expected, filled}]}``: what the collection's
  page polls to stay live.

Members of organisations get 403, anonymous callers 401, analysts of a study restricted to
others 404, as on the pages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from alliance.errors import RequestError
from alliance.web.api_errors import HttpRefusalError
from alliance.web.collection import service
from alliance.web.collection.models import Collection
from alliance.web.studies.runs_api import _study

__all__ = ["router"]

router = Router(tags=["collections"])


def _record(collection: Collection) -> dict[str, Any]:
    return {
        "id": collection.pk, "population": collection.population, "wave": collection.wave,
        "questionnaire": collection.questionnaire_path, "anonymous": collection.anonymous,
        "invitations": collection.invitations, "goal": collection.goal,
        "open": collection.is_open, "created": collection.created_at.isoformat(),
        "closed": collection.closed_at.isoformat() if collection.closed_at else None,
        "wave_file": collection.wave_file or None,
    }  # fmt: skip


@router.get("/studies/{study}/collections")
def collections(request: HttpRequest, study: str) -> list[dict[str, Any]]:
    """List the study's collections, newest first."""
    return [_record(c) for c in _study(request, study).collections.all()]


@router.get("/studies/{study}/collections/{pk}/progress", url_name="collection_progress")
def progress(request: HttpRequest, study: str, pk: int) -> dict[str, Any]:
    """Count complete and partial responses and the quotas filling, now."""
    found = _study(request, study).collections.filter(pk=pk).first()
    if found is None:
        raise HttpRefusalError(404, RequestError("collection.unknown_collection", id=pk))
    return service.progress(found)
