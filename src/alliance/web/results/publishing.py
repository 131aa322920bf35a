"""Publishing a study's results on the platform: a new version, unless nothing changed.

``alliance study publish`` reads ``results.json`` (:func:`alliance.study.results.read_results`)
and calls :func:`publish`. Everything is checked before anything is written, and written in one
transaction: readers see the previous version or the new one, never half of it.
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.db import transaction
from django.db.models import Max

from alliance.diagnostic.benchmark import Reference
from alliance.errors import DataFileError, Location
from alliance.study.results import PopulationInfo, PublishedComparison, Result, StudyResults
from alliance.web.results.models import BenchmarkReference, Estimate, Study, StudyVersion

__all__ = ["estimate_rows", "publish"]

#: Study and population codes appear in addresses (``/results/<study>/<population>/``).
CODE = re.compile(r"^[-a-zA-Z0-9_]+$")
CODE_LENGTH = 64
TITLE_LENGTH = 300
WAVE_LENGTH = 32


def publish(results: StudyResults, *, source: str = "") -> tuple[StudyVersion, bool]:
    """Publish ``results`` as the study's new version; return it and whether it is new.

    The study is created on first publication. When its current version (the latest not
    withdrawn) has the same :meth:`~StudyResults.digest`, nothing changes and that version is
    returned with False; results equal to a withdrawn version's are published again, as a new
    version.
    Invalid results raise :class:`~alliance.errors.DataFileError` and change nothing.
    """
    _check(results)
    digest = results.digest()
    with transaction.atomic():
        study, _ = Study.objects.get_or_create(
            code=results.study,
            defaults={
                "title_fr": results.title.get("fr", results.study),
                "title_en": results.title.get("en", results.study),
                "synthetic": results.synthetic,
            },
        )
        study = Study.objects.select_for_update().get(pk=study.pk)  # one publication at a time
        latest = study.current()
        if latest is not None and latest.digest == digest:
            return latest, False
        study.title_fr = results.title.get("fr") or results.study
        study.title_en = results.title.get("en") or study.title_fr
        study.synthetic = results.synthetic
        study.save()
        data = results.to_json()
        del data["estimates"], data["benchmark"]
        version = StudyVersion.objects.create(
            study=study,
            number=(study.versions.aggregate(last=Max("number"))["last"] or 0) + 1,
            digest=digest,
            source=source,
            data=data,
        )
        Estimate.objects.bulk_create(estimate_rows(results, version), batch_size=500)
        BenchmarkReference.objects.bulk_create(
            BenchmarkReference(
                version=version, population=entry["population"], item=entry["item"], data=entry
            )
            for entry in results.benchmark
        )
    return version, True


def _check(results: StudyResults) -> None:
    """Refuse what the platform could not show or store, naming the field and value."""
    _code("study", results.study)
    for lang, title in results.title.items():
        _length(f"title.{lang}", title, TITLE_LENGTH)
    known = set()
    for population in results.populations:
        _code("population", population.population)
        known.add(population.population)
    for result in results.estimates:
        if result.population not in known:
            raise DataFileError(
                "publish.unknown_population", Location(field="population", value=result.population)
            )
        _length("wave", str(result.wave), WAVE_LENGTH)
        for name in ("variable", "by", "group"):
            value = getattr(result, name)
            _length(name, "" if value is None else str(value), CODE_LENGTH)
    seen: set[tuple[str, str]] = set()
    for entry in results.benchmark:
        try:
            reference = Reference.from_dict(entry)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise DataFileError(
                "publish.invalid_reference", Location(field="benchmark"), problem=repr(error)
            ) from None
        key = (reference.population, reference.item)
        if key in seen:
            raise DataFileError(
                "publish.invalid_reference",
                Location(field="benchmark", value="/".join(key)),
                problem="repeated",
            )
        seen.add(key)
        _length("benchmark.population", reference.population, CODE_LENGTH)
        _length("benchmark.item", reference.item, CODE_LENGTH)


def _code(field: str, value: str) -> None:
    if not (isinstance(value, str) and CODE.match(value) and len(value) <= CODE_LENGTH):
        raise DataFileError(
            "publish.invalid_code", Location(field=field, value=value), limit=CODE_LENGTH
        )


def _length(field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise DataFileError("publish.too_long", Location(field=field, value=value), limit=limit)


def estimate_rows(results: StudyResults, version: StudyVersion) -> list[Estimate]:
    """One row per result, labelled in both languages; suppressed ones without values.

    Unsaved: publishing saves them; the workspace's preview shows them as they will be read.
    """
    populations = {p.population: p for p in results.populations}
    published: dict[tuple[str, str, str], PublishedComparison] = {}
    for entry in results.published:
        published.setdefault((entry.population, entry.variable, str(entry.wave)), entry)
    rows = []
    for position, result in enumerate(results.estimates):
        info = populations[result.population]
        wave = str(result.wave)
        figure = (
            published.get((result.population, result.variable, wave)) if not result.by else None
        )
        rows.append(
            Estimate(
                version=version,
                position=position,
                population=result.population,
                wave=wave,
                variable=result.variable,
                statistic=result.statistic,
                by=result.by or "",
                group="" if result.group is None else str(result.group),
                label_fr=info.item_label(result.variable, "fr"),
                label_en=info.item_label(result.variable, "en"),
                **_group_labels(info, result),
                **_values(result),
                n=result.n,
                fragile=result.fragile,
                suppressed=result.suppressed,
                codes=result.codes,
                published=figure.published if figure else None,
                published_source=figure.source if figure else "",
            )
        )
    return rows


def _group_labels(info: PopulationInfo, result: Result) -> dict[str, str]:
    if not result.by or result.group is None:
        return {"group_label_fr": "", "group_label_en": ""}
    group = str(result.group)
    return {
        "group_label_fr": info.group_label(result.by, group, "fr"),
        "group_label_en": info.group_label(result.by, group, "en"),
    }


def _values(result: Result) -> dict[str, Any]:
    """Return the estimate's values: none for a suppressed one (it is shown nowhere)."""
    names = ("estimate", "se", "ci_low", "ci_high")
    if result.suppressed:
        return dict.fromkeys(names)
    return {name: _finite(getattr(result, name)) for name in names}


def _finite(value: float | None) -> float | None:
    """NaN and infinities are stored as none (JSON and PostgreSQL agree)."""
    return None if value is None or not math.isfinite(value) else float(value)
