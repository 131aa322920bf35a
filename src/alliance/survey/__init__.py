"""Impact studies: survey designs, weighting to quotas and design-based estimates (no Django).

Examples
--------
>>> import polars as pl
>>> from alliance.survey import Design, share
>>> frame = pl.DataFrame({"q": [1, 2, 3, 4], "w": [1.0, 1.0, 1.0, 1.0]})
>>> share(Design.from_frame(frame, weights="w"), "q", [1, 2])[0].estimate
0.5
"""

from alliance.survey.comparison import (
    Difference,
    RaoScott,
    difference,
    independent_difference,
    rao_scott,
)
from alliance.survey.design import Design
from alliance.survey.estimate import CiMethod, Estimate, mean, share, total
from alliance.survey.specification import DesignSpec
from alliance.survey.weighting import Margins, RakeDiagnostics, diagnose, rake, trim

__all__ = [
    "CiMethod",
    "Design",
    "DesignSpec",
    "Difference",
    "Estimate",
    "Margins",
    "RakeDiagnostics",
    "RaoScott",
    "diagnose",
    "difference",
    "independent_difference",
    "mean",
    "rake",
    "rao_scott",
    "share",
    "total",
    "trim",
]
