"""Running a study in the background: the ``study.run`` job, and where its outputs are kept.

The job writes the study's stored files back into a temporary folder
(:func:`~alliance.web.studies.folder.materialise`) and calls the same pipeline as
``alliance study run`` (:func:`alliance.study.pipeline.run_study_file`), so a study gives the same
numbers from the terminal and from the browser. Its steps (read, check, weight, estimate, charts,
PDF, write) move the job's progress.

The outputs go to ``MEDIA_ROOT/studies/<code>/runs/<number>/`` all at once: written in a folder
beside it, then renamed. A failed run leaves nothing; a retried one replaces the previous outputs
only once its own are complete.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from alliance.errors import AllianceError, Location, RequestError, StudyInvalidError
from alliance.i18n import Lang
from alliance.study.diagnostics import weighting_records
from alliance.study.pipeline import run_study_file
from alliance.study.stopwatch import STEPS, Stopwatch
from alliance.web.accounts.models import User
from alliance.web.jobs.models import Job
from alliance.web.jobs.queue import Progress, enqueue
from alliance.web.results.models import Study
from alliance.web.studies.folder import materialise
from alliance.web.studies.models import Run

__all__ = ["KIND", "outputs_folder", "run_study_job", "start_run"]

#: The kind of job that runs a study.
KIND = "study.run"


def start_run(study: Study, user: User, lang: Lang) -> Run:
    """Create the study's next run and queue its job; return the run (its job queued)."""
    with transaction.atomic():
        Study.objects.select_for_update().filter(pk=study.pk).first()  # one number at a time
        last = study.runs.aggregate(last=Max("number"))["last"] or 0
        job = enqueue(KIND, user=user, study=study.code, run=last + 1, lang=lang)
        return Run.objects.create(
            study=study,
            number=last + 1,
            job=job,
            created_by=user,
            lang=lang,
            inputs={f.path: f.sha256 for f in study.files.all()},
        )


def outputs_folder(run: Run) -> Path:
    """Return the folder of the run's outputs (it exists once the run is done)."""
    return Path(settings.MEDIA_ROOT) / run.outputs


def run_study_job(
    job: Job, progress: Progress, *, study: str, run: int, lang: str
) -> dict[str, Any]:
    """Run the study's stored files; keep the results, diagnostics and outputs on its run."""
    found = Run.objects.select_related("study").get(study__code=study, number=run)
    chosen: Lang = "en" if lang == "en" else "fr"
    relative = f"studies/{study}/runs/{run}"
    final = Path(settings.MEDIA_ROOT) / relative
    final.parent.mkdir(parents=True, exist_ok=True)

    def heard(step: str, subject: str) -> None:
        progress(STEPS.index(step) / len(STEPS), step, subject)

    inputs = {f.path: f.sha256 for f in found.study.files.all()}
    staging = Path(tempfile.mkdtemp(prefix=f".{run}.", dir=final.parent))
    try:
        with tempfile.TemporaryDirectory(prefix="alliance-run-") as folder:
            path = materialise(found.study, Path(folder) / "study")
            try:
                outputs = run_study_file(
                    path, staging / "outputs", chosen, stopwatch=Stopwatch(heard)
                )
            except AllianceError as error:
                _within_study(error, path.parent)
                raise
        if outputs.run.results.study != study:
            raise RequestError(
                "runs.code_mismatch",
                Location(file="study.yaml", field="study", value=outputs.run.results.study),
                study=study,
                found=outputs.run.results.study,
            )
        _replace(staging / "outputs", final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    found.inputs = inputs
    found.results = outputs.run.results.to_json()
    found.weighting = weighting_records(outputs.run)
    found.outputs = relative
    found.save(update_fields=["inputs", "results", "weighting", "outputs"])
    return {"study": study, "run": run}


def _within_study(error: AllianceError, folder: Path) -> None:
    """Name files by their path in the study, not in the worker's temporary folder.

    The messages are read by analysts: the worker's folder means nothing to them and tells
    them about the server.
    """
    prefix = f"{folder}/"

    def relative(value: Any) -> Any:
        if isinstance(value, Path | str) and str(value).startswith(prefix):
            return str(value).removeprefix(prefix)
        return value

    def located(where: Location) -> Location:
        return replace(where, file=relative(where.file), value=relative(where.value))

    error.params = {name: relative(value) for name, value in error.params.items()}
    error.location = located(error.location)
    if isinstance(error, StudyInvalidError):
        error.problems = [
            replace(
                problem,
                location=located(problem.location),
                params={name: relative(value) for name, value in problem.params.items()},
            )
            for problem in error.problems
        ]


def _replace(ready: Path, final: Path) -> None:
    """Put the complete ``ready`` folder at ``final``, replacing a previous attempt's."""
    if final.exists():
        previous = final.with_name(f".{final.name}.previous")
        shutil.rmtree(previous, ignore_errors=True)
        final.replace(previous)
        ready.replace(final)
        shutil.rmtree(previous, ignore_errors=True)
    else:
        ready.replace(final)
