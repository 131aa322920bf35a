"""A job's page: shown to who asked for it and the analysts of its study, 404 to others."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client

from alliance.web.accounts.models import User
from alliance.web.jobs.models import Job
from alliance.web.results.models import Study
from tests.web.conftest import logged_in

pytestmark = pytest.mark.integration

WHO = ["anonymous", "owner", "viewer", "outsider", "analyst"]
#: The owner's PDF report, by person.
PDF = {"anonymous": 302, "owner": 200, "viewer": 404, "outsider": 404, "analyst": 404}
#: A run of a study nobody restricted (asked by nobody in particular), by person.
RUN = {"anonymous": 302, "owner": 404, "viewer": 404, "outsider": 404, "analyst": 200}


def client_for(who: str, people: dict[str, User]) -> Client:
    return Client() if who == "anonymous" else logged_in(people[who])


@pytest.mark.parametrize("who", WHO)
def test_who_sees_a_pdf_job_and_a_study_run(who: str, people: dict[str, User]):
    Study.objects.create(code="open", title_fr="Ouverte", title_en="Open")
    pdf = Job.objects.create(kind="report.pdf", created_by=people["owner"])
    run = Job.objects.create(kind="study.run", arguments={"study": "open"})
    client = client_for(who, people)

    statuses = (client.get(f"/jobs/{pdf.pk}/"), client.get(f"/jobs/{run.pk}/"))

    assert [r.status_code for r in statuses] == [PDF[who], RUN[who]]
    if who == "anonymous":
        assert statuses[0]["Location"] == f"/accounts/login/?next=/jobs/{pdf.pk}/"


def test_an_unknown_job_is_404(people: dict[str, User]):
    assert logged_in(people["owner"]).get(f"/jobs/{uuid.uuid4()}/").status_code == 404


def test_a_running_job_shows_its_step_in_words_and_polls_the_api(people: dict[str, User]):
    job = Job.objects.create(
        kind="report.pdf", created_by=people["owner"], status="running", progress=0.4, step="pdf"
    )

    page = logged_in(people["owner"]).get(f"/jobs/{job.pk}/").content.decode()

    assert "<h1>Rapport PDF du diagnostic</h1>" in page
    assert '<strong data-job-field="status">en cours</strong>' in page
    assert " — Mise en page du PDF" in page
    assert '<progress max="1" value="0.400"' in page
    assert f'data-job-api="/api/jobs/{job.pk}"' in page
    assert '<script src="/static/alliance/jobs.js" defer></script>' in page
    assert '<meta http-equiv="refresh" content="2">' in page
    assert re.search(r'data-steps="\{&quot;read&quot;: &quot;Lecture des fichiers&quot;', page)


def test_a_running_job_in_english(people: dict[str, User]):
    job = Job.objects.create(
        kind="report.pdf", created_by=people["owner"], status="running", step="read"
    )

    page = (
        logged_in(people["owner"])
        .get(f"/jobs/{job.pk}/", headers={"accept-language": "en"})
        .content.decode()
    )

    assert "<h1>Diagnostic PDF report</h1>" in page
    assert " — Reading the files" in page
    assert '<strong data-job-field="status">running</strong>' in page


def test_a_finished_job_offers_its_result_and_no_longer_refreshes(people: dict[str, User]):
    result = {"download": "/somewhere/report.pdf", "filename": "diagnostic-1.pdf"}
    job = Job.objects.create(
        kind="report.pdf", created_by=people["owner"], status="done", progress=1, result=result
    )

    page = logged_in(people["owner"]).get(f"/jobs/{job.pk}/").content.decode()

    assert '<a class="button" href="/somewhere/report.pdf">Télécharger diagnostic-1.pdf</a>' in page
    assert "refresh" not in page
    assert "jobs.js" not in page


def test_a_failed_job_says_why_in_the_pages_language(people: dict[str, User]):
    messages = {"fr": "Le fichier manque", "en": "The file is missing"}
    problem = {"severity": "error", "file": "study.yaml", "line": 3, "messages": messages}
    job = Job.objects.create(
        kind="report.pdf", created_by=people["owner"], status="failed", problems=[problem]
    )

    page = logged_in(people["owner"]).get(f"/jobs/{job.pk}/").content.decode()

    assert "<li>Le fichier manque — study.yaml, ligne 3</li>" in page
    assert "Télécharger" not in page
