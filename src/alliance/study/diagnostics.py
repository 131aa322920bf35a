"""A run's weighting diagnostics as data: what the workspace shows before anything is published.

The methods appendix of the notebook (:mod:`alliance.study.methods`) prints the same figures as
tables; here they are kept as JSON-ready records, one per population and wave, read off the
run's :class:`~alliance.study.run.WaveWeighting`: Kish's effective n and efficiency, the weights'
range and ratio, raking's iterations and largest remaining gap, the margins before and after
against their targets, any trimming, and the weights binned for a histogram (never the weights
themselves: a page needs their distribution, not the respondents).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alliance.study.run import StudyRun
from alliance.survey.questionnaire import Questionnaire
from alliance.territory.geography import place_value

__all__ = ["HISTOGRAM_BINS", "weighting_records"]

#: Bins of the weights' histogram.
HISTOGRAM_BINS = 20


def weighting_records(run: StudyRun, *, bins: int = HISTOGRAM_BINS) -> list[dict[str, Any]]:
    """Return each population's and wave's weighting diagnostics, in the run's order."""
    records = []
    for population in run.populations:
        info = run.results.population(population.code)
        questionnaire = population.prepared.questionnaire
        for weighting, wave in zip(population.weightings, population.prepared.waves, strict=True):
            d = weighting.diagnostics
            design = weighting.design
            counts, edges = np.histogram(design.weights, bins=bins)
            margins = [
                {
                    "variable": variable,
                    "category": category,
                    "variable_label": _item_labels(questionnaire, variable),
                    "category_label": _choice_labels(questionnaire, variable, category),
                    "before": before,
                    "after": after,
                    "target": target,
                }
                for variable, categories in weighting.margins.items()
                for category, (before, after, target) in categories.items()
            ]
            records.append(
                {
                    "population": population.code,
                    "label": info.label,
                    "wave": weighting.wave,
                    "n": wave.responses.frame.height,
                    "raked": wave.margins is not None,
                    "effective_n": d.effective_n,
                    "efficiency": d.efficiency,
                    "min_weight": d.min_weight,
                    "max_weight": d.max_weight,
                    "ratio": d.weight_ratio,
                    "iterations": d.iterations,
                    "largest_gap": d.largest_gap,
                    "design": list(design.history),
                    "trimming": [s for s in design.history if _trims(s)],
                    "margins": margins,
                    "histogram": {
                        "edges": [float(e) for e in edges],
                        "counts": [int(c) for c in counts],
                    },
                }
            )
    return records


def _trims(step: str) -> bool:
    """Whether a step of the design's history bounded or trimmed the weights."""
    return step.startswith("trim(") or "; bounds " in step


def _item_labels(questionnaire: Questionnaire, name: str) -> dict[str, str]:
    item = next((i for i in questionnaire.items if i.name == name), None)
    return item.label.model_dump() if item else {"fr": name, "en": name}


def _choice_labels(questionnaire: Questionnaire, name: str, code: str) -> dict[str, str]:
    item = next((i for i in questionnaire.items if i.name == name), None)
    scale = questionnaire.scale_of(item) if item else None
    choice = next((c for c in scale.choices if str(c.code) == code), None) if scale else None
    if choice is not None:
        return choice.label.model_dump()
    return {"fr": place_value(name, code, "fr"), "en": place_value(name, code, "en")}
