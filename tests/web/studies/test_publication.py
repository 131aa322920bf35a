"""Publishing a run and withdrawing a version, each recorded; two versions compared row by row."""

from __future__ import annotations

from dataclasses import replace

import pytest

from alliance.errors import ConflictError
from alliance.study.results import StudyResults
from alliance.web.jobs.models import Job
from alliance.web.results.catalogue import current_version
from alliance.web.results.publishing import publish
from alliance.web.studies.models import PublicationEvent
from alliance.web.studies.publication import compare, publish_run, run_results, unpublish
from tests.web.studies.conftest import STUDY

pytestmark = pytest.mark.integration


def test_a_run_is_published_once_with_who_and_from_where(people, run):
    version, created = publish_run(run, people["analyst"])
    again, created_again = publish_run(run, people["analyst"])

    assert (created, created_again, again) == (True, False, version)
    assert (version.number, version.source, version.published_by) == (
        1, "/studies/barometre-test/runs/1/", people["analyst"],
    )  # fmt: skip
    assert version.digest == run_results(run).digest()
    assert list(PublicationEvent.objects.values_list("action", "version", "run", "user")) == [
        ("publish", version.pk, run.pk, people["analyst"].pk)
    ]


@pytest.mark.parametrize("status", ["queued", "running", "failed"])
def test_a_run_not_done_is_a_conflict(status, people, run):
    Job.objects.filter(pk=run.job_id).update(status=status)
    run.job.refresh_from_db()

    with pytest.raises(ConflictError) as refused:
        publish_run(run, people["analyst"])

    assert refused.value.key == "runs.not_done"
    assert refused.value.message("en") == (
        f"Run 1 has not finished successfully (status: {status}): nothing to publish "
        "(field 'run', value 1)"
    )
    assert current_version(STUDY) is None


def test_withdrawing_brings_back_the_previous_version_then_nothing(people, run):
    first, _ = publish_run(run, people["analyst"])
    results = run_results(run)
    second, _ = publish(replace(results, title={"fr": "Autre", "en": "Other"}))

    unpublish(second, people["analyst"])
    assert current_version(STUDY) == first
    unpublish(first, people["analyst"])
    assert current_version(STUDY) is None

    with pytest.raises(ConflictError) as refused:
        unpublish(first, people["analyst"])
    assert refused.value.key == "runs.already_withdrawn"
    events = PublicationEvent.objects.order_by("pk").values_list("action", "version__number")
    assert list(events) == [("publish", 1), ("unpublish", 2), ("unpublish", 1)]


def test_two_versions_compared_row_by_row(people, run):
    first, _ = publish_run(run, people["analyst"])
    results: StudyResults = run_results(run)
    before = results.estimates[0].estimate
    assert before is not None
    moved = replace(results.estimates[0], estimate=before + 0.01)
    second, _ = publish(replace(results, estimates=[moved, *results.estimates[1:-1]]))

    rows = compare(first, second, "fr")

    assert len(rows) == len(results.estimates)
    assert [r.status for r in rows].count("same") == len(results.estimates) - 2
    changed, removed = rows[0], rows[-1]
    assert (changed.status, removed.status) == ("changed", "removed")
    assert changed.difference == pytest.approx(0.01, abs=1e-12)
    assert changed.a is not None
    assert changed.b is not None
    assert changed.b["estimate"] == moved.estimate
    assert removed.b is None
    assert removed.difference is None
    assert compare(second, first, "fr")[-1].status == "added"
