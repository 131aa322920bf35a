"""A territory coordinator's self-assessment: the three engineerings and co-construction maturity.

Every item comes from the referential: the three territorial engineerings
(``territorial-engineerings``), the three dimensions of co-construction
(``co-construction-dimensions``) and, for the whole, the territory's maturity. Each is rated on
the four levels of territorial maturity (``territorial-maturity-levels``) — whose names Le RAMEAU
has not published: their placeholders (« [inconnu] », status unknown) are shown as they are,
never given invented names. A rating may be left empty, and each item takes a short comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alliance.errors import Location, RequestError
from alliance.i18n import Lang
from alliance.messages import render
from alliance.referential import default_referential

__all__ = [
    "MATURITY",
    "NOTE_LIMIT",
    "AssessmentItem",
    "assessment_items",
    "clean_assessment",
    "levels",
]

#: The item rating the territory's co-construction maturity as a whole.
MATURITY = "territorial-maturity-levels"
#: The frameworks whose items are rated, in the order shown.
RATED = ("territorial-engineerings", "co-construction-dimensions")
#: Longest comment kept for an item.
NOTE_LIMIT = 2000


@dataclass(frozen=True)
class AssessmentItem:
    """One rated item: ``framework/code`` (or :data:`MATURITY`), its label and status."""

    key: str
    framework: str
    label: str
    definition: str
    status: str


def assessment_items(lang: Lang) -> list[AssessmentItem]:
    """Return the rated items in order: engineerings, co-construction dimensions, maturity."""
    referential = default_referential()
    found = [
        AssessmentItem(
            key=f"{framework}/{item.code}",
            framework=framework,
            label=item.label(lang),
            definition=item.definition(lang),
            status=item.status.value,
        )
        for framework in RATED
        for item in referential.framework(framework)
    ]
    maturity = referential.framework(MATURITY)
    found.append(
        AssessmentItem(
            key=MATURITY,
            framework=MATURITY,
            label=render("territories.overall_maturity", lang),
            definition=maturity.description(lang),
            status="confirmed",
        )
    )
    return found


def levels(lang: Lang) -> list[tuple[str, str, str]]:
    """Return the four levels as ``(code, label, status)``, placeholders as they are."""
    return [
        (item.code, item.label(lang), item.status.value)
        for item in default_referential().framework(MATURITY)
    ]


def clean_assessment(answers: Any, notes: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Check ``answers`` ({item: level or empty}) and ``notes`` ({item: text}); return them kept.

    Empty ratings and comments are dropped. Raises :class:`RequestError` (bilingual, locating the
    item and its value) for an unknown item, an unknown level, or a comment that is not a short
    text.

    Examples
    --------
    >>> clean_assessment({"territorial-engineerings/catalyse": "niveau_2", MATURITY: ""}, {})
    ({'territorial-engineerings/catalyse': 'niveau_2'}, {})
    """
    keys = [item.key for item in assessment_items("en")]
    codes = [code for code, _, _ in levels("en")]
    kept: dict[str, str] = {}
    comments: dict[str, str] = {}
    for name, given in (("answers", answers), ("notes", notes)):
        if not isinstance(given, dict):
            raise RequestError("territories.not_a_mapping", Location(field=name, value=given))
        for key, value in given.items():
            if key not in keys:
                raise RequestError(
                    "territories.unknown_item",
                    Location(field=name, item=str(key)),
                    items=", ".join(keys),
                )
            if name == "answers":
                if value in ("", None):
                    continue
                if value not in codes:
                    raise RequestError(
                        "territories.unknown_level",
                        Location(field=name, item=key, value=value),
                        levels=", ".join(codes),
                    )
                kept[key] = value
            else:
                if not isinstance(value, str) or len(value) > NOTE_LIMIT:
                    raise RequestError(
                        "territories.invalid_note",
                        Location(field=name, item=key),
                        limit=NOTE_LIMIT,
                    )
                if value.strip():
                    comments[key] = value.strip()
    return kept, comments
