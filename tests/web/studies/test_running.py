"""A study run as a background job: the numbers of ``alliance study run``, kept on the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from typer.testing import CliRunner

from alliance.cli import app
from alliance.study.check import prepare_study
from alliance.study.diagnostics import weighting_records
from alliance.study.outputs import OUTPUT_FILES
from alliance.study.run import run_study
from alliance.study.scaffold import write_example
from alliance.web.accounts.models import User
from alliance.web.jobs.models import Job
from alliance.web.jobs.queue import Progress
from alliance.web.jobs.worker import run_pending
from alliance.web.studies.models import StudyFile
from alliance.web.studies.running import outputs_folder, run_study_job, start_run
from tests.study.conftest import HAND_STUDY
from tests.web.studies import stored_study

pytestmark = pytest.mark.integration


@pytest.fixture
def analyst(db) -> User:
    return User.objects.create_user("analyst@demo.invalid", "x", role=User.Role.ANALYST)


@pytest.fixture
def storage(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "storage"
    return tmp_path / "storage"


@pytest.mark.django_db(transaction=True)
def test_a_run_keeps_the_numbers_the_command_line_writes(analyst, storage, tmp_path):
    study = stored_study(HAND_STUDY, "barometre-test")

    run = start_run(study, analyst, "fr")
    assert (run.number, run.job.status, run.job.kind) == (1, "queued", "study.run")
    assert run.job.arguments == {"study": "barometre-test", "run": 1, "lang": "fr"}
    run_pending()

    run.refresh_from_db()
    job = Job.objects.get(pk=run.job_id)
    assert (job.status, job.progress, job.problems) == ("done", 1.0, [])
    assert job.result == {"study": "barometre-test", "run": 1}
    assert job.step == "write"
    cli = CliRunner().invoke(
        app, ["study", "run", str(HAND_STUDY / "study.yaml"), "--out", str(tmp_path / "cli")]
    )
    assert cli.exit_code == 0, cli.output
    written = json.loads((tmp_path / "cli" / "results.json").read_text(encoding="utf-8"))
    assert run.results == written
    core = run_study(prepare_study(HAND_STUDY / "study.yaml"))
    assert run.weighting == weighting_records(core)
    assert [(w["wave"], w["iterations"], w["n"]) for w in run.weighting] == [
        ("2023", 5, 400),
        ("2024", 6, 350),
    ]
    assert run.inputs == {f.path: f.sha256 for f in StudyFile.objects.filter(study=study)}
    assert set(run.inputs) == {
        "study.yaml", "questionnaires/habitants.yaml", "margins/habitants.json",
        "data/habitants-2023.sav", "data/habitants-2024.csv",
    }  # fmt: skip
    assert run.outputs == "studies/barometre-test/runs/1"
    folder = outputs_folder(run)
    assert sorted(p.name for p in folder.iterdir()) == sorted(OUTPUT_FILES)
    assert json.loads((folder / "results.json").read_text(encoding="utf-8")) == written
    assert sorted(p.name for p in folder.parent.iterdir()) == ["1"]  # nothing left beside


@pytest.mark.django_db(transaction=True)
def test_a_study_that_fails_its_check_fails_the_job_with_every_problem(analyst, storage):
    study = stored_study(HAND_STUDY, "barometre-test")
    StudyFile.objects.filter(study=study, path="data/habitants-2024.csv").delete()
    yaml = StudyFile.objects.get(study=study, path="study.yaml")
    text = yaml.content.read().decode("utf-8")
    yaml.content.save("study.yaml", ContentFile(text.replace("item: q_impact,", "item: q_x,")))

    run = start_run(study, analyst, "en")
    run_pending()

    job = Job.objects.get(pk=run.job_id)
    assert job.status == "failed"
    assert [(p["file"], p["line"]) for p in job.problems] == [
        ("study.yaml", 42),
        ("study.yaml", 35),
    ]
    # Files are named by their path in the study, not in the worker's temporary folder.
    assert [p["messages"]["en"] for p in job.problems] == [
        "Item 'q_x' is not in questionnaire habitants",
        "File not found: data/habitants-2024.csv",
    ]
    assert job.problems[1]["messages"]["fr"] != job.problems[1]["messages"]["en"]
    assert job.problems[0]["messages"]["fr"] != job.problems[0]["messages"]["en"]
    run.refresh_from_db()
    assert (run.results, run.weighting, run.outputs) == (None, [], "")
    assert list((storage / "studies" / "barometre-test" / "runs").iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_a_folder_describing_another_study_is_refused(analyst, storage):
    study = stored_study(HAND_STUDY, "une-autre")

    run = start_run(study, analyst, "fr")
    run_pending()

    job = Job.objects.get(pk=run.job_id)
    assert job.status == "failed"
    [problem] = job.problems
    assert (problem["key"], problem["file"], problem["value"]) == (
        "runs.code_mismatch", "study.yaml", "barometre-test",
    )  # fmt: skip
    assert problem["messages"]["en"].startswith(
        "The study.yaml file describes study « barometre-test », not « une-autre »"
    )
    assert list((storage / "studies" / "une-autre" / "runs").iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_the_example_study_runs_and_a_retry_replaces_its_outputs_whole(analyst, storage, tmp_path):
    write_example(tmp_path / "example")
    study = stored_study(tmp_path / "example", "barometre-exemple")
    first = start_run(study, analyst, "fr")
    second = start_run(study, analyst, "en")
    assert (first.number, second.number) == (1, 2)
    run_pending()

    first.refresh_from_db()
    assert first.results is not None
    assert first.results["study"] == "barometre-exemple"
    assert [w["population"] for w in first.weighting] == ["habitants", "habitants"]
    folder = outputs_folder(first)
    (folder / "notebook.html").write_text("stale", encoding="utf-8")

    job = Job.objects.get(pk=first.job_id)
    run_study_job(job, Progress(job), study="barometre-exemple", run=1, lang="fr")

    assert (folder / "notebook.html").read_text(encoding="utf-8") != "stale"
    assert sorted(p.name for p in folder.iterdir()) == sorted(OUTPUT_FILES)
    assert sorted(p.name for p in folder.parent.iterdir()) == ["1", "2"]
    second.refresh_from_db()
    assert second.results == first.results
