"""The REST API under ``/api/`` (django-ninja), with its OpenAPI schema at ``/api/openapi.json``.

Scripts authenticate with ``POST /api/auth/token`` (``{"email", "password"}`` → ``{"token"}``)
then send ``Authorization: Bearer <token>``; pages' session cookies work too. Tokens (expiry,
listing, revocation) are in :mod:`alliance.web.accounts.api`. The rules are those
of :mod:`alliance.web.permissions`: public data for everyone, an organisation's data for its
members; anonymous requests for private data get 401, other organisations' data 404. Published
studies are in :mod:`alliance.web.results.api`, organisations' work in
:mod:`alliance.web.partnerships.api`, a study's runs and publication (analysts) in
:mod:`alliance.web.studies.runs_api`.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status

from alliance.errors import ConfirmationError, Location, RequestError
from alliance.referential import default_referential
from alliance.referential.records import framework_record, item_record
from alliance.web.accounts.api import PRIVATE
from alliance.web.accounts.api import router as accounts_router
from alliance.web.api_errors import AllianceAPI, HttpRefusalError
from alliance.web.collection.api import router as collection_router
from alliance.web.examples.models import InspiringExample
from alliance.web.examples.search import Filters, search
from alliance.web.jobs.api import router as jobs_router
from alliance.web.organisations import registration
from alliance.web.organisations.api import router as organisations_router
from alliance.web.organisations.models import Organisation
from alliance.web.paging import Page, Slice, window
from alliance.web.partnerships.api import router as partnerships_router
from alliance.web.partnerships.export import erase
from alliance.web.permissions import Action, permitted_organisation, visible_organisations
from alliance.web.results.api import router as results_router
from alliance.web.studies.api import router as workspace_router
from alliance.web.studies.runs_api import router as runs_router
from alliance.web.territories.api import router as territories_router

__all__ = ["api"]


#: Errors answer ``{detail, key, messages: {fr, en}}`` (:mod:`alliance.web.api_errors`).
api = AllianceAPI(
    title="Alliance Observatory API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "fr"


@api.get("/referential/frameworks", tags=["referential"])
def frameworks(request: HttpRequest, lang: str = "fr") -> list[dict[str, Any]]:
    """Every framework of the referential."""
    referential = default_referential()
    return [framework_record(f, referential, _lang(lang)) for f in referential]  # type: ignore[arg-type]


@api.get("/referential/frameworks/{code}", tags=["referential"])
def framework(request: HttpRequest, code: str, lang: str = "fr") -> dict[str, Any]:
    """One framework with its items."""
    referential = default_referential()
    if code not in {f.code for f in referential}:
        raise HttpRefusalError(404, RequestError("request.unknown_framework", code=code))
    found = referential.framework(code)
    record = framework_record(found, referential, _lang(lang))  # type: ignore[arg-type]
    record["items_list"] = [item_record(i, referential, _lang(lang)) for i in found]  # type: ignore[arg-type]
    return record


def _example(example: InspiringExample, lang: str) -> dict[str, Any]:
    return {
        "code": example.code,
        "title": example.title(lang),
        "summary": example.summary(lang),
        "partners": example.partners,
        "category": example.category,
        "objectives": example.objectives,
        "region": example.region,
        "commune": example.commune,
        "year": example.year,
        "sdg": example.sdg,
        "innovation_stage": example.innovation_stage,
        "impacts": example.impacts,
        "synthetic": example.synthetic,
    }


@api.get("/examples", tags=["examples"])
def examples(
    request: HttpRequest,
    q: str = "",
    category: str = "",
    profile: str = "",
    region: str = "",
    sdg: Annotated[int, Field(ge=1, le=17)] | None = None,
    stage: str = "",
    lang: str = "fr",
    *,
    page: Query[Page],
) -> dict[str, Any]:
    """Search the catalogue (``?q=`` ignores case and accents) with facets, paginated."""
    found = search(
        Filters(q=q, category=category, profile=profile, region=region, sdg=sdg, stage=stage)
    )
    rows = window(found, page)
    return {"count": found.count(), "results": [_example(e, _lang(lang)) for e in rows]}


@api.get("/examples/{code}", tags=["examples"])
def example(request: HttpRequest, code: str, lang: str = "fr") -> dict[str, Any]:
    """One example."""
    found = InspiringExample.objects.filter(code=code).first()
    if found is None:
        raise HttpRefusalError(404, RequestError("request.unknown_example", code=code))
    return _example(found, _lang(lang))


def _organisation(o: Organisation) -> dict[str, Any]:
    return {"id": o.pk, "name": o.name, "profile": o.profile, "siren": o.siren, "rna": o.rna,
            "commune": o.commune, "synthetic": o.synthetic}  # fmt: skip


@api.get("/organisations", auth=PRIVATE, tags=["organisations"])
def organisations(request: HttpRequest, page: Query[Slice]) -> list[dict[str, Any]]:
    """List the caller's organisations (``limit``, ``offset``: a slice of them)."""
    return [_organisation(o) for o in window(visible_organisations(request.user), page)]


class OrganisationDetails(Schema):
    name: str | None = None
    profile: str | None = None
    siren: str | None = None
    rna: str | None = None
    commune: str | None = None


@api.post("/organisations", auth=PRIVATE, tags=["organisations"], response={201: dict[str, Any]})
def create_organisation(request: HttpRequest, body: OrganisationDetails) -> Status[dict[str, Any]]:
    """Create an organisation (name and profile required); the caller becomes its owner."""
    found = registration.create(request.user, body.dict(exclude_unset=True))  # type: ignore[arg-type]
    return Status(201, _organisation(found))


@api.get("/organisations/{pk}", auth=PRIVATE, tags=["organisations"])
def organisation(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One of the caller's organisations, with its members (others answer 404)."""
    found = permitted_organisation(request, pk, Action.READ)
    members = [
        {"email": m.user.email, "role": m.role} for m in found.memberships.select_related("user")
    ]
    return _organisation(found) | {"members": members}


@api.delete("/organisations/{pk}", auth=PRIVATE, tags=["organisations"])
def erase_organisation(request: HttpRequest, pk: int, confirm: str) -> dict[str, Any]:
    """Erase the organisation and everything of it (owners; ``confirm`` = its exact name).

    Declared here, beside the organisation's GET, because one address answers both methods.
    """
    found = permitted_organisation(request, pk, Action.MANAGE)
    if confirm.strip() != found.name:
        raise ConfirmationError(
            "erase.confirmation_mismatch", Location(field="confirm", value=confirm)
        )
    return {"erased": erase(found)}


api.add_router("", accounts_router)


@api.patch("/organisations/{pk}", auth=PRIVATE, tags=["organisations"])
def edit_organisation(request: HttpRequest, pk: int, body: OrganisationDetails) -> dict[str, Any]:
    """Change an organisation's details (owners and editors); fields left out stay."""
    found = permitted_organisation(request, pk, Action.EDIT)
    return _organisation(registration.update(found, body.dict(exclude_unset=True)))


api.add_router("", results_router)  # with POST /studies (alliance.web.studies.api)
api.add_router("", workspace_router, auth=PRIVATE)
api.add_router("", partnerships_router, auth=PRIVATE)
api.add_router("", organisations_router, auth=PRIVATE)
api.add_router("", runs_router, auth=PRIVATE)
api.add_router("", jobs_router, auth=PRIVATE)
api.add_router("", territories_router)  # public reads; the self-assessment's PUT is private
api.add_router("", collection_router, auth=PRIVATE)  # a study's collections (issue 18)
