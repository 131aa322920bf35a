"""Evaluating a partnership with its partners, following the referential's grid.

Each partner scores the partnership on the grid of evaluation objects × evaluation approaches
(1 to 5, blanks allowed) and comments each object; :func:`compare` sets the partners' views side
by side and shows where they differ.
"""

from alliance.evaluation.grid import Cell, Comparison, compare, grid, validate_scores

__all__ = ["Cell", "Comparison", "compare", "grid", "validate_scores"]
