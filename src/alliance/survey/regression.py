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
from scipy import special

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
    columns = [design.series(name) for name in (parsed.response, *parsed.terms)]
    used = ~np.logical_or.reduce([missing_mask(column) for column in columns])
    response = _response(columns[0], used, family)
    names, matrix = _model_matrix(design, parsed.terms, columns[1:], used)
    weights = np.where(used, design.weights, 0.0)
    coefficients, mu, iterations = _fit(matrix, response, weights, family)
    discarded = 0
    if design.replicates is None:
        working = weights * (mu * (1 - mu) if family == "binomial" else 1.0)
        information = _gram(matrix, working)
        influence = (matrix * (weights * (response - mu))[:, None]) @ np.linalg.inv(information)
        covariance = design.covariance(influence)
        domains = design.domains(used)
        df = int(design.degrees_of_freedom(domains.counted_rows)[0]) + 1 - len(names)
    else:
        replicates = design.replicates
        betas = _replicate_coefficients(
            matrix, response, used, replicates.weights, family, coefficients
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
