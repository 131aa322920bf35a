"""Scores of the diagnostic: each answer on 0–100, each lever, the whole, and the balance.

The rules are data (``data/scoring.yaml``, each with its parameters, status, sources and a
bilingual explanation shown wherever scores are explained); this module only interprets the rule
kinds (``linear``, ``evenness``, ``chosen``, ``saturating``, ``decreasing``, ``identity``,
``unscored``), documented at the top of the YAML and in ``docs/diagnostic.md``.

A lever's score is the mean of its scored answers; the overall score the mean of the levers;
the **balance** of the « maison » is ``100 - (highest lever - lowest lever)``: 100 when the three
levers are equally strong, lower when one carries the others.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from alliance.diagnostic.instrument import (
    LEVERS,
    Instrument,
    Question,
    QuestionType,
    default_instrument,
)
from alliance.errors import DiagnosticError, Location
from alliance.referential import default_referential
from alliance.referential.model import LocalizedText, SourceCode, Status, Strict
from alliance.yaml_document import YamlDocument

__all__ = [
    "Rule", "Scores", "ScoringRules", "default_scoring", "rules_for", "score", "score_answer",
    "usable_answers", "validate_answers",
]  # fmt: skip

SCORING_FILE = Path(__file__).parent / "data" / "scoring.yaml"
RuleKind = Literal[
    "linear", "evenness", "chosen", "saturating", "decreasing", "identity", "unscored"
]  # fmt: skip
#: The parameters each kind of rule needs.
PARAMETERS: dict[str, set[str]] = {
    "linear": {"low", "high"}, "evenness": set(), "chosen": {"of"}, "saturating": {"target"},
    "decreasing": {"threshold"}, "identity": set(), "unscored": set(),
}  # fmt: skip


class Rule(Strict):
    """How the answers to one question, or to every question of one type, are scored."""

    question: str | None = None
    type: QuestionType | None = None
    kind: RuleKind
    parameters: dict[str, float] = Field(default_factory=dict)
    status: Status
    sources: list[SourceCode] = Field(min_length=1)
    explanation: LocalizedText

    def applies_to(self, question: Question) -> bool:
        """Tell whether the rule names ``question`` (by its code or, failing that, its type)."""
        return self.question == question.code or (
            self.question is None and self.type is question.type
        )

    def apply(self, question: Question, value: Any) -> float | None:
        """Score one validated answer on 0–100 (None for an unscored question)."""
        p = self.parameters
        if self.kind == "unscored":
            return None
        if self.kind == "evenness":
            shares = [s / 100 for s in value.values() if s > 0]
            if len(question.parts) < 2 or not shares:
                return 0.0
            entropy = -sum(share * math.log(share) for share in shares)
            return float(entropy / math.log(len(question.parts)) * 100)
        if self.kind == "chosen":
            return len(value) / p["of"] * 100
        x = float(value)
        if self.kind == "linear":
            return (x - p["low"]) / (p["high"] - p["low"]) * 100
        if self.kind == "saturating":
            return min(x / p["target"], 1) * 100
        if self.kind == "decreasing":
            return min(100.0, max(0.0, (100 - x) / (100 - p["threshold"]) * 100))
        return x


class ScoringRules(Strict):
    """The versioned scoring rules, question-specific ones first."""

    scoring: str
    version: str
    status: Status
    sources: list[SourceCode]
    rules: list[Rule]

    def rule(self, question: Question) -> Rule:
        """Return the rule that scores ``question``: the one naming it, else its type's."""
        found = [r for r in self.rules if r.applies_to(question)]
        if not found:
            raise DiagnosticError("diagnostic.rule_missing", question=question.code)
        return min(found, key=lambda r: r.question is None)  # the first naming it wins


@cache
def default_scoring(path: Path = SCORING_FILE) -> ScoringRules:
    """Load and check the scoring rules.

    Every question of the instrument has a rule, every question a rule names exists, and each
    rule has exactly the parameters its kind uses.
    """
    doc = YamlDocument(
        path,
        missing_key="diagnostic.scoring_missing",
        file_error=DiagnosticError,
        validation_error=DiagnosticError,
    )
    rules = doc.validate(ScoringRules, doc.data)
    codes = {q.code for q in default_instrument().questions}
    for rule in rules.rules:
        if (rule.question is None) == (rule.type is None) or (
            rule.question is not None and rule.question not in codes
        ):
            raise DiagnosticError("diagnostic.rule_target", question=str(rule.question))
        if set(rule.parameters) != PARAMETERS[rule.kind]:
            raise DiagnosticError(
                "diagnostic.rule_parameters",
                question=str(rule.question or rule.type),
                kind=rule.kind,
                parameters=", ".join(sorted(PARAMETERS[rule.kind])) or "—",
            )
    for question in default_instrument().questions:
        rules.rule(question)
    return rules


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
        elif question.type is QuestionType.CHOICE:
            if not isinstance(value, str) or value not in question.parts:
                raise _invalid(question, value, known=", ".join(question.parts))
            cleaned[code] = value
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


def rules_for(instrument: Instrument, profile: str) -> list[tuple[Question, Rule]]:
    """Each question asked of ``profile``, in the instrument's order, with the rule scoring it."""
    scoring = default_scoring()
    return [(q, scoring.rule(q)) for q in instrument.for_profile(profile)]


def score_answer(question: Question, value: Any) -> float | None:
    """Score one validated answer on 0–100 with its rule (None when the question is unscored)."""
    return default_scoring().rule(question).apply(question, value)


def score(instrument: Instrument, profile: str, answers: Mapping[str, Any]) -> Scores:
    """Score an organisation's answers (those that no longer fit their question are left out)."""
    cleaned = usable_answers(instrument, profile, answers)
    questions = {q.code: q for q in instrument.for_profile(profile)}
    scored = {code: score_answer(questions[code], value) for code, value in cleaned.items()}
    by_question = {code: value for code, value in scored.items() if value is not None}
    levers: dict[str, float | None] = {}
    for lever in LEVERS:
        values = [s for code, s in by_question.items() if questions[code].lever == lever]
        levers[lever] = sum(values) / len(values) if values else None
    answered = [v for v in levers.values() if v is not None]
    overall = sum(answered) / len(answered) if answered else None
    balance = 100 - (max(answered) - min(answered)) if len(answered) == len(LEVERS) else None
    return Scores(questions=by_question, levers=levers, overall=overall, balance=balance)
