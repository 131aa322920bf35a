"""The demonstration study, run through the real pipeline from raw files to estimates.

For each population: simulate two waves, write them the way pollsters and tools deliver files
(SPSS, French CSV, XLSX), import and validate them against the questionnaire, stack the waves, rake
each wave to the population margins, then estimate every impact item's « fort + très fort » share
per wave, by segment, and the change from 2018 to 2022.

Raking stacked waves: each margin variable is crossed with the wave (``sex`` → ``2018|F``…) and
each wave's targets are scaled to the population total, so one raking adjusts each wave to its own
margins and the design (strata = wave) knows the waves are independent samples. Standard errors
are calibration-aware for both waves and their difference.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyreadstat

from alliance.demo.margins import PopulationMargins, load_margins
from alliance.demo.simulation import WAVES, ItemTarget, PopulationPlan, simulate_wave
from alliance.referential import Referential, default_referential
from alliance.survey import Design, Difference, Estimate, RakeDiagnostics, difference, rake, share
from alliance.survey.io import Responses, read_responses, write_responses
from alliance.survey.questionnaire import Questionnaire, default_questionnaires
from alliance.survey.validation import check_responses

__all__ = ["PLANS", "ItemResult", "PopulationResult", "StudyResults", "WaveFile", "run_study"]

TOP_TWO = (1, 2)

PLANS: tuple[PopulationPlan, ...] = (
    PopulationPlan(
        questionnaire="public",
        margins="public",
        size=1000,
        id_prefix="P",
        bias={"age": {"18-24": 1.6, "25-34": 1.3, "65+": 0.6}, "region": {"IDF": 1.5}},
        effects={"age": {"18-24": 0.35, "25-34": 0.2, "65+": -0.3}, "sex": {"F": 0.1}},
        seed=11,
    ),
    PopulationPlan(
        questionnaire="elected-officials",
        margins="elected-officials",
        size=300,
        id_prefix="E",
        # As in the Observatoire's mayors' surveys, larger communes are over-sampled.
        bias={
            "commune_size": {
                "lt1000": 0.5,
                "1000-3499": 1.2,
                "3500-9999": 3.0,
                "10000-49999": 5.0,
                "50000+": 15.0,
            }
        },
        effects={"commune_size": {"lt1000": -0.2, "10000-49999": 0.3, "50000+": 0.5}},
        illustrative={"impact_territory": 0.61, "impact_people": 0.52, "impact_innovation": 0.47},
        seed=12,
    ),
    PopulationPlan(
        questionnaire="companies",
        margins="companies",
        size=500,
        id_prefix="C",
        bias={"size": {"50-249": 2.0, "250-999": 4.0, "1000+": 8.0}},
        effects={"size": {"250-999": 0.3, "1000+": 0.5}, "sector": {"services": 0.1}},
        illustrative={
            "impact_own_performance": 0.58,
            "impact_territory": 0.63,
            "impact_innovation": 0.55,
        },
        seed=13,
    ),
    PopulationPlan(
        questionnaire="associations",
        margins="associations",
        size=1000,
        id_prefix="A",
        bias={"size": {"no_staff": 0.6, "1-9": 2.5, "10-49": 4.0, "50+": 6.0}},
        effects={"size": {"10-49": 0.25, "50+": 0.4}, "sector": {"social_health": 0.2}},
        illustrative={
            "impact_own_performance": 0.49,
            "impact_territory": 0.57,
            "impact_innovation": 0.44,
        },
        seed=14,
    ),
    PopulationPlan(
        questionnaire="foundations",
        margins="foundations",
        size=150,
        id_prefix="F",
        bias={"foundation_type": {"public_utility": 2.0, "corporate": 1.8}},
        effects={"foundation_type": {"corporate": 0.3, "public_utility": 0.2}},
        illustrative={
            "impact_own_performance": 0.62,
            "impact_territory": 0.59,
            "impact_innovation": 0.57,
        },
        seed=15,
    ),
)

#: How each population's waves are delivered, as pollsters and tools do: (format, CSV style).
DELIVERY: dict[str, dict[int, str]] = {
    "public": {2018: "csv-fr", 2022: "sav"},
    "elected-officials": {2018: "xlsx", 2022: "xlsx"},
    "companies": {2018: "csv", 2022: "csv"},
    "associations": {2018: "csv-fr", 2022: "csv-fr"},
    "foundations": {2018: "sav", 2022: "sav"},
}


@dataclass(frozen=True)
class WaveFile:
    """One delivered file: where it is, its fingerprint, how many rows were imported."""

    population: str
    wave: int
    path: Path
    sha256: str
    read_as: str
    rows: int
    imported: Path


@dataclass(frozen=True)
class ItemResult:
    """An impact item's « fort + très fort » share in one wave, with the target it was drawn to."""

    item: str
    wave: int
    estimate: Estimate
    target: ItemTarget
    unweighted: float


@dataclass(frozen=True)
class PopulationResult:
    """Everything the notebook shows about one population."""

    plan: PopulationPlan
    questionnaire: Questionnaire
    margins: PopulationMargins
    files: list[WaveFile]
    diagnostics: RakeDiagnostics
    effective_n: dict[int, float]
    items: list[ItemResult]
    changes: dict[str, Difference]
    segments: dict[str, list[Estimate]] = field(default_factory=dict)
    segment_variable: str | None = None
    #: The raked design of both waves (for further estimates, such as the diagnostic benchmark).
    design: Design | None = None

    def item(self, name: str, wave: int) -> ItemResult:
        """Return the result of ``name`` in ``wave``."""
        return next(r for r in self.items if r.item == name and r.wave == wave)

    @property
    def impact_items(self) -> list[str]:
        """Names of the impact items, in questionnaire order."""
        return list(dict.fromkeys(r.item for r in self.items))


@dataclass(frozen=True)
class StudyResults:
    """The whole demonstration study."""

    populations: list[PopulationResult]
    referential: Referential

    def population(self, code: str) -> PopulationResult:
        """Return the result of the population whose questionnaire is ``code``."""
        return next(p for p in self.populations if p.plan.questionnaire == code)


Step = Callable[[str], None]


def run_study(out: Path, *, step: Step | None = None) -> StudyResults:
    """Simulate, deliver, import, weight and estimate every population of the study."""
    referential = default_referential()
    questionnaires = default_questionnaires()
    results = []
    for plan in PLANS:
        if step:
            step(plan.questionnaire)
        questionnaire = questionnaires[plan.questionnaire]
        margins = load_margins(plan.margins)
        results.append(_population(plan, questionnaire, margins, referential, out))
    return StudyResults(populations=results, referential=referential)


def _population(
    plan: PopulationPlan,
    questionnaire: Questionnaire,
    margins: PopulationMargins,
    referential: Referential,
    out: Path,
) -> PopulationResult:
    files, frames, targets = [], [], {}
    for wave in WAVES:
        sample, wave_targets = simulate_wave(plan, questionnaire, margins, referential, wave)
        raw = _deliver(sample, questionnaire, out / "data" / "raw", plan.questionnaire, wave)
        imported = _import(
            raw, questionnaire, out / "data" / f"{plan.questionnaire}-{wave}.parquet"
        )
        files.append(
            WaveFile(
                population=plan.questionnaire,
                wave=wave,
                path=raw,
                sha256=hashlib.sha256(raw.read_bytes()).hexdigest(),
                read_as=imported.describe(),
                rows=imported.frame.height,
                imported=out / "data" / f"{plan.questionnaire}-{wave}.parquet",
            )
        )
        frames.append(imported.for_estimates().with_columns(wave=pl.lit(wave)))
        targets[wave] = wave_targets
    stacked = pl.concat(frames, how="diagonal_relaxed")
    design, diagnostics = _rake_waves(stacked, margins)
    items, changes = [], {}
    for name in targets[WAVES[-1]]:
        estimates = share(design, name, TOP_TWO, by="wave")
        for estimate in estimates:
            wave = int(estimate.group)
            rows = stacked.filter(pl.col("wave") == wave)[name].drop_nulls()
            items.append(
                ItemResult(
                    item=name,
                    wave=wave,
                    estimate=estimate,
                    target=targets[wave][name],
                    unweighted=_share_of_top_two(rows),
                )
            )
        changes[name] = difference(
            design, name, by="wave", first=WAVES[0], second=WAVES[-1], codes=TOP_TWO
        )
    segment = next(iter(margins.variables))
    segments = _segments(design, stacked, list(targets[WAVES[-1]]), segment)
    weights = design.weights
    wave_of_row = stacked["wave"].to_numpy()
    effective = {
        wave: float(
            weights[wave_of_row == wave].sum() ** 2 / (weights[wave_of_row == wave] ** 2).sum()
        )
        for wave in WAVES
    }
    return PopulationResult(
        plan=plan,
        questionnaire=questionnaire,
        margins=margins,
        files=files,
        diagnostics=diagnostics,
        effective_n=effective,
        items=items,
        changes=changes,
        segments=segments,
        segment_variable=segment,
        design=design,
    )


def _segments(
    design: Design, stacked: pl.DataFrame, items: list[str], variable: str
) -> dict[str, list[Estimate]]:
    """2022 estimates by the first weighting variable (age, commune size, size…)."""
    crossed = design.frame.with_columns(
        (pl.col("wave").cast(pl.String) + "|" + pl.col(variable).cast(pl.String)).alias("_segment")
    )
    by_segment = Design.from_frame(crossed, weights=None, strata="wave").with_weights(
        design.weights, step="segments", calibration=design.calibration
    )
    latest = f"{WAVES[-1]}|"
    return {
        name: [
            e
            for e in share(by_segment, name, TOP_TWO, by="_segment")
            if str(e.group).startswith(latest)
        ]
        for name in items
    }


def _rake_waves(
    stacked: pl.DataFrame, margins: PopulationMargins
) -> tuple[Design, RakeDiagnostics]:
    """Rake every wave to the population margins in one calibration (margins crossed with waves)."""
    targets: dict[str, dict[str, float]] = {}
    crossed = []
    for variable, shares in margins.targets().items():
        name = f"{variable}@wave"
        crossed.append(
            (pl.col("wave").cast(pl.String) + "|" + pl.col(variable).cast(pl.String)).alias(name)
        )
        targets[name] = {
            f"{wave}|{level}": share * margins.population_total
            for wave in WAVES
            for level, share in shares.items()
        }
    frame = stacked.with_columns(crossed)
    design = Design.from_frame(frame, strata="wave")
    return rake(
        design, targets, population_total=margins.population_total * len(WAVES), tolerance=1e-9
    )


def _share_of_top_two(answers: pl.Series) -> float:
    """Unweighted share of codes 1 and 2 among answers (to show what weighting changed)."""
    if answers.len() == 0:
        return 0.0
    return int(answers.is_in(list(TOP_TWO)).sum()) / answers.len()


def _deliver(
    sample: pl.DataFrame, questionnaire: Questionnaire, folder: Path, name: str, wave: int
) -> Path:
    """Write a wave the way it would arrive: SPSS with labels, French CSV with labels or XLSX."""
    folder.mkdir(parents=True, exist_ok=True)
    delivery = DELIVERY[name][wave]
    labels = {
        item.name: {choice.code: choice.label.fr for choice in scale.choices}
        for item in questionnaire.items
        if (scale := questionnaire.scale_of(item)) is not None and item.name in sample.columns
    }
    if delivery == "sav":
        path = folder / f"{name}-{wave}.sav"
        numeric = {k: {float(c): t for c, t in v.items()} for k, v in labels.items()
                   if sample.schema[k].is_numeric()}  # fmt: skip
        missing: dict[str, list[Any]] = {k: [9.0] for k, v in numeric.items() if 9.0 in v}
        pyreadstat.write_sav(
            sample,
            str(path),
            column_labels={
                item.name: item.label.fr
                for item in questionnaire.items
                if item.name in sample.columns
            },
            variable_value_labels=numeric,
            missing_ranges=missing,
        )
        return path
    if delivery == "xlsx":
        path = folder / f"{name}-{wave}.xlsx"
        write_responses(sample, path)
        return path
    path = folder / f"{name}-{wave}.csv"
    if delivery == "csv":
        sample.write_csv(path)
        return path
    # French CSV: « ; », Windows-1252, impact answers written as their French labels.
    impact = {k: v for k, v in labels.items() if 9 in v}
    worded = sample.with_columns(
        [
            pl.col(k).replace_strict(list(v), list(v.values()), return_dtype=pl.String)
            for k, v in impact.items()
        ]
    )
    path.write_bytes(worded.write_csv(separator=";").encode("cp1252"))
    return path


def _import(raw: Path, questionnaire: Questionnaire, target: Path) -> Responses:
    """Read and validate a delivered file (strict), then store it as Parquet."""
    checked = check_responses(read_responses(raw), questionnaire)
    if checked.errors:
        first = checked.errors[0]
        raise RuntimeError(f"demo data do not match their questionnaire: {first.message('en')}")
    write_responses(checked.responses, target, questionnaire=questionnaire.model_dump(mode="json"))
    return checked.responses.with_frame(checked.responses.frame)
