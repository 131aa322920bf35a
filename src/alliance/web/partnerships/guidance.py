"""The « how to ally » chain on a partnership's page and in the API, with examples that bridged it.

The core (:mod:`alliance.evaluation.guidance`) says which category each partner's priority calls
for, whether the two differ and which contract the agreement makes; this module feeds it a stored
partnership and adds the inspiring examples whose partners held both priorities together (the
partnerships that bridged such a gap), so both doors show the same thing.
"""

from __future__ import annotations

from typing import Any

from alliance.evaluation.guidance import Guidance, Proposal, guide
from alliance.evaluation.qualification import Agreement, Side
from alliance.i18n import Lang
from alliance.web.examples.models import InspiringExample
from alliance.web.partnerships.models import Partnership

__all__ = ["EXAMPLES", "bridging_examples", "guidance_of", "guidance_record"]

#: At most this many examples are suggested.
EXAMPLES = 3


def guidance_of(partnership: Partnership, lang: Lang) -> tuple[Guidance, list[Any]]:
    """Return the chain applied to the partnership, and its sides in the same order."""
    sides = list(partnership.sides.select_related("organisation").order_by("pk"))
    agreement = Agreement(
        partnership.category, partnership.common_objective, partnership.contract,
        tuple(partnership.common_objectives),
    )  # fmt: skip
    found = guide([Side(s.objectives, s.contributions) for s in sides], agreement, lang)
    return found, sides


def bridging_examples(guidance: Guidance) -> list[InspiringExample]:
    """Return examples whose partners pursued both priorities (when they differ)."""
    if not guidance.gap:
        return []
    objectives = {p.objective for p in guidance.proposals if p is not None}
    examples = [e for e in InspiringExample.objects.all() if objectives <= set(e.objectives or [])]
    return examples[:EXAMPLES]


def _proposal(proposal: Proposal | None) -> dict[str, Any] | None:
    if proposal is None:
        return None
    return {
        "objective": proposal.objective,
        "objective_label": proposal.objective_label,
        "category": proposal.category,
        "category_label": proposal.category_label,
        "status": proposal.badge.status,
        "status_label": proposal.badge.text,
        "sources": [{"title": s.title, "url": s.url} for s in proposal.sources],
        "note": proposal.note,
        "rule": proposal.rule,
    }


def guidance_record(partnership: Partnership, lang: Lang) -> dict[str, Any]:
    """Return the guidance as the API shows it."""
    found, sides = guidance_of(partnership, lang)
    return {
        "proposals": [
            {"organisation": side.organisation_id, "proposal": _proposal(proposal)}
            for side, proposal in zip(sides, found.proposals, strict=True)
        ],
        "gap": found.gap,
        "verdict": found.verdict,
        "examples": [{"code": e.code, "title": e.title(lang)} for e in bridging_examples(found)],
        "contract": found.contract,
        "contract_label": found.contract_label,
        "contract_rule": found.contract_rule,
        "contract_status": found.contract_badge.status,
    }
