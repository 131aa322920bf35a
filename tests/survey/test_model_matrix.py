"""Compact model matrices: every product equals the dense matrix's, whichever columns fold."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.survey import model_matrix
from alliance.survey.model_matrix import Factor, build

pytestmark = pytest.mark.unit


@pytest.fixture
def terms() -> list[Factor | np.ndarray]:
    rng = np.random.default_rng(5)
    n = 2_000
    region = rng.integers(-1, 4, n)  # -1: a row without a value gets no indicator
    return [
        rng.normal(size=n),  # continuous: kept whole
        Factor(region, 4, [1, 3]),
        rng.poisson(3, n).astype(np.float64),  # a count: joins the cells
        Factor(rng.integers(0, 2, n), 2, [1]),
    ]


def dense(terms: list[Factor | np.ndarray]) -> np.ndarray:
    first = terms[0]
    columns = [np.ones(len(first.codes if isinstance(first, Factor) else first))]
    for term in terms:
        if isinstance(term, Factor):
            columns += [(term.codes == code).astype(float) for code in term.indicators]
        else:
            columns.append(term)
    return np.column_stack(columns)


def test_counts_join_the_cells_and_continuous_columns_stay_whole(terms):
    matrix = build(len(terms[0]), terms)

    assert matrix.numeric.shape[1] == 1
    assert matrix.cell_rows.shape[1] == 1 + 2 + 1 + 1
    assert matrix.n_cells <= 5 * 2 * len(np.unique(terms[2]))
    np.testing.assert_array_equal(matrix.dense(), dense(terms))


def test_products_are_those_of_the_dense_matrix(terms):
    n = len(terms[0])
    matrix, x = build(n, terms), dense(terms)
    rng = np.random.default_rng(6)
    v, eta = rng.uniform(0.5, 2, n), rng.normal(0.0, 1.0, (x.shape[1],))
    groups = rng.integers(0, 30, n)
    expected_groups = np.zeros((30, x.shape[1]))
    np.add.at(expected_groups, groups, x * v[:, None])

    np.testing.assert_allclose(matrix.times(eta), x @ eta, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(matrix.transposed_times(v), x.T @ v, rtol=1e-12)
    np.testing.assert_allclose(matrix.gram(v), x.T @ (x * v[:, None]), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(matrix.group_sums(v, groups, 30), expected_groups, atol=1e-9)
    assert matrix.collapsed is None  # a continuous column: no model of cells


def test_a_model_of_cells_sums_its_rows(terms, monkeypatch):
    categorical = [terms[1], terms[2], terms[3]]
    n = len(terms[0])
    matrix, x = build(n, categorical), dense(categorical)
    v = np.random.default_rng(7).uniform(0.5, 2, n)
    cells = matrix.collapsed
    assert cells is not None
    assert cells.collapsed is None

    np.testing.assert_allclose(
        cells.transposed_times(matrix.cell_sums(v)), x.T @ v, rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(cells.gram(matrix.cell_sums(v)), x.T @ (x * v[:, None]), rtol=1e-12)
    monkeypatch.setattr(model_matrix, "DENSE_TABLE", 0)  # the sparse product gives the same
    groups = np.arange(n) % 7
    np.testing.assert_allclose(
        matrix.group_sums(v, groups, 7), build(n, categorical).group_sums(v, groups, 7)
    )


def test_a_continuous_column_or_too_many_cells_stay_whole():
    rng = np.random.default_rng(8)
    n = 100
    counts = rng.integers(0, 50, n).astype(np.float64)  # 50 values for 100 rows: too many cells

    assert build(n, [counts]).numeric.shape[1] == 1
    assert build(n, [rng.normal(size=n)]).numeric.shape[1] == 1
    halves = (np.arange(n) % 3 * 0.5).astype(np.float64)
    assert build(n, [halves]).numeric.shape[1] == 0  # halves: coded by a search
