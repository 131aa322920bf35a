"""Regression on a survey design, as R's ``svyglm``: linear (gaussian) and logistic (binomial).

Coefficients solve the weighted estimating equations ``Σ w x (y - μ) = 0`` (least squares, or
iteratively reweighted least squares for the logit). Their covariance is the design's: each
coefficient's influence values are ``w x (y - μ)`` times the inverse of the weighted information
matrix, and :meth:`alliance.survey.Design.covariance` turns them into a variance, so a stratified,
clustered or calibrated design gets its own standard errors, as in R.

On a design with replicate weights (R's ``svyglm`` on a ``svrepdesign``), the coefficients come
from the full-sample weights as above, but the covariance comes from refitting the model with
each replicate's weights: ``scale · Σ_r rscale_r (β_r - β̄)(β_r - β̄)ᵀ`` (R's ``svrVar``). The
refits share their passes over the rows (:func:`_replicate_coefficients`), so 80 replicates of a
million rows cost a few matrix products per pass, not 80 fits.

As in R's ``summary.svyglm``: t statistics on ``degf(design) + 1 - p`` residual degrees of freedom
(p coefficients), counted among the rows with every column answered (R's ``na.omit``: the other
rows stay in the design with no influence, as a domain); on a replicate design R counts the whole
design's ``degf`` (the rank of its replicate weights minus one), whatever the missing answers.
Categorical columns (texts) get one coefficient per category but the first, named as R names them
(``stypeH``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl
from numpy.typing import NDArray

from alliance.errors import SurveyError
from alliance.survey.columns import Coding, FloatArray
from alliance.survey.design import Design
from alliance.survey.distributions import t_survival
from alliance.survey.formula import Formula, parse_formula
from alliance.survey.model_matrix import Factor, ModelMatrix, build

__all__ = ["Coefficient", "Family", "Model", "glm"]

Family = Literal["gaussian", "binomial"]

#: Iteratively reweighted least squares stops when no coefficient moves more than this, relatively.
TOLERANCE = 1e-13
MAX_ITERATIONS = 100
#: R's logit link keeps the linear predictor within ±qlogis(machine epsilon) ≈ ±36.
LOGIT_LIMIT = 36.04365338911715
#: Newton steps allowed to each replicate's refit: from the full-sample coefficients a replicate
#: converges in a handful; one still moving after this many is separated (its coefficients run
#: off to infinity), where R's IRLS stops wherever its deviance stops changing.
REPLICATE_ITERATIONS = 25
#: Rows per block when refitting on replicate weights: bounds the memory of the n × R products.
CHUNK_ROWS = 32_768
#: A replicate whose scaled information matrix has a singular value below this share of the
#: largest cannot identify every coefficient (a category it weights 0): R's ``glm.fit`` gives NA.
SINGULAR = 1e-10


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
    #: Replicates left out of the variance because their refit could not identify every
    #: coefficient (R: "k replicates gave NA results and were discarded").
    discarded_replicates: int = 0


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
    columns = [_column(design, name) for name in (parsed.response, *parsed.terms)]
    used = ~np.logical_or.reduce([missing for _, missing in columns])
    response = _response(design.series(parsed.response), columns[0][0], used, family)
    names, matrix = _model_matrix(design, parsed.terms, columns[1:], used)
    weights = np.where(used, design.weights, 0.0)
    coefficients, mu, iterations = _fit(matrix, response, weights, family)
    discarded = 0
    if design.replicates is None:
        covariance = _sandwich(design, matrix, response, weights, mu, family)
        rows = None if used.all() else design.domains(used).counted_rows
        df = int(design.degrees_of_freedom(rows)[0]) + 1 - len(names)
    else:
        replicates = design.replicates
        betas = _replicate_coefficients(
            matrix.dense(), response, used, replicates.weights, family, coefficients
        )
        kept = np.isfinite(betas).all(axis=1)
        discarded = int((~kept).sum())
        covariance = _replicate_covariance(betas[kept], replicates.scale, replicates.rscales[kept])
        df = replicates.design_degrees_of_freedom() + 1 - len(names)
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
        discarded_replicates=discarded,
    )


def _column(design: Design, name: str) -> tuple[FloatArray | Coding, NDArray[np.bool_]]:
    """Read a numeric column (NaN where missing) or code a categorical one; say what is missing.

    Codes come from :meth:`alliance.survey.Design.coding`, kept per design, so two models on
    the same columns code them once.
    """
    column = design.series(name)
    if column.dtype.is_numeric() and column.dtype != pl.Boolean:
        values = np.asarray(column.cast(pl.Float64).to_numpy(), dtype=np.float64)  # null: NaN
        return values, np.isnan(values)
    coding = design.coding(name)
    return coding, coding.codes < 0


def _response(
    column: pl.Series, values: FloatArray | Coding, used: NDArray[np.bool_], family: Family
) -> FloatArray:
    if isinstance(values, Coding):
        raise SurveyError("survey.not_numeric", variable=column.name, dtype=str(column.dtype))
    response = np.where(used, values, 0.0)
    if family == "binomial" and not ((response == 0.0) | (response == 1.0)).all():
        raise SurveyError("survey.binomial_outcome", variable=column.name)
    return response


def _model_matrix(
    design: Design,
    terms: tuple[str, ...],
    columns: list[tuple[FloatArray | Coding, NDArray[np.bool_]]],
    used: NDArray[np.bool_],
) -> tuple[list[str], ModelMatrix]:
    """Intercept, then each term: a numeric column, or treatment indicators of its categories.

    Categories are those of the rows used, in the engine's order (R's in the C locale), coded
    once per design (:meth:`alliance.survey.Design.coding`). Rows not used get no indicator
    and zero values, as they have no weight. The matrix is kept per cell (:func:`build`), and
    kept by the design for the next model on the same terms and rows (another outcome).
    """
    kept_used, names, matrix = design.remember(
        ("model matrix", terms), lambda: (used, *_new_model_matrix(terms, columns, used))
    )
    if kept_used is used or np.array_equal(kept_used, used):
        return names, matrix
    return _new_model_matrix(terms, columns, used)


def _new_model_matrix(
    terms: tuple[str, ...],
    columns: list[tuple[FloatArray | Coding, NDArray[np.bool_]]],
    used: NDArray[np.bool_],
) -> tuple[list[str], ModelMatrix]:
    names = ["(Intercept)"]
    parts: list[Factor | FloatArray] = []
    for term, (values, _) in zip(terms, columns, strict=True):
        if not isinstance(values, Coding):
            names.append(term)
            parts.append(np.where(used, values, 0.0))
            continue
        size = len(values.levels)
        codes = np.where(used, values.codes, -1)
        present = np.flatnonzero(np.bincount(codes + 1, minlength=size + 1)[1:])
        if len(present) < 2:
            raise SurveyError("survey.factor_one_level", variable=term)
        names += [f"{term}{_r_level(values.levels[code])}" for code in present[1:]]
        parts.append(Factor(codes, size, present[1:].tolist()))
    matrix = build(len(used), parts)
    gram = matrix.gram(used.astype(np.float64))
    scale = np.sqrt(np.diag(gram))
    if np.linalg.matrix_rank(gram / np.outer(scale, scale), tol=1e-10) < matrix.width:
        raise SurveyError("survey.model_aliased", terms=", ".join(names[1:]))
    return names, matrix


def _r_level(level: object) -> str:
    """Booleans print as R's TRUE and FALSE; other categories as they are."""
    return str(level).upper() if isinstance(level, bool) else str(level)


def _solve(gram: FloatArray, right: FloatArray) -> FloatArray:
    """Solve the normal equations ``X' W X b = X' W y``, columns scaled to a unit diagonal.

    A few p × p operations on sums over the rows (or cells): at a million rows this is far
    quicker than a least-squares solver working on the rows, and as exact for a model whose
    columns are not nearly collinear (those are refused: :func:`_model_matrix`).
    """
    scale = np.sqrt(np.where(np.diag(gram) > 0, np.diag(gram), 1.0))
    solution = np.linalg.solve(gram / np.outer(scale, scale), right / scale) / scale
    return np.asarray(solution, dtype=np.float64)


def _fit(
    matrix: ModelMatrix, response: FloatArray, weights: FloatArray, family: Family
) -> tuple[FloatArray, FloatArray, int]:
    """Weighted least squares, or IRLS for the logit; returns coefficients, fitted means, steps.

    IRLS's weighted least squares on the working response ``z = η + (y - μ) / v`` needs
    ``X' (w v z)``. Once ``η`` is the same for every row of a cell (after the first step: R's
    start differs row by row), ``Σ w v z`` over a cell is ``W v z̄``, with ``W = Σ w`` and
    ``z̄ = η + (Σ w y / W - μ) / v``: the rows enter only through their sums per cell, and
    the steps run on the cells (:attr:`ModelMatrix.collapsed`).
    """
    if family == "gaussian":
        right = matrix.transposed_times(weights * response)
        coefficients = _solve(matrix.gram(weights), right)
        return coefficients, matrix.times(coefficients), 1
    from scipy import special  # imported by the logit only: it is slow to import (distributions)

    weights = weights / weights[weights > 0].mean()  # svyglm's rescaling: R's start needs it
    mu = (weights * response + 0.5) / (weights + 1)  # R's binomial()$initialize
    eta = np.log(mu / (1 - mu))
    units, unit_weights, outcome = matrix, weights, response
    coefficients = np.zeros(matrix.width)
    for iteration in range(1, MAX_ITERATIONS + 1):
        variance = mu * (1 - mu)
        working = unit_weights * variance
        z = eta + (outcome - mu) / variance
        updated = _solve(units.gram(working), units.transposed_times(working * z))
        change = np.max(np.abs(updated - coefficients)) / (np.max(np.abs(updated)) + 1)
        coefficients = updated
        if iteration == 1 and matrix.collapsed is not None:
            units, unit_weights = matrix.collapsed, matrix.cell_sums(weights)
            totals = matrix.cell_sums(weights * response)
            outcome = np.divide(
                totals, unit_weights, out=np.zeros_like(totals), where=unit_weights > 0
            )
        eta = np.clip(units.times(coefficients), -LOGIT_LIMIT, LOGIT_LIMIT)
        mu = np.asarray(special.expit(eta), dtype=np.float64)
        if change < TOLERANCE:
            fitted = mu if units is matrix else mu[matrix.cells]
            return coefficients, fitted, iteration
    raise SurveyError("survey.model_not_converged", iterations=MAX_ITERATIONS)


def _sandwich(
    design: Design,
    matrix: ModelMatrix,
    response: FloatArray,
    weights: FloatArray,
    mu: FloatArray,
    family: Family,
) -> FloatArray:
    """Return the design-based covariance of the coefficients, as :meth:`Design.covariance` would.

    The influence values ``w x (y - μ)`` times the inverse information are summed per variance
    unit as ``(Σ_unit w (y - μ) x) I⁻¹``: a units × p table, never the n × p matrix (except for
    a calibrated design, whose correction needs the rows).
    """
    working = weights * (mu * (1 - mu) if family == "binomial" else 1.0)
    inverse = np.linalg.inv(matrix.gram(working))
    residuals = weights * (response - mu)
    unit_totals = matrix.group_sums(residuals, design.variance_units, design.n_units) @ inverse
    cell_sums = None
    if design.calibration is not None:
        influence = (matrix.dense() * residuals[:, None]) @ inverse
        cell_sums = design.calibration.reduce(influence / design.calibration.weights[:, None])
    return design.covariance_of_sums(unit_totals, cell_sums)


def _replicate_coefficients(
    matrix: FloatArray,
    response: FloatArray,
    used: NDArray[np.bool_],
    replicate_weights: FloatArray,
    family: Family,
    start: FloatArray,
) -> FloatArray:
    """Refit the model with each replicate's weights: R × p coefficients (NaN rows: not fitted).

    As R's ``svyglm.svyrep.design``, each replicate's fit starts from the full-sample
    coefficients. Gaussian: one pass solves every replicate's normal equations. Binomial: Newton
    (IRLS) steps taken by all replicates at once, each a pass over the rows. Newton converges
    quadratically: after a step smaller than √TOLERANCE the error left is about its square,
    below ``TOLERANCE``, so a replicate stops there without a pass to confirm it (three passes
    from the full-sample start, typically: about 1.6 s each at 1M rows × 80 replicates).
    """
    count = replicate_weights.shape[1]
    if family == "gaussian":
        grams, rights = _replicate_moments(
            matrix,
            lambda rows, w: (w, w * response[rows, None]),
            replicate_weights,
            used,
        )
        return _solve_each(grams, rights)
    betas = np.tile(start, (count, 1))
    active = np.ones(count, dtype=bool)
    for _ in range(REPLICATE_ITERATIONS):
        parts = _logistic_parts(matrix, response, betas)
        grams, scores = _replicate_moments(matrix, parts, replicate_weights, used)
        steps = _solve_each(grams, scores)
        betas = np.where(active[:, None], betas + steps, betas)
        finite = np.isfinite(betas).all(axis=1)
        change = np.max(np.abs(steps), axis=1) / (np.max(np.abs(betas), axis=1) + 1)
        active &= finite & ~(change < np.sqrt(TOLERANCE))
        betas[~finite] = np.nan
        if not active.any():
            return betas
    replicate = int(np.argmax(active)) + 1
    raise SurveyError(
        "survey.model_replicate_separated", replicate=replicate, iterations=REPLICATE_ITERATIONS
    )


def _logistic_parts(
    matrix: FloatArray, response: FloatArray, betas: FloatArray
) -> Callable[[slice, FloatArray], tuple[FloatArray, FloatArray]]:
    """Newton's working weights ``w μ(1-μ)`` and scores ``w (y - μ)`` at each replicate's β."""
    from scipy import special  # imported by the logit only: it is slow to import (distributions)

    coefficients = np.nan_to_num(betas).T

    def parts(rows: slice, w: FloatArray) -> tuple[FloatArray, FloatArray]:
        mu = matrix[rows] @ coefficients  # η, then μ, in place: a block is rows × R
        np.clip(mu, -LOGIT_LIMIT, LOGIT_LIMIT, out=mu)
        special.expit(mu, out=mu)
        score = np.subtract(response[rows, None], mu)
        score *= w
        mu *= 1 - mu
        mu *= w
        return mu, score

    return parts


def _replicate_moments(
    matrix: FloatArray,
    parts: Callable[[slice, FloatArray], tuple[FloatArray, FloatArray]],
    replicate_weights: FloatArray,
    used: NDArray[np.bool_],
) -> tuple[FloatArray, FloatArray]:
    """Each replicate's ``X' diag(v_r) X`` and ``X' u_r`` (R × p × p, R × p), block by block.

    ``parts(rows, w)`` gives, for a block of rows and their replicate weights (zero where a row
    is not in the model), the block's working weights ``v`` and right-hand sides ``u`` (rows ×
    R). The p(p+1)/2 products of the columns are formed per block, so a million rows never
    need a million × p² array; each block is two matrix products with the n × R weights.
    """
    p, count = matrix.shape[1], replicate_weights.shape[1]
    upper, lower = np.triu_indices(p)
    grams = np.zeros((len(upper), count))
    rights = np.zeros((p, count))
    for start in range(0, len(matrix), CHUNK_ROWS):
        rows = slice(start, start + CHUNK_ROWS)
        x = matrix[rows]
        w = replicate_weights[rows] * used[rows, None]
        gram_weights, right_weights = parts(rows, w)
        grams += (x[:, upper] * x[:, lower]).T @ gram_weights
        rights += x.T @ right_weights
    full = np.zeros((count, p, p))
    full[:, upper, lower] = grams.T
    full[:, lower, upper] = grams.T
    return full, np.ascontiguousarray(rights.T)


def _solve_each(grams: FloatArray, rights: FloatArray) -> FloatArray:
    """Solve each replicate's ``G_r b_r = u_r``, columns scaled to a unit diagonal; NaN if singular.

    A replicate that weights every row of a category 0 cannot estimate its coefficient: R's
    ``glm.fit`` returns NA there and ``svrVar`` discards the replicate, and so does this.
    """
    diagonal = np.diagonal(grams, axis1=1, axis2=2)
    scale = np.sqrt(np.where(diagonal > 0, diagonal, 1.0))
    scaled = grams / (scale[:, :, None] * scale[:, None, :])
    singular_values = np.linalg.svd(scaled, compute_uv=False)
    regular = (diagonal > 0).all(axis=1) & (
        singular_values[:, -1] > SINGULAR * singular_values[:, 0]
    )
    solutions = np.full(rights.shape, np.nan)
    if regular.any():
        solved = np.linalg.solve(scaled[regular], (rights[regular] / scale[regular])[..., None])
        solutions[regular] = solved[..., 0] / scale[regular]
    return solutions


def _replicate_covariance(betas: FloatArray, scale: float, rscales: FloatArray) -> FloatArray:
    """``scale · Σ_r rscale_r (β_r - β̄)(β_r - β̄)ᵀ``, β̄ the mean of those of positive rscale.

    R's ``svrVar`` on the replicates kept (those whose refit gave every coefficient).
    """
    if len(betas) == 0:
        return np.full((betas.shape[1], betas.shape[1]), np.nan)
    centre = betas[rscales > 0].mean(axis=0)
    deviations = (betas - centre) * np.sqrt(rscales)[:, None]
    covariance: FloatArray = deviations.T @ deviations * scale
    return covariance
