"""Regression on a survey design, as R's ``svyglm``: linear (gaussian) and logistic (binomial).

Coefficients solve the weighted estimating equations ``Σ w x (y - μ) = 0`` (least squares, or
iteratively reweighted least squares for the logit). Their covariance is the design's: each
coefficient's influence values are ``w x (y - μ)`` times the inverse of the weighted information
matrix, and :meth:`alliance.survey.Design.covariance` turns them into a variance, so a stratified,
clustered or calibrated design gets its own standard errors, as in R.

As in R's ``summary.svyglm``: t statistics on ``degf(design) + 1 - p`` residual degrees of freedom
(p coefficients), counted among the rows with every column answered (R's ``na.omit``: the other
rows stay in the design with no influence, as a domain). Categorical columns (texts) get one
coefficient per category but the first, named as R names them (``stypeH``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl
from numpy.typing import NDArray

from alliance.errors import SurveyError
from alliance.survey.columns import FloatArray, missing_mask
from alliance.survey.design import Design
from alliance.survey.distributions import t_survival
from alliance.survey.formula import Formula, parse_formula

__all__ = ["Coefficient", "Family", "Model", "glm"]

Family = Literal["gaussian", "binomial"]

#: Iteratively reweighted least squares stops when no coefficient moves more than this, relatively.
TOLERANCE = 1e-13
MAX_ITERATIONS = 100
#: R's logit link keeps the linear predictor within ±qlogis(machine epsilon) ≈ ±36.
LOGIT_LIMIT = 36.04365338911715


@dataclass(frozen=True)
class Coefficient:
    """One term's coefficient, its design-based SE and t test (``statistic`` is the t value)."""

    term: str
    estimate: float
    se: float
    df: int

    @property
    def statistic(self) -> float:
        """The coefficient over its standard error."""
        return self.estimate / self.se if self.se > 0 else float("nan")

    @property
    def p_value(self) -> float:
        """Two-sided p-value of the t test on the model's residual degrees of freedom."""
        return 2 * t_survival(abs(self.statistic), self.df) if self.df > 0 else float("nan")


@dataclass(frozen=True)
class Model:
    """A fitted model: its coefficients (intercept first), their covariance and the rows used."""

    formula: Formula
    family: Family
    coefficients: list[Coefficient]
    covariance: FloatArray
    n: int
    df: int
    iterations: int


def glm(design: Design, formula: str | Formula, *, family: Family = "gaussian") -> Model:
    """Fit ``formula`` (``"api00 ~ ell + meals + stype"``) on the design, as R's ``svyglm``.

    ``family="binomial"`` is the logistic regression of a 0/1 outcome column. Rows missing any of
    the formula's columns are left out of the fit (but stay in the design for the variance).

    Examples
    --------
    >>> frame = pl.DataFrame({"y": [1.0, 3.0, 2.0, 4.0], "x": [0.0, 2.0, 1.0, 3.0]})
    >>> model = glm(Design.from_frame(frame), "y ~ x")
    >>> [(c.term, round(c.estimate, 6)) for c in model.coefficients]
    [('(Intercept)', 1.0), ('x', 1.0)]
    """
    if family not in ("gaussian", "binomial"):
        raise ValueError(f"family must be gaussian or binomial, not {family!r}")
    parsed = parse_formula(formula) if isinstance(formula, str) else formula
    columns = [design.series(name) for name in (parsed.response, *parsed.terms)]
    used = ~np.logical_or.reduce([missing_mask(column) for column in columns])
    response = _response(columns[0], used, family)
    names, matrix = _model_matrix(design, parsed.terms, columns[1:], used)
    weights = np.where(used, design.weights, 0.0)
    coefficients, mu, iterations = _fit(matrix, response, weights, family)
    working = weights * (mu * (1 - mu) if family == "binomial" else 1.0)
    information = _gram(matrix, working)
    influence = (matrix * (weights * (response - mu))[:, None]) @ np.linalg.inv(information)
    covariance = design.covariance(influence)
    domains = design.domains(used)
    df = int(design.degrees_of_freedom(domains.counted_rows)[0]) + 1 - len(names)
    ses = np.sqrt(np.diag(covariance))
    return Model(
        formula=parsed,
        family=family,
        coefficients=[
            Coefficient(term, float(b), float(se), df)
            for term, b, se in zip(names, coefficients, ses, strict=True)
        ],
        covariance=covariance,
        n=int(used.sum()),
        df=df,
        iterations=iterations,
    )


def _response(column: pl.Series, used: NDArray[np.bool_], family: Family) -> FloatArray:
    if not column.dtype.is_numeric():
        raise SurveyError("survey.not_numeric", variable=column.name, dtype=str(column.dtype))
    values = column.cast(pl.Float64).fill_null(0.0).fill_nan(0.0).to_numpy().astype(np.float64)
    values = np.where(used, values, 0.0)
    if family == "binomial" and not np.isin(values[used], (0.0, 1.0)).all():
        raise SurveyError("survey.binomial_outcome", variable=column.name)
    return values


def _model_matrix(
    design: Design, terms: tuple[str, ...], columns: list[pl.Series], used: NDArray[np.bool_]
) -> tuple[list[str], FloatArray]:
    """Intercept, then each term: a numeric column, or treatment indicators of its categories.

    Categories are those of the rows used, in the engine's order (R's in the C locale), coded
    once per design (:meth:`alliance.survey.Design.coding`).
    """
    names, blocks = ["(Intercept)"], [np.ones(len(used))]
    for term, column in zip(terms, columns, strict=True):
        if column.dtype.is_numeric() and column.dtype != pl.Boolean:
            values = column.cast(pl.Float64).fill_null(0.0).fill_nan(0.0).to_numpy()
            names.append(term)
            blocks.append(np.where(used, values, 0.0).astype(np.float64))
            continue
        coding = design.coding(term)
        present = np.unique(coding.codes[used])
        if len(present) < 2:
            raise SurveyError("survey.factor_one_level", variable=term)
        for code in present[1:]:
            names.append(f"{term}{_r_level(coding.levels[code])}")
            blocks.append(((coding.codes == code) & used).astype(np.float64))
    matrix = np.column_stack(blocks)
    gram = _gram(matrix, used.astype(np.float64))
    scale = np.sqrt(np.diag(gram))
    if np.linalg.matrix_rank(gram / np.outer(scale, scale), tol=1e-10) < matrix.shape[1]:
        raise SurveyError("survey.model_aliased", terms=", ".join(names[1:]))
    return names, matrix


def _r_level(level: object) -> str:
    """Booleans print as R's TRUE and FALSE; other categories as they are."""
    return str(level).upper() if isinstance(level, bool) else str(level)


def _gram(matrix: FloatArray, weights: FloatArray) -> FloatArray:
    """``X' diag(w) X``."""
    gram: FloatArray = (matrix * weights[:, None]).T @ matrix
    return gram


def _weighted_least_squares(
    matrix: FloatArray, response: FloatArray, weights: FloatArray
) -> FloatArray:
    """Solve the normal equations ``X' W X b = X' W y``, columns scaled to a unit diagonal.

    A few p × p operations after two passes over the rows: at a million rows this is ten times
    quicker than a least-squares solver working on the rows, and as exact for a model whose
    columns are not nearly collinear (those are refused: :func:`_model_matrix`).
    """
    weighted = matrix * weights[:, None]
    gram, right = weighted.T @ matrix, weighted.T @ response
    scale = np.sqrt(np.where(np.diag(gram) > 0, np.diag(gram), 1.0))
    solution = np.linalg.solve(gram / np.outer(scale, scale), right / scale) / scale
    return np.asarray(solution, dtype=np.float64)


def _fit(
    matrix: FloatArray, response: FloatArray, weights: FloatArray, family: Family
) -> tuple[FloatArray, FloatArray, int]:
    """Weighted least squares, or IRLS for the logit; returns coefficients, fitted means, steps."""
    if family == "gaussian":
        coefficients = _weighted_least_squares(matrix, response, weights)
        return coefficients, matrix @ coefficients, 1
    weights = weights / weights[weights > 0].mean()  # svyglm's rescaling: R's start needs it
    mu = (weights * response + 0.5) / (weights + 1)  # R's binomial()$initialize
    eta = np.log(mu / (1 - mu))
    coefficients = np.zeros(matrix.shape[1])
    for iteration in range(1, MAX_ITERATIONS + 1):
        variance = mu * (1 - mu)
        z = eta + (response - mu) / variance
        updated = _weighted_least_squares(matrix, z, weights * variance)
        change = np.max(np.abs(updated - coefficients)) / (np.max(np.abs(updated)) + 1)
        coefficients = updated
        eta = np.clip(matrix @ coefficients, -LOGIT_LIMIT, LOGIT_LIMIT)
        mu = np.asarray(1 / (1 + np.exp(-eta)), dtype=np.float64)
        if change < TOLERANCE:
            return coefficients, mu, iteration
    raise SurveyError("survey.model_not_converged", iterations=MAX_ITERATIONS)
