"""The demo's public questionnaire with a follow-up made conditional, for the collection tests.

``knows_local_alliance`` is asked only of volunteers (``${volunteer} = 1``). The demo's own
questionnaire keeps it for everyone: its simulated answers give it to non-volunteers too.
:func:`write_study` writes a small study around it (a first wave of simulated answers, margins on
sex), ready for a new wave to be collected on the platform.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import yaml

from alliance.study.collection import asked_items, write_wave
from alliance.survey.questionnaire.loader import DATA_DIR
from alliance.survey.questionnaire.model import Questionnaire

FOLLOW_UP = "knows_local_alliance"
RELEVANT = "${volunteer} = 1"
#: Answers to every required item of the public questionnaire.
RESPONDENT: dict[str, Any] = {
    "sex": "F", "age": "25-34", "region": "BRE", "occupation": "csp_plus",
    "impact_territories": 1, "impact_territorial_innovation": 2, "impact_people": 2,
    "impact_company_performance": 3, "impact_local_authority_performance": 2,
    "impact_association_performance": 1,
}  # fmt: skip
#: The study's definition: one population, its first wave, the follow-up among the shares.
DEFINITION = """\
# A small synthetic study to collect a new wave of on the platform (tests only).
study: {code}
title:
  fr: "Baromètre des alliances (test de collecte)"
  en: "Alliance barometer (collection test)"
synthetic: true
suppress_below: 1
populations:
  - population: grand-public
    label: {{fr: "Grand public", en: "General public"}}
    questionnaire: questionnaires/public.yaml
    margins: margins/public.json
    waves:
      - wave: "2022"
        file: data/public-2022.csv
        fieldwork: {{start: 2022-03-01, end: 2022-03-20}}
        mode: {{fr: "en ligne", en: "online"}}
    shares:
      - {{item: impact_territories, codes: [1, 2]}}
      - {{item: {follow_up}, codes: [1]}}
"""


def conditional_data(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The public questionnaire's data with the follow-up conditional (and ``extra`` appended)."""
    data: dict[str, Any] = yaml.safe_load((DATA_DIR / "public.yaml").read_text(encoding="utf-8"))
    for item in data["items"]:
        if item["name"] == FOLLOW_UP:
            item["relevant"] = RELEVANT
    if extra is not None:
        data["items"].append(extra)
    return data


def conditional_public(extra: dict[str, Any] | None = None) -> Questionnaire:
    """The public questionnaire with its follow-up asked only of volunteers."""
    return Questionnaire.model_validate(conditional_data(extra))


def simulated(questionnaire: Questionnaire, count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` respondents answering every item at random (the follow-up when it applies)."""
    chance = random.Random(seed)
    found = []
    for _ in range(count):
        answers: dict[str, Any] = {}
        for item in asked_items(questionnaire):
            scale = questionnaire.scale_of(item)
            if scale is not None:
                answers[item.name] = chance.choice(scale.codes())
        found.append(answers)
    return found


def write_study(folder: Path, code: str = "barometre-collecte") -> Path:
    """Write the study's folder (first wave of 120 simulated respondents); return ``folder``."""
    questionnaire = conditional_public()
    (folder / "questionnaires").mkdir(parents=True)
    (folder / "margins").mkdir()
    (folder / "data").mkdir()
    text = yaml.safe_dump(conditional_data(), allow_unicode=True, sort_keys=False)
    (folder / "questionnaires" / "public.yaml").write_text(text, encoding="utf-8")
    margins = {"sex": {"F": 0.524, "M": 0.476}, "population_total": 51340000}
    (folder / "margins" / "public.json").write_text(json.dumps(margins), encoding="utf-8")
    write_wave(questionnaire, simulated(questionnaire, 120), folder / "data" / "public-2022.csv")
    (folder / "study.yaml").write_text(
        DEFINITION.format(code=code, follow_up=FOLLOW_UP), encoding="utf-8"
    )
    return folder
