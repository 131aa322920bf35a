"""Publishing a run's results and withdrawing a version, each recorded in the audit trail.

Pages and API call these two functions, so a publication from the browser and one from a script
leave the same record: the version (with who published it), and a
:class:`~alliance.web.studies.models.PublicationEvent` saying who did what, when.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance.errors import ConflictError, Location
from alliance.study.results import StudyResults
from alliance.web.accounts.models import User
from alliance.web.jobs.models import Job
from alliance.web.results.models import StudyVersion
from alliance.web.results.publishing import publish
from alliance.web.studies.models import PublicationEvent, Run

__all__ = ["Comparison", "compare", "publish_run", "run_results", "unpublish"]


def run_results(run: Run) -> StudyResults:
    """Return the results of a run done; a run not done is a conflict (409)."""
    if run.job.status != Job.Status.DONE or run.results is None:
        raise ConflictError(
            "runs.not_done",
            Location(field="run", value=run.number),
            run=run.number,
            status=run.job.status,
        )
    return StudyResults.from_json(run.results)


def publish_run(run: Run, user: User) -> tuple[StudyVersion, bool]:
    """Publish the run's results; return the version and whether it is new.

    Results equal to the current version's publish nothing and record nothing (the caller says
    so to the person).
    """
    results = run_results(run)
    with transaction.atomic():
        # The run's address: a source in no language, that leads to what was published.
        source = reverse("workspace_run", args=[run.study.code, run.number])
        version, created = publish(results, source=source)
        if created:
            version.published_by = user
            version.save(update_fields=["published_by"])
            PublicationEvent.objects.create(
                study=run.study,
                version=version,
                run=run,
                action=PublicationEvent.Action.PUBLISH,
                user=user,
            )
    return version, created


def unpublish(version: StudyVersion, user: User) -> StudyVersion:
    """Withdraw ``version`` (the previous version not withdrawn becomes current) and record it."""
    with transaction.atomic():
        locked = StudyVersion.objects.select_for_update().get(pk=version.pk)
        if locked.withdrawn_at is not None:
            raise ConflictError(
                "runs.already_withdrawn",
                Location(field="version", value=locked.number),
                number=locked.number,
            )
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
        PublicationEvent.objects.create(
            study=locked.study,
            version=locked,
            action=PublicationEvent.Action.UNPUBLISH,
            user=user,
        )
    return locked


@dataclass(frozen=True)
class Comparison:
    """One estimate in two versions: either side is None when the row is in one version only."""

    population: str
    wave: str
    variable: str
    statistic: str
    by: str
    group: str
    label: str
    group_label: str
    a: dict[str, float | int | bool | None] | None
    b: dict[str, float | int | bool | None] | None

    @property
    def status(self) -> str:
        """``added``, ``removed``, ``changed`` or ``same``."""
        if self.a is None:
            return "added"
        if self.b is None:
            return "removed"
        return "same" if self.a == self.b else "changed"

    @property
    def difference(self) -> float | None:
        """Estimate b minus estimate a, when both are shown."""
        first = self.a.get("estimate") if self.a else None
        second = self.b.get("estimate") if self.b else None
        if not isinstance(first, float) or not isinstance(second, float):
            return None
        return second - first


def compare(a: StudyVersion, b: StudyVersion, lang: str) -> list[Comparison]:
    """Every estimate of either version, matched on population, wave, variable and group."""
    fields = ("estimate", "ci_low", "ci_high", "n", "fragile", "suppressed")
    keyed = []
    for version in (a, b):
        rows = {}
        for e in version.estimates.all():
            key = (e.population, e.wave, e.variable, e.statistic, e.by, e.group)
            values = e.record("en" if lang == "en" else "fr")
            rows[key] = (e, {name: values[name] for name in fields})
        keyed.append(rows)
    first, second = keyed
    order = list(first) + [key for key in second if key not in first]
    found = []
    for key in order:
        estimate = (first.get(key) or second[key])[0]
        found.append(
            Comparison(
                *key,
                label=estimate.label(lang),
                group_label=estimate.group_label(lang),
                a=first[key][1] if key in first else None,
                b=second[key][1] if key in second else None,
            )
        )
    return found
