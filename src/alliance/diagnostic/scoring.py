"""Scores of the diagnostic: each answer on 0–100, each lever, the whole, and the balance.

The formulas (documented in ``docs/diagnostic.md``):

- **scale** (1–5): ``(x - 1) / 4 × 100``.
- **mix** (shares of parts): evenness, ``H / ln(k) × 100`` with ``H = -Σ p ln p`` over the ``k``
  parts. Resources spread over several sources score high; a single source scores 0.
- **largest_funder** (% of resources): 100 up to 20 %, then down linearly to 0 at 100 %.
- **reserves_months**: ``min(months / 6, 1) × 100``, six months being a healthy cushion.
- **investment_share** (%): ``min(share / 30, 1) × 100``.
- **partnership_count**: ``min(count / 5, 1) × 100``.
- **partnership_categories**: the number of the four categories used, ``/ 4 × 100``.
- other **percent** answers: the percentage itself.

A lever's score is the mean of its answered questions; the overall score the mean of the levers;
the **balance** of the « maison » is ``100 - (highest lever - lowest lever)``: 100 when the three
levers are equally strong, lower when one carries the others.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alliance.diagnostic.instrument import LEVERS, Instrument, Question, QuestionType
from alliance.errors import DiagnosticError, Location
from alliance.referential import default_referential

__all__ = ["Scores", "score", "score_answer", "usable_answers", "validate_answers"]

RESERVES_TARGET_MONTHS = 6.0
INVESTMENT_TARGET = 30.0
PARTNERSHIPS_TARGET = 5.0
FUNDER_THRESHOLD = 20.0


@dataclass(frozen=True)
class Scores:
    """Scores on 0–100: per question, per lever (None without answers), overall and balance."""

    questions: dict[str, float]
    levers: dict[str, float | None]
    overall: float | None
    balance: float | None

    @property
    def weakest(self) -> str | None:
        """The lever with the lowest score, if any lever was answered."""
        answered = {k: v for k, v in self.levers.items() if v is not None}
        return min(answered, key=lambda k: answered[k]) if answered else None


def _invalid(question: Question, value: Any, **params: Any) -> DiagnosticError:
    """Say what the question expects, in the words of its type (« un entier de 1 à 5 »…)."""
    return DiagnosticError(
        f"diagnostic.invalid_{question.type.value}",
        Location(field=question.code, value=value),
        question=question.code,
        **params,
    )


def _bounded(question: Question, value: Any, number: float) -> None:
    """Refuse a number outside the question's bounds, saying which bound and why."""
    bounds = question.bounds
    if bounds is None or bounds.min.value <= number <= bounds.max.value:
        return
    crossed = bounds.min if number < bounds.min.value else bounds.max
    raise DiagnosticError(
        "diagnostic.out_of_bounds",
        Location(field=question.code, value=value),
        question=question.code,
        value=f"{number:g}",
        low=f"{bounds.min.value:g}",
        high=f"{bounds.max.value:g}",
        reason=crossed.reason.model_dump(),
    )


def _number(value: Any) -> float | None:
    """Read a finite number, with a decimal point or comma; None when it is not one."""
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def validate_answers(
    instrument: Instrument, profile: str, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """Check every answer against its question; return them cleaned (blank answers dropped).

    Raises :class:`DiagnosticError` naming the question and the value, and saying what the
    question expects.
    """
    questions = {q.code: q for q in instrument.for_profile(profile)}
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise DiagnosticError(
            "diagnostic.question_unknown", Location(field=unknown[0]), question=unknown[0]
        )
    categories = {c.code for c in default_referential().framework("partnership-categories").roots()}
    cleaned: dict[str, Any] = {}
    for code, value in answers.items():
        question = questions[code]
        if value is None or value == "" or value == {} or value == []:
            continue
        if question.type is QuestionType.MIX:
            parts = ", ".join(question.parts)
            if not isinstance(value, Mapping) or set(value) - set(question.parts):
                raise _invalid(question, value, parts=parts)
            shares = {
                part: 0.0 if value.get(part) in (None, "") else _number(value.get(part))
                for part in question.parts
            }
            if any(s is None or s < 0 for s in shares.values()):
                raise _invalid(question, value, parts=parts)
            if abs(sum(s for s in shares.values() if s is not None) - 100) > 1:
                raise _invalid(question, value, parts=parts)
            cleaned[code] = shares
        elif question.type is QuestionType.CATEGORIES:
            chosen = list(value) if isinstance(value, list | tuple | set) else [value]
            if not all(isinstance(c, str) for c in chosen) or not set(chosen) <= categories:
                raise _invalid(question, value, known=", ".join(sorted(categories)))
            cleaned[code] = sorted(set(chosen))
        else:
            number = _number(value)
            whole = question.type in (QuestionType.SCALE, QuestionType.COUNT)
            if number is None or (whole and not number.is_integer()):
                raise _invalid(question, value)
            _bounded(question, value, number)
            cleaned[code] = int(number) if whole else number
    return cleaned


def usable_answers(
    instrument: Instrument, profile: str, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """Return the stored answers that still fit their questions, cleaned; drop the others.

    Answers saved before a bound or a question changed must not break reading, nor be printed
    as they were: scores and reports rest on these only.
    """
    usable: dict[str, Any] = {}
    for code, value in answers.items():
        try:
            usable |= validate_answers(instrument, profile, {code: value})
        except DiagnosticError:
            continue
    return usable


def score_answer(question: Question, value: Any) -> float:
    """Score one validated answer on 0–100."""
    if question.type is QuestionType.SCALE:
        return (float(value) - 1) / 4 * 100
    if question.type is QuestionType.MIX:
        shares = [s / 100 for s in value.values() if s > 0]
        if len(question.parts) < 2 or not shares:
            return 0.0
        entropy = -sum(p * math.log(p) for p in shares)
        return float(entropy / math.log(len(question.parts)) * 100)
    if question.type is QuestionType.CATEGORIES:
        return len(value) / 4 * 100
    number = float(value)
    rules = {
        "largest_funder": lambda x: min(
            100.0, max(0.0, (100 - x) / (100 - FUNDER_THRESHOLD) * 100)
        ),
        "reserves_months": lambda x: min(x / RESERVES_TARGET_MONTHS, 1) * 100,
        "investment_share": lambda x: min(x / INVESTMENT_TARGET, 1) * 100,
        "partnership_count": lambda x: min(x / PARTNERSHIPS_TARGET, 1) * 100,
    }
    return float(rules.get(question.code, lambda x: x)(number))


def score(instrument: Instrument, profile: str, answers: Mapping[str, Any]) -> Scores:
    """Score an organisation's answers (those that no longer fit their question are left out)."""
    cleaned = usable_answers(instrument, profile, answers)
    questions = {q.code: q for q in instrument.for_profile(profile)}
    by_question = {code: score_answer(questions[code], value) for code, value in cleaned.items()}
    levers: dict[str, float | None] = {}
    for lever in LEVERS:
        values = [s for code, s in by_question.items() if questions[code].lever == lever]
        levers[lever] = sum(values) / len(values) if values else None
    answered = [v for v in levers.values() if v is not None]
    overall = sum(answered) / len(answered) if answered else None
    balance = 100 - (max(answered) - min(answered)) if len(answered) == len(LEVERS) else None
    return Scores(questions=by_question, levers=levers, overall=overall, balance=balance)
