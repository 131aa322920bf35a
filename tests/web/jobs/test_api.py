"""GET /api/jobs/{id}: the job's JSON for who may see it, 401/404 in the one error shape."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from alliance.web.accounts.models import User
from alliance.web.jobs.models import Job
from alliance.web.results.models import Study
from tests.web.conftest import bearer

pytestmark = pytest.mark.integration

WHO = ["anonymous", "owner", "viewer", "outsider", "analyst"]
PDF = {"anonymous": 401, "owner": 200, "viewer": 404, "outsider": 404, "analyst": 404}
RUN = {"anonymous": 401, "owner": 404, "viewer": 404, "outsider": 404, "analyst": 200}


def get(url: str, who: str, people: dict[str, User]):
    headers = {} if who == "anonymous" else bearer(people[who])
    return Client().get(url, headers=headers)


@pytest.mark.parametrize("who", WHO)
def test_who_may_follow_a_job(who: str, people: dict[str, User]):
    Study.objects.create(code="open", title_fr="Ouverte", title_en="Open")
    pdf = Job.objects.create(kind="report.pdf", created_by=people["owner"], step="pdf")
    run = Job.objects.create(kind="study.run", arguments={"study": "open"})

    responses = [get(f"/api/jobs/{job.pk}", who, people) for job in (pdf, run)]

    assert [r.status_code for r in responses] == [PDF[who], RUN[who]]
    for response, job in zip(responses, (pdf, run), strict=True):
        if response.status_code == 200:
            assert response.json() == Job.objects.get(pk=job.pk).to_json()
        else:
            assert set(response.json()) == {"detail", "key", "messages"}


def test_the_job_as_polled(people: dict[str, User]):
    job = Job.objects.create(
        kind="report.pdf", created_by=people["owner"], status="running", progress=0.25, step="pdf"
    )

    shown = get(f"/api/jobs/{job.pk}", "owner", people).json()

    assert (shown["status"], shown["progress"], shown["step"]) == ("running", 0.25, "pdf")
    assert (shown["problems"], shown["attempts"], shown["id"]) == ([], 0, str(job.pk))


@pytest.mark.parametrize("job_id", ["not-a-uuid", str(uuid.uuid4())])
def test_an_unknown_or_malformed_id_is_a_bilingual_404(job_id: str, people: dict[str, User]):
    response = get(f"/api/jobs/{job_id}", "owner", people)

    assert response.status_code == 404
    body = response.json()
    assert body["key"] == "request.not_found"
    assert body["messages"] == {"fr": "Introuvable", "en": "Not found"}
