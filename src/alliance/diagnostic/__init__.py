"""The organisation's self-diagnostic of its socio-economic model, and its next steps.

The instrument is versioned data (:func:`default_instrument`); :func:`score` turns answers into
scores per lever, an overall score and the balance of the « maison »; :func:`next_steps` suggests
what to do, linked to the referential.
"""

from alliance.diagnostic.instrument import (
    LEVERS,
    Instrument,
    Question,
    QuestionType,
    default_instrument,
    root_profile,
)
from alliance.diagnostic.next_steps import NextStep, next_steps
from alliance.diagnostic.scoring import Scores, score, score_answer, validate_answers

__all__ = [
    "LEVERS",
    "Instrument",
    "NextStep",
    "Question",
    "QuestionType",
    "Scores",
    "default_instrument",
    "next_steps",
    "root_profile",
    "score",
    "score_answer",
    "validate_answers",
]
