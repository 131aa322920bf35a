"""Answers collected on the platform, as a questionnaire sees them: screens, checks, a wave's file.

A collection shows a questionnaire to respondents one question per screen. What the form needs
from the questionnaire is here, in plain Python, so the web door only stores and shows:

- which items are **asked** (every item but the respondent id and the design weight, which the
  platform writes itself) and which **apply** to a respondent given their answers so far: an item
  whose ``relevant`` is false is skipped and its answer cleared, as ODK does;
- how a typed or ticked answer is **read** (a code of the scale, a whole number, a decimal, a
  text), with the questionnaire's ``required`` and ``constraint`` enforced and the constraint's
  own message;
- the collected answers as a **wave's file**: one row per complete response, one column per item
  (a multiple choice as space-separated codes, as XLSForm exports do; a typed text that starts
  like a formula made safe by :func:`alliance.spreadsheet_cells.safe_cell`, since analysts open
  the file in spreadsheets), the id a sequence and the design weight 1 — then checked, once
  stored in the study's folder, exactly as a delivered file is;
- **quotas**: complete responses per level of each weighting variable, beside the population's
  margins.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from alliance.errors import Location, RequestError
from alliance.spreadsheet_cells import safe_cell
from alliance.study.margins import PopulationMargins
from alliance.survey.io.writing import write_responses
from alliance.survey.questionnaire.model import ItemType, Question, Questionnaire, Role

__all__ = [
    "Answers", "QuotaRow", "applicable", "asked_items", "quota_progress",
    "read_answer", "responses_frame", "write_wave",
]  # fmt: skip

#: A respondent's answers: {item: code, number, text or list of codes}.
Answers = dict[str, Any]
#: Items the platform fills itself, never asked.
NOT_ASKED = (Role.ID, Role.WEIGHT)
INTEGER = re.compile(r"^[+-]?\d+$")
DECIMAL = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
#: Longest text answer kept (a free text is a sentence or two, not a document).
TEXT_LENGTH = 2000
#: The column type of a number item, and the Python type its answers are written as.
NUMBERS: dict[ItemType, tuple[type[pl.DataType], type]] = {
    ItemType.DECIMAL: (pl.Float64, float),
    ItemType.INTEGER: (pl.Int64, int),
}


def asked_items(questionnaire: Questionnaire) -> list[Question]:
    """Return the items a respondent may be asked, in the questionnaire's order."""
    return [item for item in questionnaire.items if item.role not in NOT_ASKED]


def applicable(
    questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> tuple[list[Question], Answers]:
    """Return the asked items that apply given ``answers``, and the answers kept.

    Items are visited in order; an item whose ``relevant`` is false is skipped and its answer
    removed before the next items are evaluated, so a chain of follow-ups closes as a whole.
    """
    current: Answers = {item.name: answers[item.name] for item in asked_items(questionnaire)
                        if answers.get(item.name) not in (None, "", [])}  # fmt: skip
    shown: list[Question] = []
    for item in asked_items(questionnaire):
        relevance = item.relevance
        if relevance is None or relevance.evaluate(current):
            shown.append(item)
        else:
            current.pop(item.name, None)
    return shown, current


def _refuse(key: str, item: Question, value: Any = None, **params: Any) -> RequestError:
    return RequestError(key, Location(field=item.name, value=value), **params)


def _choice(questionnaire: Questionnaire, item: Question, raw: str) -> Any:
    scale = questionnaire.scale_of(item)
    codes = {str(code): code for code in scale.codes()} if scale else {}
    if raw not in codes:
        raise _refuse("collection.unknown_choice", item, raw)
    return codes[raw]


def _parsed(questionnaire: Questionnaire, item: Question, values: Sequence[str]) -> Any:
    """Return the answer ``values`` (the form's fields) give ``item``, None when unanswered."""
    texts = [v.strip() for v in values if v.strip()]
    if not texts:
        return None
    if item.type is ItemType.SELECT_MULTIPLE:
        return [_choice(questionnaire, item, t) for t in dict.fromkeys(texts)]
    text = texts[0]
    if item.type is ItemType.SELECT_ONE:
        return _choice(questionnaire, item, text)
    if item.type is ItemType.INTEGER:
        if not INTEGER.match(text):
            raise _refuse("collection.not_an_integer", item, text)
        return int(text)
    if item.type is ItemType.DECIMAL:
        if not DECIMAL.match(text):
            raise _refuse("collection.not_a_number", item, text)
        number = float(text.replace(",", "."))
        return int(number) if number.is_integer() else number
    if len(text) > TEXT_LENGTH:
        raise _refuse("collection.text_too_long", item, None, limit=TEXT_LENGTH)
    return text


def read_answer(
    questionnaire: Questionnaire, item: Question, values: Sequence[str], answers: Mapping[str, Any]
) -> Any:
    """Read ``item``'s answer from the form's ``values``; refuse it with a located, bilingual error.

    ``answers`` are the respondent's other answers (a constraint may name them). A required item
    left empty, a code outside the scale, a number that is not one, or an answer breaking the
    item's constraint (its own message when it has one) are refused.
    """
    value = _parsed(questionnaire, item, values)
    if value is None:
        if item.required:
            raise _refuse("collection.required", item)
        return None
    validity = item.validity
    if validity is not None and not validity.evaluate({**answers, item.name: value}, value):
        message = item.constraint_message
        if message is not None:
            raise _refuse("collection.constraint_own", item, value, message=message.model_dump())
        raise _refuse("collection.constraint", item, value)
    return value


def _cell(item: Question, value: Any) -> Any:
    """Return an answer as the file's cell; a typed text a spreadsheet could run is made safe."""
    if value is None:
        return None
    if isinstance(value, list):
        return " ".join(str(code) for code in value)
    if item.type is ItemType.SELECT_ONE:
        return str(value)
    if item.type is ItemType.TEXT:
        return safe_cell(value)
    return value


def responses_frame(
    questionnaire: Questionnaire, collected: Iterable[Mapping[str, Any]]
) -> pl.DataFrame:
    """Return the complete responses as a wave's frame: one column per item, one row each.

    The id item gets ``1, 2, …`` in the given order (never anything tied to the respondent), the
    weight item 1 (every respondent stands for themselves until the wave is raked); skipped
    items stay empty.
    """
    columns: dict[str, list[Any]] = {item.name: [] for item in questionnaire.items}
    for number, answers in enumerate(collected, start=1):
        _shown, kept = applicable(questionnaire, answers)
        for item in questionnaire.items:
            if item.role is Role.ID:
                columns[item.name].append(str(number))
            elif item.role is Role.WEIGHT:
                columns[item.name].append(1.0)
            else:
                columns[item.name].append(_cell(item, kept.get(item.name)))
    schema = {
        item.name: NUMBERS.get(item.type, (pl.String, str))[0] for item in questionnaire.items
    }
    for item in questionnaire.items:
        if item.type in NUMBERS:
            write = NUMBERS[item.type][1]
            values = columns[item.name]
            columns[item.name] = [write(v) if isinstance(v, int | float) else v for v in values]
    return pl.DataFrame(columns, schema=schema)


def write_wave(
    questionnaire: Questionnaire, collected: Iterable[Mapping[str, Any]], path: Path
) -> pl.DataFrame:
    """Write the complete responses to ``path`` (CSV, UTF-8, comma), all at once; return them."""
    frame = responses_frame(questionnaire, collected)
    write_responses(frame, path)
    return frame


@dataclass(frozen=True)
class QuotaRow:
    """One level of a weighting variable: its target share and the complete responses in it."""

    variable: str
    level: str
    label: dict[str, str]
    target: float
    count: int
    #: The responses this level should have for ``goal`` responses in all (target × goal).
    expected: float
    #: The variable's question, as people read it (« Sexe »), in French and English.
    variable_label: dict[str, str]

    @property
    def filled(self) -> float:
        """The share of the expected responses reached (1 = the quota is met; may pass 1)."""
        return self.count / self.expected if self.expected > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        """Return the row as the live endpoint sends it."""
        return {
            "variable": self.variable, "variable_label": self.variable_label,
            "level": self.level, "label": self.label,
            "target": self.target, "count": self.count, "expected": round(self.expected, 1),
            "filled": round(self.filled, 4),
        }  # fmt: skip


def _described(
    questionnaire: Questionnaire, variable: str
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Return a margin variable's label and its levels' (its name alone when no item has it)."""
    item = next((item for item in questionnaire.items if item.name == variable), None)
    if item is None:
        return {"fr": variable, "en": variable}, {}
    scale = questionnaire.scale_of(item)
    levels = {str(c.code): c.label.model_dump() for c in scale.choices} if scale else {}
    label: dict[str, str] = item.label.model_dump()
    return label, levels


def quota_progress(
    questionnaire: Questionnaire,
    margins: PopulationMargins,
    complete: Iterable[Mapping[str, Any]],
    goal: int,
) -> list[QuotaRow]:
    """Count complete responses per level of each margin variable, against ``goal`` responses."""
    answers = list(complete)
    rows = []
    for variable, targets in margins.targets().items():
        named, labels = _described(questionnaire, variable)
        counts: dict[str, int] = {}
        for one in answers:
            value = one.get(variable)
            if value is not None:
                counts[str(value)] = counts.get(str(value), 0) + 1
        for level, share in targets.items():
            label = labels.get(level, {"fr": level, "en": level})
            expected = share * goal if math.isfinite(share) else 0.0
            count = counts.get(level, 0)
            rows.append(QuotaRow(variable, level, label, share, count, expected, named))
    return rows
