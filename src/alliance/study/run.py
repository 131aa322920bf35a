"""Running a study: weight each wave on its own rows, estimate what the definition asks, compare.

Each wave is its own sample: its design is built from the population's ``design:`` options on the
wave's rows alone, then raked to the margins (the wave's, or the population's). Every estimate is
R's ``survey`` on that wave: ``svyciprop(method = "logit")`` for shares, ``svymean`` for means,
``svyby`` for segments, with missing answers out of the base as a domain. Waves are compared as
independent samples. The results become :class:`~alliance.study.results.StudyResults`, the one
record every output reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

import numpy as np
import polars as pl

from alliance.diagnostic.benchmark import study_references
from alliance.study.check import PreparedPopulation, PreparedStudy, PreparedWave
from alliance.study.definition import StudyDefinition
from alliance.study.reliability import Reliability
from alliance.study.results import (
    Comparison,
    PopulationInfo,
    PublishedComparison,
    Result,
    StudyResults,
    WaveInfo,
)
from alliance.study.stopwatch import Stopwatch
from alliance.survey import (
    Design,
    Estimate,
    RakeDiagnostics,
    diagnose,
    independent_difference,
    mean,
    rake,
    share,
)
from alliance.survey.columns import code_text
from alliance.survey.questionnaire import Questionnaire

__all__ = ["PopulationRun", "StudyRun", "WaveWeighting", "run_study"]

#: The column a wave's number is given in its design, for the diagnostic's benchmark references.
BENCHMARK_WAVE = "__wave__"


@dataclass(frozen=True)
class WaveWeighting:
    """How a wave was weighted, for the methods appendix and the « fiche technique »."""

    wave: str
    design: Design
    diagnostics: RakeDiagnostics
    #: Per margin variable and category: (sample share before, weighted share after, target).
    margins: dict[str, dict[str, tuple[float, float, float]]] = field(default_factory=dict)


@dataclass(frozen=True)
class PopulationRun:
    """One population's run: its prepared data and each wave's weighting."""

    prepared: PreparedPopulation
    weightings: list[WaveWeighting]

    @property
    def code(self) -> str:
        """The population's code."""
        return self.prepared.definition.population


@dataclass(frozen=True)
class StudyRun:
    """A whole run: the definition, what was read, how waves were weighted, and the results."""

    definition: StudyDefinition
    populations: list[PopulationRun]
    results: StudyResults

    def population(self, code: str) -> PopulationRun:
        """Return the run of the population called ``code``."""
        return next(p for p in self.populations if p.code == code)


def run_study(prepared: PreparedStudy, *, stopwatch: Stopwatch | None = None) -> StudyRun:
    """Weight and estimate a checked study (``prepared`` must have no errors)."""
    definition = prepared.definition
    if definition is None or prepared.errors:
        raise ValueError("run_study needs a study checked without errors")
    clock = stopwatch or Stopwatch()
    reliability = Reliability(suppress_below=definition.suppress_below)
    runs, infos, estimates, comparisons, published, benchmark = [], [], [], [], [], []
    for population in prepared.populations:
        code = population.definition.population
        weightings = []
        for wave in population.waves:
            with clock.step("weight", f"{code} {wave.wave}"):
                weightings.append(_weight(population, wave))
        runs.append(PopulationRun(population, weightings))
        with clock.step("estimate", code):
            by_wave = {w.wave: _estimates(population, w, reliability) for w in weightings}
            for wave_estimates in by_wave.values():
                estimates += [r for r, _ in wave_estimates]
            comparisons += _comparisons(population, by_wave)
            published += _published(population, by_wave)
            benchmark += _benchmark(population, weightings[-1], definition.synthetic)
        infos.append(_info(population, weightings))
    results = StudyResults(
        study=definition.study,
        title=definition.title.model_dump(),
        synthetic=definition.synthetic,
        populations=infos,
        estimates=estimates,
        comparisons=comparisons,
        published=published,
        benchmark=benchmark,
        suppress_below=reliability.suppress_below,
        fragile_below=reliability.fragile_below,
        licence=definition.licence,
    )
    return StudyRun(definition=definition, populations=runs, results=results)


def _weight(population: PreparedPopulation, wave: PreparedWave) -> WaveWeighting:
    """Build the wave's design on its own rows and rake it to its margins."""
    design = Design.from_spec(wave.frame, population.definition.design.spec())
    if wave.margins is None:
        return WaveWeighting(wave.wave, design, diagnose(design))
    targets = wave.margins.targets()
    raked, diagnostics = rake(design, targets, population_total=wave.margins.population_total)
    return WaveWeighting(wave.wave, raked, diagnostics, _margin_shares(design, raked, targets))


def _margin_shares(
    before: Design, after: Design, targets: dict[str, dict[str, float]]
) -> dict[str, dict[str, tuple[float, float, float]]]:
    """Each margin's categories: unweighted share of the sample, weighted share, target."""
    shares: dict[str, dict[str, tuple[float, float, float]]] = {}
    for variable, wanted in targets.items():
        coding = after.coding(variable)
        counts = np.bincount(coding.codes, minlength=len(coding.levels))
        weighted = np.bincount(coding.codes, weights=after.weights, minlength=len(coding.levels))
        shares[variable] = {
            code_text(level): (
                float(counts[i] / counts.sum()),
                float(weighted[i] / weighted.sum()),
                float(wanted.get(code_text(level), 0.0)),
            )
            for i, level in enumerate(coding.levels)
        }
    return shares


def _estimates(
    population: PreparedPopulation, weighting: WaveWeighting, reliability: Reliability
) -> list[tuple[Result, Estimate]]:
    """Every share and mean asked for, overall then by each segment."""
    definition, design, wave = population.definition, weighting.design, weighting.wave
    code = definition.population
    found: list[tuple[Result, Estimate]] = []
    domains: list[str | None] = [None, *definition.segments]
    for spec in definition.shares:
        for by in domains:
            for estimate in share(design, spec.item, spec.codes, by=by):
                found.append((reliability.result(code, wave, estimate, spec.codes), estimate))
    for item in definition.means:
        for by in domains:
            for estimate in mean(design, item, by=by):
                found.append((reliability.result(code, wave, estimate), estimate))
    return found


def _comparisons(
    population: PreparedPopulation, by_wave: dict[str, list[tuple[Result, Estimate]]]
) -> list[Comparison]:
    """Each overall estimate against the previous wave's (independent samples)."""
    waves = list(by_wave)
    found = []
    for first, second in pairwise(waves):
        before = {(r.variable, r.statistic): (r, e) for r, e in by_wave[first] if r.by is None}
        for result, estimate in by_wave[second]:
            key = (result.variable, result.statistic)
            if result.by is not None or key not in before:
                continue
            earlier, earlier_estimate = before[key]
            hidden = earlier.suppressed or result.suppressed
            change = independent_difference(earlier_estimate, estimate)
            found.append(
                Comparison(
                    population=population.definition.population,
                    variable=result.variable,
                    statistic=result.statistic,
                    first=first,
                    second=second,
                    first_estimate=None if hidden else change.first_estimate,
                    second_estimate=None if hidden else change.second_estimate,
                    difference=None if hidden else change.estimate,
                    se=None if hidden else change.se,
                    df=change.df,
                    p_value=None if hidden else change.p_value,
                    suppressed=hidden,
                )
            )
    return found


def _published(
    population: PreparedPopulation, by_wave: dict[str, list[tuple[Result, Estimate]]]
) -> list[PublishedComparison]:
    """Each published figure beside the reproduced share of its item and wave."""
    found = []
    for figure in population.definition.published:
        result = next(
            r
            for r, _ in by_wave[figure.wave]
            if r.variable == figure.item and r.statistic == "share" and r.by is None
        )
        found.append(
            PublishedComparison(
                population=population.definition.population,
                variable=figure.item,
                wave=figure.wave,
                published=figure.value,
                source=figure.source,
                estimate=result.estimate,
                ci_low=result.ci_low,
                ci_high=result.ci_high,
                n=result.n,
                code=figure.code or "",
            )
        )
    return found


def _benchmark(
    population: PreparedPopulation, weighting: WaveWeighting, synthetic: bool
) -> list[dict[str, Any]]:
    """Return the diagnostic's references from the latest wave (when its code is a year)."""
    if not weighting.wave.isdigit():
        return []
    wave = int(weighting.wave)
    design = weighting.design
    marked = replace(design, frame=design.frame.with_columns(pl.lit(wave).alias(BENCHMARK_WAVE)))
    references = study_references(
        marked,
        population.definition.population,
        wave=wave,
        wave_column=BENCHMARK_WAVE,
        synthetic=synthetic,
    )
    return [reference.to_dict() for reference in references]


def _info(population: PreparedPopulation, weightings: list[WaveWeighting]) -> PopulationInfo:
    """Labels of the population, its items and segments, and its waves' samples."""
    definition, questionnaire = population.definition, population.questionnaire
    items: dict[str, dict[str, str]] = {}
    for spec in definition.shares:
        label = spec.label or _item_label(questionnaire, spec.item)
        items[spec.item] = label.model_dump() if hasattr(label, "model_dump") else label
    for name in definition.means:
        items[name] = _item_label(questionnaire, name)
    segments = {}
    for variable in definition.segments:
        segments[variable] = {
            "label": _item_label(questionnaire, variable),
            "groups": _group_labels(questionnaire, variable),
        }
    waves = []
    for wave, weighting, wave_definition in zip(
        population.waves, weightings, definition.waves, strict=True
    ):
        fieldwork = wave_definition.fieldwork
        waves.append(
            WaveInfo(
                wave=wave.wave,
                n=wave.responses.frame.height,
                file=wave.path.name,
                sha256=wave.sha256,
                read_as=wave.responses.describe(),
                fieldwork_start=fieldwork.start.isoformat() if fieldwork else None,
                fieldwork_end=fieldwork.end.isoformat() if fieldwork else None,
                mode=wave_definition.mode.model_dump() if wave_definition.mode else {},
                institute=wave_definition.institute,
                effective_n=weighting.diagnostics.effective_n,
            )
        )
    universe = definition.universe
    if universe is None and population.margins is not None and population.margins.title:
        universe = population.margins.title
    return PopulationInfo(
        population=definition.population,
        label=definition.label.model_dump(),
        waves=waves,
        items=items,
        segments=segments,
        universe=universe.model_dump() if universe else {},
    )


def _item_label(questionnaire: Questionnaire, name: str) -> dict[str, str]:
    found = next((item for item in questionnaire.items if item.name == name), None)
    return found.label.model_dump() if found else {"fr": name, "en": name}


def _group_labels(questionnaire: Questionnaire, name: str) -> dict[str, dict[str, str]]:
    found = next((item for item in questionnaire.items if item.name == name), None)
    scale = questionnaire.scale_of(found) if found else None
    if scale is None:
        return {}
    return {code_text(choice.code): choice.label.model_dump() for choice in scale.choices}
