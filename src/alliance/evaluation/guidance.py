"""The « how to ally » chain: from each partner's priority objective to the category and contract.

The notebook's practical message is a chain: each partner clarifies its priority objective in the
carré magique; that objective calls for one of the four partnership categories; the partners agree
on a common objective, which turns an exchange contract into an alliance contract. The rules are
data (``data/guidance.yaml``, each with its status and sources); the links from objectives to
categories are the referential's (``objectives``' ``activates_category``, inferred). This module
applies them to a partnership's sides and agreement and says what follows, in the reader's
language, for the page, the API and the PDF alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from alliance.evaluation.qualification import Agreement, Side
from alliance.i18n import Lang
from alliance.messages import render
from alliance.referential import default_referential
from alliance.referential.model import Status
from alliance.referential.presentation import Badge, SourceView

__all__ = ["Guidance", "Proposal", "contract_for", "guide", "propose", "rules"]

RULES = Path(__file__).parent / "data" / "guidance.yaml"


@cache
def rules() -> dict[str, Any]:
    """Return the guidance rules as written in ``data/guidance.yaml``."""
    loaded: dict[str, Any] = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return loaded


def _badge(status: str, lang: Lang) -> Badge:
    return Badge(status, render(f"status.{Status(status).value}", lang))


def _sources(codes: Sequence[str]) -> list[SourceView]:
    sources = default_referential().sources
    return [SourceView(sources[code].title, sources[code].url) for code in codes]


@dataclass(frozen=True)
class Proposal:
    """The category a partner's priority objective calls for, marked with how sure it is."""

    objective: str
    objective_label: str
    category: str
    category_label: str
    #: The link's status (« déduit »), its sources and note, then the rule's text.
    badge: Badge
    sources: list[SourceView]
    note: str | None
    rule: str


@dataclass(frozen=True)
class Guidance:
    """What follows from a partnership's sides and agreement."""

    #: One per side, in the sides' order; None for a side without a priority objective.
    proposals: list[Proposal | None]
    #: Both sides have a proposal and they call for different categories.
    gap: bool
    #: What the two proposals mean together (None until both partners have a priority).
    verdict: str | None
    #: The contract that follows from the agreement, and the rule that says so.
    contract: str
    contract_label: str
    contract_rule: str
    contract_badge: Badge


def propose(side: Side, lang: Lang) -> Proposal | None:
    """Return the category the side's first-priority objective calls for (None without one).

    Ties (two objectives ranked 1) go to the first in the carré magique's order.
    """
    if not side.objectives:
        return None
    referential = default_referential()
    order = [item.code for item in referential.framework("objectives")]
    first = min(side.objectives, key=lambda code: (side.objectives[code], order.index(code)))
    objective = referential.item(f"objectives/{first}")
    relation = rules()["proposal"]["relation"]
    link = next(link for link in objective.links if link.rel == relation)
    category = referential.item(link.target)
    return Proposal(
        objective=first,
        objective_label=objective.label(lang),
        category=category.code,
        category_label=category.label(lang),
        badge=_badge(link.status.value, lang),
        sources=_sources(link.sources),
        note=link.note(lang) if link.note else None,
        rule=rules()["proposal"]["text"][lang].strip(),
    )


def contract_for(agreement: Agreement) -> str:
    """Return the contract (``contract-types`` code) that the agreement makes."""
    rule = rules()["contract"]
    agreed = bool(agreement.common_objectives or agreement.common_objective)
    return str(rule["with_common_objective" if agreed else "without_common_objective"])


def guide(sides: Sequence[Side], agreement: Agreement, lang: Lang) -> Guidance:
    """Apply the chain to the partnership: proposals, whether they differ, the contract."""
    proposals = [propose(side, lang) for side in sides]
    known = [p for p in proposals if p is not None]
    gap = len(known) >= 2 and len({p.category for p in known}) > 1
    verdict = None
    if len(known) >= 2 and gap:
        verdict = (
            rules()["gap"]["text"][lang]
            .strip()
            .format(first=known[0].category_label, second=known[1].category_label)
        )
    elif len(known) >= 2:
        verdict = rules()["gap"]["same"][lang].format(category=known[0].category_label)
    contract = contract_for(agreement)
    contract_rule = rules()["contract"]
    return Guidance(
        proposals=proposals,
        gap=gap,
        verdict=verdict,
        contract=contract,
        contract_label=default_referential().item(f"contract-types/{contract}").label(lang),
        contract_rule=contract_rule["text"][lang].strip(),
        contract_badge=_badge(contract_rule["status"], lang),
    )
