"""The few distribution functions the intervals and tests need: Student's t, normal, beta, F.

They are :mod:`scipy.special`'s functions, the ones :mod:`scipy.stats` calls underneath.
Importing ``scipy.stats`` takes about a second (it builds a hundred distribution objects), more
than a whole estimate on a survey file; the estimators need four functions.

Examples
--------
>>> round(t_quantile(0.975, 10), 6), round(normal_quantile(0.975), 6)
(2.228139, 1.959964)
>>> round(t_survival(2.228139, 10), 6), round(f_survival(3.0, 2, 30), 6)
(0.025, 0.064905)
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

__all__ = [
    "beta_quantile",
    "f_survival",
    "normal_quantile",
    "preload",
    "t_quantile",
    "t_survival",
]

#: Where the functions come from; importing it takes longer than a share's estimate (see preload).
_SPECIAL = "scipy.special"


def _special() -> ModuleType:
    """:mod:`scipy.special`, imported on first use (then found at once in ``sys.modules``)."""
    return importlib.import_module(_SPECIAL)


def preload() -> threading.Thread:
    """Start importing :mod:`scipy.special` in a thread, while the caller reads and weights data.

    Its import takes about 0.15 s of pure Python (SciPy's array API layer touches every NumPy
    submodule), a tenth of a whole ``alliance survey estimate`` on a million rows; reading Parquet
    and most of NumPy's and Polars' work release the GIL, so the import runs beside them. A
    function that needs :mod:`scipy.special` before the thread is done waits for the import (the
    import system's module lock), never sees a half-imported module. The thread is not a daemon:
    a process that ends sooner waits for the import to finish rather than stopping it midway.
    """
    thread = threading.Thread(target=_special, name="preload-scipy-special")
    thread.start()
    return thread


def normal_quantile(q: float) -> float:
    """Return the standard normal's ``q`` quantile (``scipy.stats.norm.ppf``)."""
    return float(_special().ndtri(q))


def t_quantile(q: float, df: float) -> float:
    """Return Student's t's ``q`` quantile on ``df`` degrees of freedom (``scipy.stats.t.ppf``).

    No degrees of freedom (an empty domain, a single PSU) gives NaN, as in scipy.
    """
    return float(_special().stdtrit(df, q)) if df > 0 else float("nan")


def t_survival(x: float, df: float) -> float:
    """Return ``P(T > x)`` for Student's t on ``df`` degrees of freedom (``scipy.stats.t.sf``)."""
    return float(_special().stdtr(df, -x)) if df > 0 else float("nan")


def beta_quantile(q: float, a: float, b: float) -> float:
    """Return the beta distribution's ``q`` quantile (``scipy.stats.beta.ppf``)."""
    return float(_special().betaincinv(a, b, q))


def f_survival(x: float, dfn: float, dfd: float) -> float:
    """Return ``P(F > x)`` for Fisher's F on ``(dfn, dfd)`` degrees of freedom (scipy's f.sf)."""
    return float(_special().fdtrc(dfn, dfd, x))
