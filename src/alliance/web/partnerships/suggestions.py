"""Inspiring examples like the organisation, for a next step: same category, profile and region.

A next step names what its examples should share (a category, a profile: the rule's
``examples``). The organisation adds its own profile and, from its commune, its region
(:mod:`alliance.territory.geography`). The closest search that finds examples wins: all criteria,
then without the region, then without the profile, then the step's alone. The reason says which
criteria it kept, so a reader knows why these examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from django.utils.translation import gettext as _

from alliance.diagnostic import NextStep, root_profile
from alliance.i18n import Lang
from alliance.referential import default_referential
from alliance.territory.geography import geography
from alliance.web.examples.search import Filters, search
from alliance.web.organisations.models import Organisation

__all__ = ["Suggestion", "suggest"]

CRITERIA = {"category": "partnership-categories", "profile": "actor-profiles"}


@dataclass(frozen=True)
class Suggestion:
    """The examples' search (query parameters), how many it finds, and why these."""

    query: dict[str, str]
    count: int
    reason: str


def _region(organisation: Organisation) -> str:
    """Return the short code of the organisation's region (as examples record it), or ''."""
    commune = geography().commune(organisation.commune or "")
    region = geography().region(commune.region) if commune else None
    return region.short if region else ""


def _words(query: dict[str, str], lang: Lang) -> str:
    referential = default_referential()
    parts = []
    for key, value in query.items():
        if key in CRITERIA:
            label = referential.label(f"{CRITERIA[key]}/{value}", lang)
            parts.append(_("catégorie « %(label)s »") % {"label": label} if key == "category"
                         else _("profil « %(label)s »") % {"label": label})  # fmt: skip
        elif key == "region":
            found = geography().region(value)
            parts.append(
                _("région « %(label)s »") % {"label": found.label(lang) if found else value}
            )
    return ", ".join(parts)


def suggest(step: NextStep, organisation: Organisation, lang: Lang) -> Suggestion | None:
    """Return the closest examples' search for ``step`` (None when the step names none)."""
    if not step.examples:
        return None
    own = {"profile": root_profile(organisation.profile), "region": _region(organisation)}
    extra = {k: v for k, v in own.items() if v and k not in step.examples}
    for size in range(len(extra), -1, -1):
        for kept in combinations(extra, size):
            query = dict(step.examples) | {key: extra[key] for key in kept}
            filters = Filters(
                category=query.get("category", ""),
                profile=query.get("profile", ""),
                region=query.get("region", ""),
            )
            count = search(filters).count()
            if count or not size:
                reason = _("Exemples choisis pour vous (%(criteria)s) : %(count)s.") % {
                    "criteria": _words(query, lang), "count": count,
                }  # fmt: skip
                return Suggestion(query, count, reason)
    return None
