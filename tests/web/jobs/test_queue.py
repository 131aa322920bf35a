"""Queued jobs run by a worker: their progress, their result, and why they failed."""

from __future__ import annotations

from typing import Any

import pytest

from alliance.errors import Location, StudyInvalidError
from alliance.survey.problems import Problem
from alliance.web.jobs import kinds
from alliance.web.jobs.models import Job
from alliance.web.jobs.queue import Progress, enqueue
from alliance.web.jobs.worker import run_pending

pytestmark = pytest.mark.integration

PARAMS = {"item": "q9", "questionnaire": "questionnaire.yaml"}


def counting(job: Job, progress: Progress, *, until: int) -> dict[str, Any]:
    progress(0.5, "weight", "associations 2024")
    return {"counted": until}


def refusing(job: Job, progress: Progress) -> dict[str, Any]:
    problem = Problem("study.item_unknown", Location(file="study.yaml", line=12), params=PARAMS)
    raise StudyInvalidError("study.problems_found", errors=1, study="x", problems=[problem])


def crashing(job: Job, progress: Progress) -> dict[str, Any]:
    raise RuntimeError("boom")


@pytest.fixture
def handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(kinds.HANDLERS, "test.count", f"{__name__}.counting")
    monkeypatch.setitem(kinds.HANDLERS, "test.refuse", f"{__name__}.refusing")
    monkeypatch.setitem(kinds.HANDLERS, "test.crash", f"{__name__}.crashing")


@pytest.mark.django_db(transaction=True)
def test_a_job_waits_queued_then_runs_to_its_result(handlers: None):
    job = enqueue("test.count", until=3)
    assert Job.objects.get(pk=job.pk).status == "queued"

    run_pending()

    done = Job.objects.get(pk=job.pk)
    assert (done.status, done.progress, done.result, done.attempts) == (
        "done",
        1.0,
        {"counted": 3},
        1,
    )
    assert (done.step, done.subject) == ("weight", "associations 2024")
    assert done.started_at is not None
    assert done.finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_refused_job_keeps_every_problem_in_both_languages(handlers: None):
    job = enqueue("test.refuse")
    run_pending()

    failed = Job.objects.get(pk=job.pk)
    assert failed.status == "failed"
    [problem] = failed.problems
    assert (problem["file"], problem["line"], problem["severity"]) == ("study.yaml", 12, "error")
    assert problem["messages"]["fr"] != problem["messages"]["en"]
    assert "q9" in problem["messages"]["en"]


@pytest.mark.django_db(transaction=True)
def test_an_unexpected_error_fails_the_job_with_a_message_not_a_traceback(handlers: None):
    job = enqueue("test.crash")
    run_pending()

    failed = Job.objects.get(pk=job.pk)
    assert failed.status == "failed"
    assert "boom" not in str(failed.problems)
    assert failed.problems[0]["messages"]["fr"].startswith("Le travail a échoué")


def test_an_unknown_kind_is_refused(db):
    with pytest.raises(ValueError, match="unknown kind"):
        enqueue("test.nothing")
