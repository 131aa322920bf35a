"""The workspace's pages for studies and their files (analysts only).

Who may see them is :func:`alliance.web.permissions.permitted_study`'s rule: observatory staff,
a study restricted to named analysts answering 404 to the others, members of organisations 403,
anonymous people sent to log in. The work itself is in :mod:`alliance.web.studies.workspace`
(shared with the API); these views only read forms and show results.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from alliance.errors import AllianceError, Location, RequestError
from alliance.study.files import normalised
from alliance.web.accounts.models import User
from alliance.web.jobs.queue import enqueue
from alliance.web.language import current_lang
from alliance.web.permissions import managed_studies, manages_studies, permitted_study
from alliance.web.refusals import refusal_status, refuse
from alliance.web.results.models import Study
from alliance.web.studies import workspace
from alliance.web.studies.models import StudyFile

__all__ = [
    "file_page", "mapping_page", "new_study_page", "rejected_download", "studies_page",
    "study_page", "upload", "validation",
]  # fmt: skip

#: What each file is to its study, as the pages say it.
ROLES = {
    "definition": _("définition"),
    "questionnaire": _("questionnaire"),
    "margins": _("marges"),
    "mapping": _("correspondances"),
    "wave": _("vague"),
    "notebook": _("carnet"),
}
#: Problems shown per page of a file's report.
PROBLEMS_PER_PAGE = 100
IGNORE = ""


def optional_url(name: str, *args: Any) -> str | None:
    """Return the address named ``name``, or None while that part of the site is not there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _analyst(request: HttpRequest) -> User:
    if not manages_studies(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    return request.user


def _message(error: AllianceError) -> str:
    return error.message(current_lang())


@login_required
def studies_page(request: HttpRequest) -> HttpResponse:
    """List the studies the analyst manages, with their files, last run and published version."""
    _analyst(request)
    studies = managed_studies(request.user).annotate(
        files_count=Count("files", distinct=True),
        last_run=Max("runs__created_at"),
        published=Max("versions__number", filter=Q(versions__withdrawn_at=None)),
    )
    return render(request, "studies/list.html", {"studies": studies})


def _analysts() -> list[User]:
    return list(
        User.objects.filter(
            Q(role__in=[User.Role.ANALYST, User.Role.ADMIN]) | Q(is_superuser=True), is_active=True
        ).order_by("email")
    )


@login_required
def new_study_page(request: HttpRequest) -> HttpResponse:
    """Create a study from a form (with its ``study.yaml`` if given) or a zipped study folder."""
    user = _analyst(request)
    context: dict[str, Any] = {"analysts": _analysts(), "values": {}, "error": None}
    if request.method != "POST":
        return render(request, "studies/new.html", context)
    values: dict[str, Any] = {
        name: request.POST.get(name, "").strip() for name in ("code", "title_fr", "title_en")
    }
    values["synthetic"] = request.POST.get("synthetic") == "on"
    chosen = {int(pk) for pk in request.POST.getlist("analysts") if pk.isdigit()}
    values["analysts"] = chosen
    context["values"] = values
    try:
        if request.POST.get("mode") == "archive":
            archive = request.FILES.get("archive")
            if archive is None:
                raise RequestError("upload.file_required", Location(field="archive"))
            study = workspace.create_from_archive(user, archive)
        else:
            study = workspace.create_study(
                user,
                code=values["code"],
                title_fr=values["title_fr"] or values["code"],
                title_en=values["title_en"] or values["title_fr"] or values["code"],
                synthetic=values["synthetic"],
                analysts=[a for a in context["analysts"] if a.pk in chosen],
                definition=request.FILES.get("definition"),
            )
    except AllianceError as error:
        context["error"] = _message(error)
        return render(request, "studies/new.html", context, status=refusal_status(error))
    return redirect("workspace_study", code=study.code)


def _study_context(study: Study) -> dict[str, Any]:
    rows, others = workspace.file_states(study)
    rows = [row | {"role_label": ROLES[row["role"]]} for row in rows]
    definition = next((f for f in study.files.all() if f.path == workspace.DEFINITION), None)
    lang = current_lang()
    problems = (
        [p | {"message": p["messages"][lang]} for p in definition.problems] if definition else []
    )
    waves = [row for row in rows if row["role"] == "wave"]
    populations = sorted({row["population"] for row in waves})
    return {
        "study": study,
        "rows": rows,
        "others": others,
        "problems": problems,
        "errors": sum(1 for p in problems if p["severity"] == "error"),
        "paths": [row["path"] for row in rows],
        "populations": populations,
        "run_url": optional_url("workspace_run_new", study.code),
        "versions_url": optional_url("workspace_versions", study.code),
        "collections_url": optional_url("collections", study.code),
        "current": study.current(),
    }


@login_required
def study_page(request: HttpRequest, code: str) -> HttpResponse:
    """Show a study's files as ``study.yaml`` names them, with their state, and its problems."""
    study = permitted_study(request, code)
    return render(request, "studies/study.html", _study_context(study))


@login_required
@require_POST
def upload(request: HttpRequest, code: str) -> HttpResponse:
    """Store an uploaded file under the path chosen, then show how it was read and its report."""
    study = permitted_study(request, code)
    user = _analyst(request)
    file = request.FILES.get("file")
    path = request.POST.get("path", "").strip() or (file.name if file else "")
    try:
        if file is None:
            raise RequestError("upload.file_required", Location(field="file"))
        if not path:
            raise RequestError("upload.path_required", Location(field="path"))
        # A large delivery is read and checked by a job; the file's page follows its progress.
        inline = workspace.stored_bytes(study) + (file.size or 0) <= settings.ALLIANCE_INLINE_CHECK
        stored = workspace.store_file(study, path, file, user, check=inline)
        if not inline:
            enqueue("study.check", user=user, study=study.code)
    except AllianceError as error:
        context = _study_context(study) | {"upload_error": _message(error), "chosen": path}
        return render(request, "studies/study.html", context, status=400)
    return redirect("workspace_file", code=study.code, path=stored.path)


def _stored(study: Study, path: str) -> StudyFile:
    found = study.files.filter(path=normalised(path)).first()
    if found is None:
        raise Http404
    return found


@login_required
def file_page(request: HttpRequest, code: str, path: str) -> HttpResponse:
    """Show how a file was read and its validation report, page by page."""
    study = permitted_study(request, code)
    stored = _stored(study, path)
    lang = current_lang()
    problems = [p | {"message": p["messages"][lang]} for p in stored.problems]
    page = Paginator(problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    rows, _others = workspace.file_states(study)
    named = next((row for row in rows if row["path"] == stored.path), None)
    if named is not None:
        named["role_label"] = ROLES[named["role"]]
    validation = None
    if named is not None and named["role"] == "wave":
        validation = workspace.wave_validation(study, stored.path)
    context = {
        "study": study,
        "stored": stored,
        "checking": workspace.pending_check(study),
        "named": named,
        "page": page,
        "errors": sum(1 for p in problems if p["severity"] == "error"),
        "warnings": sum(1 for p in problems if p["severity"] == "warning"),
        "unknown": [p["column"] for p in problems if p.get("key") == workspace.UNKNOWN_COLUMN],
        "validation": validation,
    }
    return render(request, "studies/file.html", context)


@login_required
def rejected_download(request: HttpRequest, code: str, path: str) -> HttpResponse:
    """Download a wave's rejected rows as CSV: its columns, its row or line, the reasons."""
    study = permitted_study(request, code)
    stored = _stored(study, path)
    response = HttpResponse(
        workspace.rejected_csv(study, stored.path), content_type="text/csv; charset=utf-8"
    )
    name = stored.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    response["Content-Disposition"] = f'attachment; filename="{name}-rejected.csv"'
    return response


@login_required
@require_POST
def validation(request: HttpRequest, code: str) -> HttpResponse:
    """Make a wave validated strictly or leniently (``study.yaml`` rewritten, comments kept)."""
    study = permitted_study(request, code)
    user = _analyst(request)
    path = request.POST.get("path", "")
    mode = request.POST.get("validation", "")
    try:
        if mode not in ("strict", "lenient"):
            raise RequestError("upload.validation_invalid", Location(field="validation"), mode=mode)
        workspace.set_validation(study, user, path, mode)  # type: ignore[arg-type]
    except AllianceError as error:
        return refuse(request, error, 400)
    return redirect("workspace_file", code=study.code, path=normalised(path))


@login_required
def mapping_page(request: HttpRequest, code: str, population: str) -> HttpResponse:
    """Map each wave's unknown columns to the questionnaire's items (or ignore them)."""
    study = permitted_study(request, code)
    user = _analyst(request)
    saved = None
    if request.method == "POST":
        columns = request.POST.getlist("column")
        choices: dict[str, str | None] = {}
        for index, column in enumerate(columns):
            item = request.POST.get(f"item-{index}", IGNORE)
            choices[column] = item or None
        try:
            saved = workspace.save_mapping(study, user, population, choices)
        except AllianceError as error:
            return refuse(request, error, 400)
    reports = workspace.population_reports(study, population)
    if reports is None:
        raise Http404
    lang = current_lang()
    unknown = sorted({c for r in reports for c in r.unknown_columns})
    items = reports[0].items if reports else []
    context = {
        "study": study,
        "population": population,
        "unknown": unknown,
        "items": items,
        "saved": saved,
        "reports": [
            {
                "path": r.path,
                "wave": r.wave,
                "problems": [p.record(lang) for p in r.problems[:50]],
                "count": len(r.problems),
            }
            for r in reports
        ],
    }
    return render(request, "studies/mapping.html", context)
