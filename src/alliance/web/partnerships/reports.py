"""An organisation's diagnostic report as PDF: produced by a background job, kept, downloaded.

Laying out a PDF takes WeasyPrint from half a second to seconds of CPU: a page never waits on it.
Asking for the report queues a job (kind ``report.pdf``, handler :func:`render_report`) and the
job's page offers the download when it is done. The file is written whole or not at all in
``MEDIA_ROOT/reports/organisation-<id>/`` under a name keyed by its content (the report's HTML,
dated at a fixed moment): a repeated request for an unchanged diagnostic reuses it at once, and
a retried job finds it there (the handler contract of :mod:`alliance.web.jobs.kinds`). Writing a
new version removes the older one of the same language in the same step. The folder is never
served directly: downloads go through a view that checks membership, and erasing the
organisation removes it.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

from alliance.errors import RequestError
from alliance.files import atomic_paths
from alliance.i18n import Lang
from alliance.report.html import render_html
from alliance.web.accounts.models import User
from alliance.web.jobs.models import Job
from alliance.web.jobs.queue import Progress, enqueue
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships import export

__all__ = [
    "KIND", "erase_reports", "render_report", "report_name", "request_report", "stored_report",
]  # fmt: skip

KIND = "report.pdf"
#: The date a report is keyed with, so that its key changes with its content only.
KEY_DATE = datetime(2000, 1, 1, tzinfo=UTC)
#: A stored report's file name: its language and its content's key.
NAME = re.compile(r"diagnostic-(fr|en)-[0-9a-f]{32}\.pdf")


def folder(pk: int) -> Path:
    """Return where the organisation's reports are kept."""
    return Path(settings.MEDIA_ROOT) / "reports" / f"organisation-{pk}"


def report_name(organisation: Organisation, lang: Lang) -> str:
    """Return the file name of the organisation's current report: it changes with its content."""
    html = render_html(export.diagnostic_report(organisation, lang, now=KEY_DATE))
    key = hashlib.sha256(html.encode()).hexdigest()[:32]
    return f"diagnostic-{lang}-{key}.pdf"


def stored_report(organisation: Organisation, lang: Lang) -> Path | None:
    """Return the organisation's current report if it was already produced, else None."""
    path = folder(organisation.pk) / report_name(organisation, lang)
    return path if path.is_file() else None


def report_file(pk: int, name: str) -> Path | None:
    """Return a stored report of organisation ``pk`` by its file name, if it exists."""
    if not NAME.fullmatch(name):
        return None
    path = folder(pk) / name
    return path if path.is_file() else None


def download_name(pk: int) -> str:
    """Return the name a downloaded report is saved under."""
    return f"diagnostic-{pk}.pdf"


def request_report(organisation: Organisation, lang: Lang, user: User) -> Job:
    """Queue the report's job, or return the same person's same request still under way."""
    waiting = Job.objects.filter(
        kind=KIND,
        created_by=user,
        status__in=(Job.Status.QUEUED, Job.Status.RUNNING),
        arguments__organisation=organisation.pk,
        arguments__lang=lang,
    ).first()
    return waiting or enqueue(KIND, user=user, organisation=organisation.pk, lang=lang)


def render_report(job: Job, progress: Progress, *, organisation: int, lang: Lang) -> dict[str, Any]:
    """Produce the organisation's report (the job ``report.pdf``); return where to download it."""
    from alliance.report.pdf import pdf_bytes  # WeasyPrint: loaded by the worker only

    found = Organisation.objects.filter(pk=organisation).first()
    if found is None:
        raise RequestError("jobs.organisation_gone")
    progress(0.1, "read", found.name)
    name = report_name(found, lang)
    path = folder(organisation) / name
    if not path.is_file():
        progress(0.3, "pdf", found.name)
        pdf = pdf_bytes(export.diagnostic_report(found, lang))
        progress(0.9, "write", found.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        older = tuple(p for p in path.parent.glob(f"diagnostic-{lang}-*.pdf") if p != path)
        with atomic_paths(path, remove=older) as (temporary,):
            temporary.write_bytes(pdf)
    return {
        "organisation": organisation,
        "file": name,
        "filename": download_name(organisation),
        "download": reverse("diagnostic_report_file", kwargs={"pk": organisation, "name": name}),
    }


def erase_reports(pk: int) -> None:
    """Remove every report kept for organisation ``pk`` (its erasure)."""
    shutil.rmtree(folder(pk), ignore_errors=True)
