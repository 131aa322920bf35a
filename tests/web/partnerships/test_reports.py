"""Organisations' PDF reports: keyed by their content, written whole, reused, erased with them."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.web.jobs.models import Job
from alliance.web.jobs.worker import run_pending
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships import actions, export, reports

pytestmark = pytest.mark.integration


@pytest.fixture
def files(tmp_path: Path, settings) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "reports"


def produce(organisation: Organisation, people, lang: str = "fr") -> Job:
    job = reports.request_report(organisation, lang, people["owner"])  # type: ignore[arg-type]
    run_pending()
    return Job.objects.get(pk=job.pk)


def test_the_name_changes_with_the_content_only(people, organisation):
    first = reports.report_name(organisation, "fr")

    assert reports.report_name(organisation, "fr") == first  # a second later: the same
    assert reports.report_name(organisation, "en") != first
    actions.save_answers(actions.diagnostic_of(organisation), {"skills": 5})
    assert reports.report_name(organisation, "fr") != first


@pytest.mark.django_db(transaction=True)
def test_a_report_is_produced_once_then_reused(people, organisation, files: Path):
    first = produce(organisation, people)
    written = files / f"organisation-{organisation.pk}" / first.result["file"]
    stamp = written.stat().st_mtime_ns

    second = produce(organisation, people)

    assert (first.status, second.status) == ("done", "done")
    assert second.result == first.result
    assert written.stat().st_mtime_ns == stamp
    assert (first.step, second.step) == ("write", "read")  # the second one had nothing to lay out
    assert reports.stored_report(organisation, "fr") == written


@pytest.mark.django_db(transaction=True)
def test_a_new_version_replaces_the_older_one_of_its_language(people, organisation, files: Path):
    older = produce(organisation, people).result["file"]
    english = produce(organisation, people, "en").result["file"]
    actions.save_answers(actions.diagnostic_of(organisation), {"skills": 5})

    newer = produce(organisation, people).result["file"]

    kept = sorted(p.name for p in (files / f"organisation-{organisation.pk}").iterdir())
    assert older != newer
    assert kept == sorted([english, newer])


@pytest.mark.django_db(transaction=True)
def test_a_report_for_an_organisation_erased_meanwhile_fails_with_a_message(
    people, organisation, files: Path
):
    job = reports.request_report(organisation, "fr", people["owner"])
    export.erase(organisation)

    run_pending()

    failed = Job.objects.get(pk=job.pk)
    assert failed.status == "failed"
    assert failed.problems[0]["messages"]["fr"].startswith("L'organisation n'existe plus")
    assert not files.exists()


@pytest.mark.django_db(transaction=True)
def test_erasing_the_organisation_removes_its_reports(people, organisation, files: Path):
    produce(organisation, people)
    assert (files / f"organisation-{organisation.pk}").is_dir()

    export.erase(organisation)

    assert not (files / f"organisation-{organisation.pk}").exists()


def test_only_report_names_are_looked_up(organisation, files: Path):
    assert reports.report_file(organisation.pk, "../../secret.pdf") is None
    assert reports.report_file(organisation.pk, "diagnostic-fr-" + "0" * 32 + ".pdf") is None
