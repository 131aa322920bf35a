"""The demo's public questionnaire with a follow-up made conditional, for the collection tests.

``knows_local_alliance`` is asked only of volunteers (``${volunteer} = 1``). The demo's own
questionnaire keeps it for everyone: its simulated answers give it to non-volunteers too.
"""

from __future__ import annotations

from typing import Any

import yaml

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
