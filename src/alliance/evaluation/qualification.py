"""Qualifying a partnership as the referential does, before evaluating it.

Together the partners set the partnership's category (one of the four of the referential), its
common objective and its contract (the referential's ``contract-types``: exchange or alliance);
each partner qualifies its own side with the carré magique objectives it pursues, by priority
(1 = first), and what it contributes (money, skills, in kind, time), in its own words.

What partners type is text and only text (:func:`plain_text`): an object or a list where a text is
expected is refused, not stored as its Python spelling, and so are control characters (NUL, escape
sequences…), which no one types and which break files and terminals downstream; long texts keep
their newlines and tabs.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from alliance.errors import EvaluationError, Location
from alliance.referential import default_referential

__all__ = [
    "CONTRIBUTIONS", "PRIORITIES", "Agreement", "Side", "plain_text", "validate_agreement",
    "validate_side", "validate_title",
]  # fmt: skip

#: What a partner may contribute, described in its own words.
CONTRIBUTIONS = ("money", "skills", "in_kind", "time")
PRIORITIES = (1, 2, 3)
TITLE_LENGTH = 200
TEXT_LENGTH = 300


@dataclass(frozen=True)
class Agreement:
    """What the partners set together.

    ``common_objectives`` are codes of the referential's ``common-objectives``;
    ``common_objective`` is the partners' own wording, beside or instead of them.
    """

    category: str
    common_objective: str
    contract: str
    common_objectives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Side:
    """One partner's qualification of the partnership."""

    objectives: dict[str, int]
    contributions: dict[str, str]


def plain_text(field: str, value: object, *, multiline: bool = False) -> str:
    r"""Return ``value`` trimmed, if it is text without control characters (blank for None).

    ``multiline`` texts (comments) keep newlines and tabs; a browser's ``\r\n`` becomes ``\n``.
    Raises :class:`EvaluationError` located at ``field``.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise EvaluationError(
            "qualification.text_expected", Location(field=field), kind=type(value).__name__
        )
    text = value.replace("\r\n", "\n").strip() if multiline else value.strip()
    allowed = "\n\t" if multiline else ""
    for position, character in enumerate(text, start=1):
        if character not in allowed and unicodedata.category(character) in ("Cc", "Cs"):
            raise EvaluationError(
                "qualification.text_control", Location(field=field),
                position=position, code=f"U+{ord(character):04X}",
            )  # fmt: skip
    return text


def validate_title(title: object) -> str:
    """Return a partnership's title, trimmed; it must be a text of 1 to 200 characters."""
    text = plain_text("title", title)
    if not text or len(text) > TITLE_LENGTH:
        raise EvaluationError(
            "qualification.title_invalid", Location(field="title", value=text[:40]),
            limit=TITLE_LENGTH,
        )  # fmt: skip
    return text


def validate_agreement(
    category: object,
    common_objective: object,
    contract: object,
    common_objectives: Sequence[object] = (),
) -> Agreement:
    """Check the category, common objectives and contract against the referential, and the wording.

    The partners' own wording of their common objective is limited in length. Blanks are
    allowed: partners may agree on one thing before the others.
    """
    categories = [c.code for c in default_referential().framework("partnership-categories").roots()]
    category_text = plain_text("category", category)
    if category_text and category_text not in categories:
        raise EvaluationError(
            "qualification.category_unknown", Location(field="category", value=category_text),
            known=", ".join(categories),
        )  # fmt: skip
    contracts = [c.code for c in default_referential().framework("contract-types")]
    contract_text = plain_text("contract", contract)
    if contract_text and contract_text not in contracts:
        raise EvaluationError(
            "qualification.contract_unknown", Location(field="contract", value=contract_text),
            known=", ".join(contracts),
        )  # fmt: skip
    known_objectives = [o.code for o in default_referential().framework("common-objectives")]
    chosen: list[str] = []
    for given in common_objectives:
        code = plain_text("common_objectives", given)
        if code not in known_objectives:
            raise EvaluationError(
                "qualification.common_objective_unknown",
                Location(field="common_objectives", value=code),
                known=", ".join(known_objectives),
            )
        if code not in chosen:
            chosen.append(code)
    text = _text("common_objective", common_objective)
    return Agreement(category_text, text, contract_text, tuple(chosen))


def validate_side(objectives: Mapping[str, object], contributions: Mapping[str, object]) -> Side:
    """Check the carré magique objectives (priorities 1 to 3) and the kinds of contribution."""
    known = [o.code for o in default_referential().framework("objectives")]
    cleaned: dict[str, int] = {}
    for code, priority in objectives.items():
        if code not in known:
            raise EvaluationError(
                "qualification.objective_unknown", Location(field="objectives", value=code),
                known=", ".join(known),
            )  # fmt: skip
        if priority in (None, ""):
            continue
        text = str(priority).strip()
        if isinstance(priority, bool) or text not in {str(p) for p in PRIORITIES}:
            raise EvaluationError(
                "qualification.priority_invalid",
                Location(field=f"objectives.{code}", value=priority),
            )
        cleaned[code] = int(text)
    given: dict[str, str] = {}
    for kind, description in contributions.items():
        if kind not in CONTRIBUTIONS:
            raise EvaluationError(
                "qualification.contribution_unknown", Location(field="contributions", value=kind),
                known=", ".join(CONTRIBUTIONS),
            )  # fmt: skip
        if text := _text(f"contributions.{kind}", description):
            given[kind] = text
    return Side(cleaned, given)


def _text(field: str, value: object) -> str:
    text = plain_text(field, value)
    if len(text) > TEXT_LENGTH:
        raise EvaluationError(
            "qualification.text_too_long", Location(field=field, value=text[:40] + "…"),
            limit=TEXT_LENGTH,
        )  # fmt: skip
    return text
