"""What is published: every study's current version, population labels, benchmark references.

A study's current version is its latest not withdrawn (an analyst may unpublish a version: the
previous one becomes current again; a study whose every version is withdrawn is no longer
published, on pages and API alike). Studies are ordered by the publication of their current
version, the latest first: « the latest published study » is the first of :func:`current_versions`.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import OuterRef, Subquery

from alliance.diagnostic.benchmark import Reference
from alliance.web.results.models import StudyVersion

__all__ = [
    "benchmark_references", "benchmark_version", "current_version", "current_versions",
    "has_published", "population_label", "population_labels", "population_redirect",
]  # fmt: skip


def current_versions() -> list[StudyVersion]:
    """Return the current version of every published study, the latest published first."""
    latest = (
        StudyVersion.objects.filter(study=OuterRef("study"), withdrawn_at=None)
        .order_by("-number")
        .values("number")
    )
    return list(
        StudyVersion.objects.select_related("study")
        .filter(withdrawn_at=None, number=Subquery(latest[:1]))
        .order_by("-published_at", "-pk")
    )


def current_version(study: str) -> StudyVersion | None:
    """Return the study's current version (None for a study never published, or withdrawn)."""
    return (
        StudyVersion.objects.select_related("study")
        .filter(study__code=study, withdrawn_at=None)
        .order_by("-number")
        .first()
    )


def has_published() -> bool:
    """Whether any study has a version shown to readers."""
    return StudyVersion.objects.filter(withdrawn_at=None).exists()


def population_labels(lang: str) -> dict[str, str]:
    """Return every published population's label in ``lang``; the latest study's label wins."""
    labels: dict[str, str] = {}
    for version in reversed(current_versions()):
        for population in version.populations():
            labels[population.population] = population.label.get(lang) or population.population
    return labels


def population_label(code: str, lang: str) -> str:
    """Return a population's label in ``lang`` from the published studies (its code if none)."""
    return population_labels(lang).get(code, code)


def population_redirect(code: str) -> StudyVersion | None:
    """Return the latest published study's version when it has population ``code`` (old links)."""
    versions = current_versions()
    if versions and versions[0].population(code) is not None:
        return versions[0]
    return None


def benchmark_version(population: str) -> StudyVersion | None:
    """Return the version whose references the organisations of ``population`` are compared to.

    The setting ``ALLIANCE_BENCHMARK_STUDY`` (a study code) forces a study; otherwise it is the
    latest published study whose references cover the population.
    """
    forced = getattr(settings, "ALLIANCE_BENCHMARK_STUDY", "")
    if forced:
        return current_version(forced)
    for version in current_versions():
        if version.references.filter(population=population).exists():
            return version
    return None


def benchmark_references(population: str) -> list[Reference]:
    """Return the benchmark references of ``population`` in the chosen study (maybe none)."""
    version = benchmark_version(population)
    if version is None:
        return []
    found = version.references.filter(population=population).order_by("pk")
    return [r.reference() for r in found]
