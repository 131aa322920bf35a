"""The evaluation grid: the referential's objects × approaches, validation, divergences."""

from __future__ import annotations

import pytest

from alliance.errors import EvaluationError
from alliance.evaluation import Cell, compare, grid, validate_scores

pytestmark = pytest.mark.unit


def test_grid_crosses_objects_and_approaches():
    cells = grid()

    assert len(cells) == 3 * 7
    assert cells[0] == Cell("produit", "performance")
    assert cells[-1] == Cell("valorisation", "sens")


def test_scores_are_whole_numbers_from_one_to_five():
    assert validate_scores({"produit": {"performance": "4", "coherence": 2, "sens": ""}}) == {
        "produit": {"performance": 4, "coherence": 2}
    }


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"produit": {"performance": 6}}, "Invalid score 6 for 'produit' × 'performance' (1 to 5)"),
        ({"produit": {"vitesse": 3}}, "Unknown evaluation cell: 'produit' × 'vitesse'"),
        ({"ambiance": {"sens": 3}}, "Unknown evaluation cell: 'ambiance' × 'sens'"),
    ],
)
def test_invalid_scores_name_the_cell(scores, message):
    with pytest.raises(EvaluationError) as caught:
        validate_scores(scores)

    assert caught.value.message("en").startswith(message)


def test_comparison_shows_gaps_and_divergences():
    association = {"produit": {"performance": 4, "sens": 5}, "equilibre": {"clarte": 2}}
    company = {"produit": {"performance": 4, "sens": 2}, "equilibre": {"clarte": 3}}

    cells = {(c.cell.object, c.cell.approach): c for c in compare(association, company)}

    assert cells["produit", "performance"].gap == 0
    assert cells["produit", "sens"].gap == -3
    assert cells["produit", "sens"].diverges
    assert not cells["equilibre", "clarte"].diverges
    assert cells["valorisation", "pertinence"].gap is None
