"""The demonstration study as a study folder, delivered the way pollsters and tools deliver files.

For each of the five populations, two waves are simulated (:mod:`alliance.demo.simulation`) and
written as they would arrive: SPSS with labels, French CSV with labels, XLSX. Beside them go the
questionnaires, the documented margins, the notebook's prose and a ``study.yaml`` saying what to
estimate and which figures the notebook published. From there on the demo is a study like any
other: ``alliance study check|run|publish`` take it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pyreadstat
import yaml

from alliance.demo.simulation import WAVES, PopulationPlan, simulate_wave
from alliance.errors import DataFileError, Location
from alliance.referential import default_referential
from alliance.study.margins import load_margins
from alliance.survey.io import write_responses
from alliance.survey.questionnaire import Questionnaire, default_questionnaires
from alliance.survey.questionnaire.loader import DATA_DIR as QUESTIONNAIRES_DIR

__all__ = ["DATA_DIR", "DELIVERY", "PLANS", "deliver_study"]

DATA_DIR = Path(__file__).parent / "data"
MARGINS_DIR = DATA_DIR / "margins"
TOP_TWO = [1, 2]

#: The five populations: who they are, how their samples are biased, what answers depend on.
PLANS: tuple[PopulationPlan, ...] = tuple(
    PopulationPlan(**plan)
    for plan in yaml.safe_load((DATA_DIR / "plans.yaml").read_text())["plans"]
)
#: How each population's waves are delivered, as pollsters and tools do.
DELIVERY: dict[str, dict[int, str]] = {
    "public": {2018: "csv-fr", 2022: "sav"},
    "elected-officials": {2018: "xlsx", 2022: "xlsx"},
    "companies": {2018: "csv", 2022: "csv"},
    "associations": {2018: "csv-fr", 2022: "csv-fr"},
    "foundations": {2018: "sav", 2022: "sav"},
}


#: The demonstration's cover: what it is and whose work it draws on, not a claim of authorship
#: by the Observatoire (its figures are reproduced on synthetic data).
DEMO_APPARATUS: dict[str, Any] = {
    "edition": {"fr": "Édition de démonstration", "en": "Demonstration edition"},
    #: The date of this demonstration edition (fixed, so that the demo's outputs are reproducible).
    "published": "2026-11-30",
    "authors": ["Alliance Observatory"],
    "credits": [
        {
            "role": {"fr": "Carnet d'origine", "en": "Original notebook"},
            "name": "Le RAMEAU / Observatoire des partenariats (IMPACT 2018-2022, 5e volet)",
        },
        {
            "role": {"fr": "Données", "en": "Data"},
            "name": "Simulation (données synthétiques)",
        },
    ],
}


def deliver_study(folder: Path, *, step: Callable[[str], None] | None = None) -> Path:
    """Simulate every population's waves into a study folder; return its ``study.yaml``.

    The folder is replaced only when it is empty or holds an earlier demo study: anything else
    there is the user's, and is refused rather than deleted.
    """
    _make_room(folder)
    for part in ("questionnaires", "margins", "data"):
        (folder / part).mkdir(parents=True, exist_ok=True)
    descriptions = yaml.safe_load((DATA_DIR / "populations.yaml").read_text(encoding="utf-8"))
    populations = []
    for plan in PLANS:
        if step:
            step(plan.questionnaire)
        populations.append(_population(plan, descriptions[plan.questionnaire], folder))
    shutil.copy(DATA_DIR / "notebook.yaml", folder / "notebook.yaml")
    study = {
        "study": "impact-demo",
        "title": {
            "fr": "ODD 17 : Alliance & Performance — démonstration",
            "en": "SDG 17: Alliance & Performance — demonstration",
        },
        "synthetic": True,
        "institute": "Alliance Observatory",
        "notebook": "notebook.yaml",
        **DEMO_APPARATUS,
        "populations": populations,
    }
    path = folder / "study.yaml"
    header = (
        "# The IMPACT demonstration study, written by `alliance demo`. SYNTHETIC data: the waves\n"
        "# were simulated to match, within sampling error, the figures the notebook published.\n"
    )
    text = yaml.dump(study, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False)
    path.write_text(header + text, encoding="utf-8")
    return path


class _PlainDumper(yaml.SafeDumper):
    """Writes shared values in full, without YAML anchors, so the file reads as written."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _make_room(folder: Path) -> None:
    """Remove an earlier demo study folder; refuse to touch a folder that is not one."""
    if not folder.exists():
        return
    definition = folder / "study.yaml"
    earlier = definition.is_file() and "\nstudy: impact-demo\n" in definition.read_text(
        encoding="utf-8"
    )
    if folder.is_dir() and (earlier or not any(folder.iterdir())):
        shutil.rmtree(folder)
        return
    raise DataFileError("study.folder_not_empty", Location(file=str(folder)), folder=folder)


def _population(plan: PopulationPlan, description: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Deliver one population's waves and describe it as ``study.yaml`` does."""
    name = plan.questionnaire
    questionnaire = default_questionnaires()[name]
    shutil.copy(QUESTIONNAIRES_DIR / f"{name}.yaml", folder / "questionnaires" / f"{name}.yaml")
    shutil.copy(MARGINS_DIR / f"{plan.margins}.yaml", folder / "margins" / f"{plan.margins}.yaml")
    margins = load_margins(MARGINS_DIR / f"{plan.margins}.yaml")
    referential = default_referential()
    waves, published, items = [], [], []
    for wave in WAVES:
        sample, targets = simulate_wave(plan, questionnaire, margins, referential, wave)
        file = _deliver(sample, questionnaire, folder / "data", name, wave)
        waves.append({"wave": str(wave), "file": f"data/{file.name}", "mode": description["mode"]})
        items = list(targets)
        for item, target in targets.items():
            if target.published and target.figure:
                figure = referential.item(target.figure)
                published.append(
                    {
                        "item": item,
                        "wave": str(wave),
                        "value": round(getattr(figure, "value", 0.0) / 100, 6),
                        "source": description["published_source"],
                        "code": target.figure,
                    }
                )
    return {
        "population": name,
        "label": description["label"],
        "universe": margins.title.model_dump() if margins.title else description["label"],
        "questionnaire": f"questionnaires/{name}.yaml",
        "margins": f"margins/{plan.margins}.yaml",
        "waves": waves,
        "shares": [
            {"item": item, "codes": TOP_TWO, "label": description["items"][item]} for item in items
        ],
        "segments": _segments(list(margins.variables)),
        **({"published": published} if published else {}),
    }


def _segments(variables: list[str]) -> list[str]:
    """Cut results by the margins' first variable, and by region where the margins have it.

    The region cut is what a territory's page shows of the study (``/territories/``).
    """
    first = variables[0]
    return [first, *(["region"] if "region" in variables and first != "region" else [])]


def _deliver(
    sample: pl.DataFrame, questionnaire: Questionnaire, folder: Path, name: str, wave: int
) -> Path:
    """Write a wave the way it would arrive: SPSS with labels, French CSV with labels or XLSX."""
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
