"""Qualifying and evaluating a partnership with its partners, following the referential.

Partners qualify a partnership (:func:`validate_agreement` for what they set together,
:func:`validate_side` for each one's objectives and contributions), then evaluate it.

Each partner scores the partnership on the grid of evaluation objects × evaluation approaches
(1 to 5, blanks allowed) and comments each object; :func:`compare` sets the partners' views side
by side and shows where they differ.
"""

from alliance.evaluation.grid import Cell, Comparison, compare, grid, validate_scores
from alliance.evaluation.qualification import (
    Agreement,
    Side,
    plain_text,
    validate_agreement,
    validate_side,
    validate_title,
)

__all__ = [
    "Agreement", "Cell", "Comparison", "Side", "compare", "grid", "plain_text",
    "validate_agreement", "validate_scores", "validate_side", "validate_title",
]  # fmt: skip
