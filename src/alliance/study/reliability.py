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
from alliance.survey.columns import code_text

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

    def is_fragile(self, n: int, low: float, high: float, *, share: bool = True) -> bool:
        """Tell whether there are too few respondents or, for a share, too wide an interval.

        The width rule is on the 0–1 scale of shares; a mean's interval has its own unit.
        """
        width = high - low
        return n < self.fragile_below or (
            share and math.isfinite(width) and width > self.fragile_width
        )

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
        fragile = self.is_fragile(estimate.n, low, high, share=estimate.statistic == "share")
        group = None if estimate.group is None else code_text(estimate.group)
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
