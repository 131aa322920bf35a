"""Practical next steps from the diagnostic and the partnerships, for the organisation's profile.

The rules are data (``data/next-steps.yaml``, each with its status and sources): strengthen the
weakest lever first; depend less on the largest funder above half of the resources; evaluate
partnerships with the partners when few are; qualify partnerships with the carré magique when
objectives are not shared; open to categories not yet used; read the practice sheet of the
profile. This module only reads the conditions' small vocabulary (documented at the top of the
YAML) and fills in the lever, category or profile. Each step links to referential items, to the
practice sheet when it has one, and to the inspiring examples that match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from alliance.diagnostic.scoring import Scores
from alliance.referential import default_referential
from alliance.referential.model import ActorProfile, LocalizedText, Status

__all__ = ["NextStep", "next_steps", "rules"]

RULES = Path(__file__).parent / "data" / "next-steps.yaml"


@dataclass(frozen=True)
class NextStep:
    """A step: what to do, why, the referential items it rests on, examples to look at.

    ``url`` is where the step leads outside the platform (a practice sheet); ``note`` says what is
    not known yet (a sheet whose address is unknown). ``status`` and ``sources`` are the rule's.
    """

    code: str
    title: LocalizedText
    why: LocalizedText
    targets: list[str]
    examples: dict[str, str] = field(default_factory=dict)
    status: Status = Status.INFERRED
    sources: list[str] = field(default_factory=list)
    url: str | None = None
    note: LocalizedText | None = None


@cache
def rules() -> list[dict[str, Any]]:
    """Return the steps' rules, in the order steps are suggested."""
    loaded: dict[str, Any] = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    steps: list[dict[str, Any]] = loaded["steps"]
    return steps


def _targets(patterns: list[str], values: dict[str, str]) -> list[str]:
    """Fill the targets' placeholders and expand ``children-of:`` and ``all-of:``."""
    referential = default_referential()
    found: list[str] = []
    for pattern in patterns:
        target = pattern.format(**values)
        if target.startswith("children-of: "):
            framework, code = target.removeprefix("children-of: ").split("/")
            found += [
                f"{framework}/{c.code}" for c in referential.framework(framework).children(code)
            ]
        elif target.startswith("all-of: "):
            framework = target.removeprefix("all-of: ")
            found += [f"{framework}/{item.code}" for item in referential.framework(framework)]
        else:
            found.append(target)
    return found


def _fired(
    rule: dict[str, Any], scores: Scores, profile: str, categories_used: list[str] | None
) -> dict[str, str] | None:
    """Return the values a rule fills in when its condition holds (None when it does not)."""
    when = rule["when"]
    if "weakest_lever_below" in when:
        weakest = scores.weakest
        below = weakest is not None and (scores.levers[weakest] or 0) < when["weakest_lever_below"]
        return {"lever": weakest} if below and weakest is not None else None
    if "any_below" in when:
        low = any(scores.questions.get(q, 100) < limit for q, limit in when["any_below"].items())
        return {} if low else None
    if "unused_category" in when:
        roots = [c.code for c in default_referential().framework("partnership-categories").roots()]
        unused = [c for c in roots if c not in (categories_used or [])]
        return {"category": unused[0]} if categories_used is not None and unused else None
    if "practice_sheet" in when:
        profiles = default_referential().framework("actor-profiles")
        item = profiles.item(profile) if profile in profiles else None
        has_sheet = isinstance(item, ActorProfile) and item.practice_sheet is not None
        return {"profile": profile} if has_sheet else None
    raise ValueError(f"unknown condition in next-steps.yaml: {sorted(when)}")


def _step(rule: dict[str, Any], values: dict[str, str]) -> NextStep:
    texts = rule["per_lever"][values["lever"]] if "per_lever" in rule else rule
    url, note = None, None
    if "profile" in values and rule["code"] == "practice-sheet":
        profile = default_referential().item(f"actor-profiles/{values['profile']}")
        sheet = profile.practice_sheet if isinstance(profile, ActorProfile) else None
        url = sheet.url if sheet is not None else None
        note = LocalizedText(**rule["unknown"]) if url is None else None
    return NextStep(
        code=rule["code"] if "lever" not in values else f"lever-{values['lever']}",
        title=LocalizedText(**texts["title"]),
        why=LocalizedText(**{lang: text.strip() for lang, text in texts["why"].items()}),
        targets=_targets(rule["targets"], values),
        examples={k: v.format(**values) for k, v in rule.get("examples", {}).items()},
        status=Status(rule["status"]),
        sources=list(rule["sources"]),
        url=url,
        note=note,
    )


def next_steps(
    scores: Scores, profile: str, *, categories_used: list[str] | None = None
) -> list[NextStep]:
    """Return the steps that follow from the scores, most important first."""
    steps = []
    for rule in rules():
        values = _fired(rule, scores, profile, categories_used)
        if values is not None:
            steps.append(_step(rule, values))
    return steps
