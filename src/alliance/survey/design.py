"""The survey design: weights, strata, primary sampling units (PSUs), finite-population correction.

As in R's ``survey`` package, a design is built once from the data, then every estimator takes it.
The design also holds what a calibration leaves behind (the raking margins), because standard
errors after raking must account for it: a raked design is not "the same design with other weights".

Variance (Taylor linearisation, one stage, as R's ``svyrecvar``)::

    V = Σ_h (1 - f_h) · n_h / (n_h - 1) · Σ_j (z_hj - z̄_h)²

where ``z_hj`` is the total of the influence values of PSU ``j`` in stratum ``h``, ``n_h`` the
number of PSUs of the stratum in the design (also those without a row in a domain), ``f_h`` its
sampling fraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from alliance.errors import DesignError, Location

__all__ = ["Design", "encode", "is_missing"]

LonelyPsu = Literal["fail", "adjust"]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Sweeps of the raking projection in the variance, as R's ``svyrecvar`` does.
RAKING_PROJECTION_SWEEPS = 10


def encode(values: NDArray[Any]) -> tuple[NDArray[Any], IntArray]:
    """Return the sorted distinct values and, for each row, the index of its value.

    Examples
    --------
    >>> levels, codes = encode(np.array(["b", "a", "b"]))
    >>> levels.tolist(), codes.tolist()
    (['a', 'b'], [1, 0, 1])
    """
    levels, codes = np.unique(values, return_inverse=True)
    return levels, codes.astype(np.intp)


def column(frame: Any, name: str) -> NDArray[Any]:
    """Return a column of a pandas or Polars frame as a NumPy array, or a located error."""
    columns = [str(c) for c in frame.columns]
    if name not in columns:
        raise DesignError(
            "survey.column_missing", Location(field=name), column=name, available=", ".join(columns)
        )
    return np.asarray(frame[name].to_numpy())


def is_missing(values: NDArray[Any]) -> NDArray[np.bool_]:
    """Return which values are missing: NaN, None or an empty text.

    Examples
    --------
    >>> is_missing(np.array([1.0, np.nan])).tolist(), is_missing(np.array(["a", ""])).tolist()
    ([False, True], [False, True])
    """
    if values.dtype.kind == "f":
        return np.asarray(np.isnan(values))
    if values.dtype.kind in "OUS":
        return np.array(
            [v is None or v == "" or (isinstance(v, float) and np.isnan(v)) for v in values],
            dtype=bool,
        )
    return np.zeros(values.shape, dtype=bool)


@dataclass(frozen=True)
class Design:
    """A sample with its weights and its sampling structure.

    Build it with :meth:`from_frame`; verbs such as :func:`alliance.survey.rake` return a new
    design and append a line to :attr:`history`.
    """

    frame: Any
    weights: FloatArray
    strata: IntArray
    psu: IntArray
    psu_stratum: IntArray
    fpc: FloatArray
    stratum_labels: NDArray[Any]
    lonely_psu: LonelyPsu = "fail"
    raking_margins: tuple[IntArray, ...] = ()
    history: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_frame(
        cls,
        frame: Any,
        *,
        weights: str | None = None,
        strata: str | None = None,
        psu: str | None = None,
        fpc: str | None = None,
        nest: bool = False,
        lonely_psu: LonelyPsu = "fail",
    ) -> Design:
        """Describe how ``frame`` (pandas or Polars) was sampled.

        Parameters
        ----------
        weights
            Column of sampling weights; every row weighs 1 when absent.
        strata
            Column of strata; one stratum when absent.
        psu
            Column of primary sampling units (clusters); each row is its own PSU when absent.
        fpc
            Finite-population correction per row, constant within a stratum: a sampling fraction
            (≤ 1) or the number of PSUs in the stratum's population (> 1), as in R.
        nest
            PSU identifiers are only unique within a stratum (R's ``nest=TRUE``).
        lonely_psu
            ``"fail"`` (default): a stratum with one PSU is an error; ``"adjust"``: centre it on
            the grand mean, as R's ``options(survey.lonely.psu = "adjust")``.
        """
        n = len(frame)
        w = _weights(frame, weights, n)
        stratum_values = _design_column(frame, strata, n, default=0)
        stratum_labels, stratum_codes = encode(stratum_values)
        if psu is None:
            psu_codes = np.arange(n, dtype=np.intp)
        else:
            psu_values = _design_column(frame, psu, n, default=0)
            psu_codes = _psu_codes(psu_values, stratum_codes, nest=nest)
        psu_stratum = np.zeros(psu_codes.max() + 1 if n else 0, dtype=np.intp)
        psu_stratum[psu_codes] = stratum_codes
        f = _sampling_fractions(frame, fpc, stratum_codes, psu_stratum, stratum_labels)
        described = ", ".join(
            f"{k}={v}"
            for k, v in {"weights": weights, "strata": strata, "psu": psu, "fpc": fpc}.items()
            if v
        )
        design = cls(
            frame=frame,
            weights=w,
            strata=stratum_codes,
            psu=psu_codes,
            psu_stratum=psu_stratum,
            fpc=f,
            stratum_labels=stratum_labels,
            lonely_psu=lonely_psu,
            history=(f"design({described or 'simple random sample'})",),
        )
        design.check_lonely_psus()
        return design

    def __len__(self) -> int:
        return len(self.weights)

    def column(self, name: str) -> NDArray[Any]:
        """Return a column of the design's data as a NumPy array."""
        return column(self.frame, name)

    def with_weights(
        self, weights: FloatArray, *, raking_margins: Sequence[IntArray], step: str
    ) -> Design:
        """Return a copy with calibrated weights, the margins to project on, and one more step."""
        return replace(
            self,
            weights=weights,
            raking_margins=tuple(raking_margins),
            history=(*self.history, step),
        )

    @property
    def n_psu(self) -> int:
        """Number of PSUs in the design."""
        return len(self.psu_stratum)

    def psu_counts(self) -> IntArray:
        """Return the number of PSUs in each stratum."""
        return np.bincount(self.psu_stratum, minlength=len(self.stratum_labels)).astype(np.intp)

    def check_lonely_psus(self) -> None:
        """Refuse strata with a single PSU unless ``lonely_psu="adjust"``."""
        counts = self.psu_counts()
        if self.lonely_psu == "fail" and (counts == 1).any():
            label = self.stratum_labels[int(np.argmax(counts == 1))]
            raise DesignError("survey.lonely_psu", stratum=_plain(label))

    def degrees_of_freedom(self, rows: NDArray[np.bool_] | None = None) -> int:
        """PSUs minus strata, counting only those with a row in ``rows`` (R's ``degf``)."""
        psu = self.psu if rows is None else self.psu[rows]
        strata = self.strata if rows is None else self.strata[rows]
        return len(np.unique(psu)) - len(np.unique(strata))

    def variance(self, x: FloatArray) -> FloatArray:
        """Return the variance of the totals of the columns of ``x`` (n × k influence values).

        After raking, the influence values are first replaced by their residuals on the raking
        margins, which is what makes standard errors calibration-aware.
        """
        x = np.asarray(x, dtype=np.float64).reshape(len(self), -1)
        if self.raking_margins:
            x = self._project_on_margins(x)
        totals = _group_sums(x, self.psu, self.n_psu)
        counts = self.psu_counts().astype(np.float64)
        stratum_means = (
            _group_sums(totals, self.psu_stratum, len(counts)) / np.maximum(counts, 1)[:, None]
        )
        centre = stratum_means[self.psu_stratum]
        lonely = counts[self.psu_stratum] == 1
        if lonely.any():
            centre[lonely] = totals.sum(axis=0) / self.n_psu
        deviations = totals - centre
        scale = np.where(counts > 1, counts / np.maximum(counts - 1, 1), 1.0) * (1 - self.fpc)
        variances: FloatArray = np.einsum("pi,p->i", deviations**2, scale[self.psu_stratum])
        return variances

    def _project_on_margins(self, x: FloatArray) -> FloatArray:
        """Residuals of x/w on each raking margin's categories, swept as R's ``svyrecvar``."""
        u = x / self.weights[:, None]
        margins = [
            (codes, np.bincount(codes).astype(np.float64)[:, None]) for codes in self.raking_margins
        ]
        for _ in range(RAKING_PROJECTION_SWEEPS):
            for codes, counts in margins:
                u = u - (_group_sums(u, codes, len(counts)) / counts)[codes]
        return u * self.weights[:, None]


def _group_sums(x: FloatArray, codes: IntArray, size: int) -> FloatArray:
    """Column sums of ``x`` by group code (a sufficient-statistics reduction)."""
    out = np.empty((size, x.shape[1]))
    for j in range(x.shape[1]):
        out[:, j] = np.bincount(codes, weights=x[:, j], minlength=size)
    return out


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _weights(frame: Any, name: str | None, n: int) -> FloatArray:
    if name is None:
        return np.ones(n)
    try:
        w = column(frame, name).astype(np.float64)
    except (TypeError, ValueError):
        raise DesignError("survey.weight_invalid", Location(field=name), column=name) from None
    bad = np.isnan(w) | (w < 0)
    if bad.any():
        row = int(np.argmax(bad)) + 1
        raise DesignError(
            "survey.weight_invalid",
            Location(row=row, field=name, value=_plain(w[row - 1])),
            column=name,
        )
    return w


def _design_column(frame: Any, name: str | None, n: int, *, default: Any) -> NDArray[Any]:
    if name is None:
        return np.full(n, default)
    values = column(frame, name)
    missing = is_missing(values)
    if missing.any():
        row = int(np.argmax(missing)) + 1
        raise DesignError("survey.design_value_missing", Location(row=row, field=name), column=name)
    return values


def _psu_codes(values: NDArray[Any], strata: IntArray, *, nest: bool) -> IntArray:
    _, raw = encode(values)
    if nest:
        pairs = strata.astype(np.int64) * (int(raw.max()) + 1) + raw
        return encode(pairs)[1]
    seen = np.full(int(raw.max()) + 1, -1, dtype=np.intp)
    for code, stratum in zip(raw, strata, strict=True):
        if seen[code] == -1:
            seen[code] = stratum
        elif seen[code] != stratum:
            raise DesignError("survey.psu_not_nested", psu=_plain(values[np.argmax(raw == code)]))
    return raw


def _sampling_fractions(
    frame: Any,
    name: str | None,
    strata: IntArray,
    psu_stratum: IntArray,
    stratum_labels: NDArray[Any],
) -> FloatArray:
    """Return the sampling fraction f_h of each stratum (0 without fpc)."""
    fractions = np.zeros(len(stratum_labels))
    if name is None:
        return fractions
    values = column(frame, name).astype(np.float64)
    sampled = np.bincount(psu_stratum, minlength=len(stratum_labels))
    for h, label in enumerate(stratum_labels):
        in_stratum = values[strata == h]
        value = in_stratum[0]
        fraction = value if value <= 1 else sampled[h] / value
        if np.isnan(value) or not (in_stratum == value).all() or not 0 <= fraction <= 1:
            raise DesignError(
                "survey.fpc_invalid", Location(field=name), stratum=_plain(label), value=value
            )
        fractions[h] = fraction
    return fractions
