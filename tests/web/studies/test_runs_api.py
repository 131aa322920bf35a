"""The runs' API: start, follow, publish, withdraw — for the analysts who manage the study."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from alliance.web.accounts.models import User
from alliance.web.jobs.models import Job
from alliance.web.jobs.worker import run_pending
from alliance.web.results.models import StudyVersion
from alliance.web.studies.models import PublicationEvent, Run
from tests.study.conftest import HAND_STUDY
from tests.web.conftest import bearer
from tests.web.studies import stored_study
from tests.web.studies.conftest import STUDY

pytestmark = pytest.mark.integration


def headers(who: str, people: dict[str, User]) -> dict[str, str]:
    return {} if who == "anonymous" else bearer(people[who])


@pytest.mark.django_db(transaction=True)
def test_start_follow_publish_then_readers_see_the_numbers(people, storage):
    stored_study(HAND_STUDY, STUDY)
    client = Client(headers=bearer(people["analyst"]))

    started = client.post(f"/api/studies/{STUDY}/runs")

    assert started.status_code == 202
    body = started.json()
    assert (body["run"], body["status"], body["progress"], body["study"]) == (
        1,
        "queued",
        0.0,
        STUDY,
    )
    run = Run.objects.get(study__code=STUDY)
    assert body["id"] == str(run.job_id)
    early = client.post(f"/api/runs/{body['id']}/publish")
    assert early.status_code == 409
    assert early.json()["key"] == "runs.not_done"
    assert early.json()["messages"]["fr"] != early.json()["messages"]["en"]

    run_pending()

    followed = client.get(f"/api/runs/{body['id']}").json()
    assert (followed["status"], followed["progress"], followed["problems"]) == ("done", 1.0, [])
    assert followed["results"]["populations"] == [
        {
            "population": "habitants",
            "waves": [{"wave": "2023", "n": 400}, {"wave": "2024", "n": 350}],
        }
    ]
    run.refresh_from_db()
    assert run.results is not None
    estimates = run.results["estimates"]
    assert followed["results"]["estimates"] == len(estimates)
    published = client.post(f"/api/runs/{body['id']}/publish")
    assert published.status_code == 201
    assert (published.json()["version"], published.json()["created"]) == (1, True)
    again = client.post(f"/api/runs/{body['id']}/publish")
    assert again.status_code == 200
    assert (again.json()["version"], again.json()["created"]) == (1, False)
    readers = Client().get(f"/api/studies/{STUDY}/results?wave=2023")
    expected = [r for r in estimates if r["wave"] == "2023" and r["by"] is None]
    assert [(r["variable"], r["estimate"], r["ci_low"], r["n"]) for r in readers.json()] == [
        (r["variable"], r["estimate"], r["ci_low"], r["n"]) for r in expected
    ]
    assert StudyVersion.objects.get(study__code=STUDY).published_by == people["analyst"]


@pytest.mark.django_db(transaction=True)
def test_a_failed_run_says_why(people, storage):
    study = stored_study(HAND_STUDY, STUDY)
    study.files.filter(path="data/habitants-2023.sav").delete()
    client = Client(headers=bearer(people["analyst"]))
    id = client.post(f"/api/studies/{STUDY}/runs").json()["id"]

    run_pending()

    body = client.get(f"/api/runs/{id}").json()
    assert body["status"] == "failed"
    assert [p["messages"]["en"] for p in body["problems"]] == [
        "File not found: data/habitants-2023.sav"
    ]
    assert "results" not in body
    assert client.post(f"/api/runs/{id}/publish").status_code == 409


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("owner", 403), ("viewer", 403)])
def test_only_analysts_use_the_runs_api(who, status, people, run):
    client = Client(headers=headers(who, people))
    id = run.job_id

    answers = [
        client.post(f"/api/studies/{STUDY}/runs"),
        client.get(f"/api/runs/{id}"),
        client.post(f"/api/runs/{id}/publish"),
        client.post(f"/api/studies/{STUDY}/versions/1/unpublish"),
    ]

    assert [a.status_code for a in answers] == [status] * 4
    assert all(set(a.json()) >= {"detail", "key", "messages"} for a in answers)
    assert Run.objects.count() == 1
    assert StudyVersion.objects.filter(study__code=STUDY).count() == 0


def test_a_study_restricted_to_other_analysts_answers_404(people, run):
    colleague = User.objects.create_user("collegue@demo.invalid", "x", role=User.Role.ANALYST)
    run.study.analysts.add(colleague)
    client = Client(headers=bearer(people["analyst"]))

    answers = [
        client.post(f"/api/studies/{STUDY}/runs"),
        client.get(f"/api/runs/{run.job_id}"),
        client.post(f"/api/runs/{run.job_id}/publish"),
        client.post(f"/api/studies/{STUDY}/versions/1/unpublish"),
    ]

    assert [a.status_code for a in answers] == [404] * 4
    assert Client(headers=bearer(colleague)).get(f"/api/runs/{run.job_id}").status_code == 200


def test_unknown_runs_and_versions_answer_404(people, run):
    client = Client(headers=bearer(people["analyst"]))

    assert client.get(f"/api/runs/{uuid.uuid4()}").json()["key"] == "runs.unknown_run"
    assert client.get("/api/runs/not-a-uuid").status_code == 404
    assert client.post(f"/api/studies/{STUDY}/versions/3/unpublish").status_code == 404
    assert client.post("/api/studies/nowhere/runs").status_code == 404
    job = Job.objects.create(kind="other")  # a job that is no run
    assert client.get(f"/api/runs/{job.pk}").status_code == 404


def test_the_session_works_too_and_withdrawal_hides_the_study(people, run):
    client = Client()
    client.force_login(people["analyst"])
    assert client.post(f"/api/runs/{run.job_id}/publish").status_code == 201

    withdrawn = client.post(f"/api/studies/{STUDY}/versions/1/unpublish")

    assert withdrawn.status_code == 200
    assert withdrawn.json()["version"] == 1
    assert withdrawn.json()["withdrawn_at"] is not None
    assert Client().get(f"/api/studies/{STUDY}/results").status_code == 404
    again = client.post(f"/api/studies/{STUDY}/versions/1/unpublish")
    assert (again.status_code, again.json()["key"]) == (409, "runs.already_withdrawn")
    assert list(PublicationEvent.objects.values_list("action", flat=True)) == [
        "unpublish", "publish",
    ]  # fmt: skip
