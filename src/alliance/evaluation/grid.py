"""The evaluation grid and the comparison of partners' views.

The grid crosses the referential's ``evaluation-objects`` (the partnership's product, its balance,
the value of contributions) with its ``evaluation-approaches`` (performance, coherence,
efficiency, relevance, societal contribution, clarity, meaning). Two partners' scores of a cell
*diverge* when they differ by 2 points or more on the 1–5 scale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from alliance.errors import EvaluationError, Location
from alliance.referential import default_referential

__all__ = ["DIVERGENCE", "Cell", "Comparison", "compare", "grid", "validate_scores"]

#: A gap of this many points or more between partners is a divergence.
DIVERGENCE = 2

Scores = Mapping[str, Mapping[str, int]]
#: Scores as they come from a form or a JSON body: numbers, texts or blanks.
RawScores = Mapping[str, Mapping[str, object]]


@dataclass(frozen=True)
class Cell:
    """One cell of the grid: an evaluation object and an approach."""

    object: str
    approach: str


def grid() -> list[Cell]:
    """Return every cell of the grid, objects then approaches in the referential's order."""
    referential = default_referential()
    objects = [o.code for o in referential.framework("evaluation-objects")]
    approaches = [a.code for a in referential.framework("evaluation-approaches")]
    return [Cell(o, a) for o in objects for a in approaches]


def validate_scores(scores: RawScores) -> dict[str, dict[str, int]]:
    """Check ``{object: {approach: score}}``: known cells, whole scores from 1 to 5."""
    cells = {(c.object, c.approach) for c in grid()}
    cleaned: dict[str, dict[str, int]] = {}
    for obj, by_approach in scores.items():
        for approach, value in by_approach.items():
            if (obj, approach) not in cells:
                raise EvaluationError(
                    "evaluation.cell_unknown", Location(field=f"{obj}.{approach}"),
                    object=obj, approach=approach,
                )  # fmt: skip
            if value is None or value == "":
                continue
            text = str(value).strip()
            if isinstance(value, bool) or len(text) != 1 or text not in "12345":
                raise EvaluationError(
                    "evaluation.score_invalid", Location(field=f"{obj}.{approach}", value=value),
                    object=obj, approach=approach, value=value,
                )  # fmt: skip
            cleaned.setdefault(obj, {})[approach] = int(text)
    return cleaned


@dataclass(frozen=True)
class Comparison:
    """Two partners' scores of one cell, and whether they diverge."""

    cell: Cell
    first: int | None
    second: int | None

    @property
    def gap(self) -> int | None:
        """Second partner's score minus the first's, when both scored the cell."""
        if self.first is None or self.second is None:
            return None
        return self.second - self.first

    @property
    def diverges(self) -> bool:
        """Whether the partners see this cell differently (2 points or more apart)."""
        return self.gap is not None and abs(self.gap) >= DIVERGENCE


def compare(first: Scores, second: Scores) -> list[Comparison]:
    """Set two partners' scores side by side, cell by cell."""
    return [
        Comparison(
            cell,
            first.get(cell.object, {}).get(cell.approach),
            second.get(cell.object, {}).get(cell.approach),
        )
        for cell in grid()
    ]
