"""How a sample was drawn, declared once: R's ``svydesign`` arguments as a value.

The same design options reach the engine from the command line, from a study definition file and
from Python. Holding them in one frozen value means each door parses them once into a
:class:`DesignSpec`, and :meth:`alliance.survey.Design.from_spec` is the one place that turns them
into a design; a new option is added here, not in every caller.

Examples
--------
>>> spec = DesignSpec(weights="w", strata="h", psu="school", nest=True)
>>> spec.describe()
'weights=w, strata=h, psu=school'
>>> spec.columns
('w', 'h', 'school')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["DesignSpec", "LonelyPsu"]

#: What to do with a stratum of one PSU: refuse it, or centre it on the grand mean (R's adjust).
LonelyPsu = Literal["fail", "adjust"]


@dataclass(frozen=True)
class DesignSpec:
    """The columns and options describing a sample (every field optional, as in R).

    ``weights``, ``strata``, ``psu`` and ``fpc`` name columns; ``nest`` says PSU identifiers are
    only unique within a stratum; ``lonely_psu`` is ``"fail"`` or ``"adjust"``. See
    :meth:`alliance.survey.Design.from_frame` for what each one means.
    """

    weights: str | None = None
    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None
    nest: bool = False
    lonely_psu: LonelyPsu = "fail"

    def __post_init__(self) -> None:
        # A typo such as "adjsut" would otherwise silently mean "fail".
        if self.lonely_psu not in get_args(LonelyPsu):
            raise ValueError(f"lonely_psu must be 'fail' or 'adjust', not {self.lonely_psu!r}")

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the design reads, in the order weights, strata, PSU, fpc."""
        return tuple(name for name in (self.weights, self.strata, self.psu, self.fpc) if name)

    def describe(self) -> str:
        """Name the columns as ``weights=w, strata=h``, for the design's history."""
        named = {"weights": self.weights, "strata": self.strata, "psu": self.psu, "fpc": self.fpc}
        return ", ".join(f"{key}={value}" for key, value in named.items() if value)
