"""A member asks for the diagnostic's PDF in a browser: the job's page follows the job (polling the
API from alliance/jobs.js) and offers the download once a worker has produced it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from alliance.web.jobs.models import Job
from alliance.web.jobs.worker import run_pending
from alliance.web.organisations.models import Organisation
from tests.e2e.test_partnerships import log_in

pytestmark = pytest.mark.e2e

#: A folder to keep screenshots of the job's page in, to look at them (unset: none taken).
SCREENSHOTS = os.environ.get("ALLIANCE_SCREENSHOTS", "")


def test_the_job_page_follows_the_report_until_it_can_be_downloaded(
    site: str, page: Page, settings, tmp_path: Path
):
    settings.MEDIA_ROOT = tmp_path
    association = Organisation.objects.get(name="Les Jardins du Lac (fictive)")
    log_in(page, site, "association@demo.invalid")
    page.goto(f"{site}/organisations/{association.pk}/")

    page.get_by_role("button", name="Rapport de diagnostic (PDF)").click()
    expect(page.get_by_role("heading", name="Rapport PDF du diagnostic")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("en attente")
    assert "/jobs/" in page.url
    job = Job.objects.get(kind="report.pdf")
    Job.objects.filter(pk=job.pk).update(status="running", progress=0.4, step="pdf")
    expect(page.get_by_role("status")).to_contain_text("en cours — Mise en page du PDF")
    expect(page.locator("progress")).to_have_js_property("value", 0.4)  # updated in place
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/job-running.png", full_page=True)
    run_pending()  # the worker, here in the test's thread

    link = page.get_by_role("link", name=f"Télécharger diagnostic-{association.pk}.pdf")
    expect(link).to_be_visible(timeout=30_000)  # the script saw the job done and reloaded
    expect(page.get_by_role("status")).to_contain_text("terminé")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/job-done.png", full_page=True)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"diagnostic-{association.pk}.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
