"""The diagnostic instrument as versioned data: questions per lever, variants per profile.

The three levers are those of the referential's ``levers`` framework (richesses humaines,
ressources financières, alliances); mix questions split a whole between lever components of the
same framework, so every part is a referential item with its labels.

Every question answered with a number has bounds in the instrument's data (``bounds: {min, max}``,
each with the reason for it): an answer outside them is refused as implausible rather than kept
and printed in a report (:func:`alliance.diagnostic.validate_answers`).
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import Field

from alliance.errors import DiagnosticError
from alliance.referential import Referential, default_referential
from alliance.referential.model import LocalizedText, Strict
from alliance.yaml_document import YamlDocument

__all__ = [
    "LEVERS", "NUMERIC", "Bound", "Bounds", "Instrument", "Question", "QuestionType",
    "default_instrument", "root_profile",
]  # fmt: skip

#: The three levers of the socio-economic model, in the order the diagnostic shows them.
LEVERS = ("richesses_humaines", "ressources_financieres", "alliances")
INSTRUMENT_FILE = Path(__file__).parent / "data" / "instrument.yaml"


class QuestionType(StrEnum):
    """How a question is answered."""

    MIX = "mix"  # shares of parts summing to 100
    SCALE = "scale"  # 1 to 5
    PERCENT = "percent"  # 0 to 100
    NUMBER = "number"  # ≥ 0, with a unit
    COUNT = "count"  # whole number ≥ 0
    CATEGORIES = "categories"  # partnership categories of the referential
    CHOICE = "choice"  # one of the question's parts (« subventions »: the main resource)


#: The types answered with one number, which must have bounds.
NUMERIC = (QuestionType.SCALE, QuestionType.PERCENT, QuestionType.NUMBER, QuestionType.COUNT)


class Bound(Strict):
    """One end of the plausible answers, and why it is there."""

    value: float
    reason: LocalizedText


class Bounds(Strict):
    """The smallest and largest plausible answers to a question answered with a number."""

    min: Bound
    max: Bound


class Question(Strict):
    """One question of the diagnostic."""

    code: str
    lever: str
    type: QuestionType
    label: LocalizedText
    parts: list[str] = Field(default_factory=list)
    profiles: list[str] = Field(default_factory=list)
    unit: LocalizedText | None = None
    #: The study item this question is compared with (see :mod:`alliance.diagnostic.benchmark`).
    benchmark: str | None = None
    bounds: Bounds | None = None

    def applies_to(self, profile: str) -> bool:
        """Tell whether the question is asked of an organisation of ``profile`` (a root profile)."""
        return not self.profiles or profile in self.profiles


class Instrument(Strict):
    """The versioned diagnostic."""

    instrument: str
    version: str
    status: str
    sources: list[str]
    benchmark_populations: dict[str, str] = Field(default_factory=dict)
    questions: list[Question]

    def for_profile(self, profile: str) -> list[Question]:
        """Return the questions an organisation of ``profile`` answers (one variant per code)."""
        return [q for q in self.questions if q.applies_to(profile)]


def root_profile(profile: str, referential: Referential | None = None) -> str:
    """Return the root actor profile of ``profile`` (« pme » → « entreprises »)."""
    framework = (referential or default_referential()).framework("actor-profiles")
    code = profile
    while code in framework and framework.item(code).parent:
        code = framework.item(code).parent or code
    return code


@cache
def default_instrument(path: Path = INSTRUMENT_FILE) -> Instrument:
    """Load and check the diagnostic instrument.

    Every lever and part is a referential item; every question answered with a number has bounds.
    """
    doc = YamlDocument(
        path,
        missing_key="diagnostic.file_missing",
        file_error=DiagnosticError,
        validation_error=DiagnosticError,
    )
    instrument = doc.validate(Instrument, doc.data)
    levers = default_referential().framework("levers")
    for question in instrument.questions:
        for code in (question.lever, *question.parts):
            if code not in levers:
                raise DiagnosticError("diagnostic.unknown_lever", code=code, question=question.code)
        if question.type in NUMERIC and question.bounds is None:
            raise DiagnosticError("diagnostic.bounds_missing", question=question.code)
    return instrument
