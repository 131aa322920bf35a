"""When an estimate is fragile, and when it must not be shown at all.

Two thresholds, one rule for every output (notebook, XLSX, CSV, web): an estimate on fewer than
``FRAGILE_BELOW`` respondents, or whose 95 % interval is wider than ``FRAGILE_WIDTH``, is flagged
fragile; one on fewer than the study's ``suppress_below`` respondents is suppressed: its values
are dropped, and readers only learn that it was withheld and why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from alliance.study.results import Result
from alliance.survey import CiMethod, Estimate

__all__ = ["FRAGILE_BELOW", "FRAGILE_WIDTH", "Reliability"]

#: Fewer respondents than this: the estimate is flagged fragile.
FRAGILE_BELOW = 30
#: A 95 % interval wider than this (in share points): the estimate is flagged fragile.
FRAGILE_WIDTH = 0.20


@dataclass(frozen=True)
class Reliability:
    """The study's thresholds, applied to every estimate the same way."""

    suppress_below: int = 10
    fragile_below: int = FRAGILE_BELOW
    fragile_width: float = FRAGILE_WIDTH

    def is_fragile(self, n: int, low: float, high: float) -> bool:
        """Too few respondents, or too wide an interval (a share's, on the 0–1 scale)."""
        return n < self.fragile_below or (high - low > self.fragile_width)

    def result(
        self, population: str, wave: str, estimate: Estimate, codes: Sequence[Any] = ()
    ) -> Result:
        """Turn an engine estimate into the study's record, fragile or suppressed as due."""
        method: CiMethod | Literal["normal"] = (
            "logit" if estimate.statistic == "share" else "normal"
        )
        empty = estimate.n == 0 or not math.isfinite(estimate.estimate)
        suppressed = empty or estimate.n < self.suppress_below
        low, high = (math.nan, math.nan) if empty else estimate.ci(method)
        width_counts = estimate.statistic == "share"
        fragile = estimate.n < self.fragile_below or (
            width_counts and not empty and high - low > self.fragile_width
        )
        group = None if estimate.group is None else _text(estimate.group)
        return Result(
            population=population,
            wave=wave,
            variable=estimate.variable,
            statistic=estimate.statistic,
            estimate=None if suppressed else estimate.estimate,
            se=None if suppressed else estimate.se,
            ci_low=None if suppressed else low,
            ci_high=None if suppressed else high,
            n=estimate.n,
            fragile=fragile,
            suppressed=suppressed,
            by=estimate.by if isinstance(estimate.by, str) else None,
            group=group,
            codes=list(codes),
        )


def _text(value: Any) -> str:
    """Write a group's code as text: 1.0 and 1 read alike."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
