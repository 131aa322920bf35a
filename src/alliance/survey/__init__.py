"""Impact studies: survey designs, weighting to quotas and design-based estimates (no Django).

Examples
--------
>>> import polars as pl
>>> from alliance.survey import Design, share
>>> frame = pl.DataFrame({"q": [1, 2, 3, 4], "w": [1.0, 1.0, 1.0, 1.0]})
>>> share(Design.from_frame(frame, weights="w"), "q", [1, 2])[0].estimate
0.5
"""

from alliance.survey.calibration import CalibrationMethod, calibrate
from alliance.survey.comparison import (
    Difference,
    RaoScott,
    difference,
    independent_difference,
    rao_scott,
)
from alliance.survey.count import count
from alliance.survey.design import Design
from alliance.survey.estimate import CiMethod, Estimate, mean, share, total
from alliance.survey.formula import Formula, parse_formula
from alliance.survey.quantile import quantile
from alliance.survey.ratio import ratio
from alliance.survey.regression import Coefficient, Family, Model, glm
from alliance.survey.specification import DesignSpec
from alliance.survey.weighting import Margins, RakeDiagnostics, diagnose, rake, trim

__all__ = [
    "CalibrationMethod",
    "CiMethod",
    "Coefficient",
    "Design",
    "DesignSpec",
    "Difference",
    "Estimate",
    "Family",
    "Formula",
    "Margins",
    "Model",
    "RakeDiagnostics",
    "RaoScott",
    "calibrate",
    "count",
    "diagnose",
    "difference",
    "glm",
    "independent_difference",
    "mean",
    "parse_formula",
    "quantile",
    "rake",
    "rao_scott",
    "ratio",
    "share",
    "total",
    "trim",
]
