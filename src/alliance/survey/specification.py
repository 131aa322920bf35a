"""How a sample was drawn, declared once: R's ``svydesign`` arguments as a value.

The same design options reach the engine from the command line, from a study definition file and
from Python. Holding them in one frozen value means each door parses them once into a
:class:`DesignSpec`, and :meth:`alliance.survey.Design.from_spec` is the one place that turns them
into a design; a new option is added here, not in every caller.

``psu`` and ``fpc`` name one column, or one per sampling stage (R's ``ids = ~dnum + snum``,
``fpc = ~fpc1 + fpc2``): a sequence of names is kept as a tuple, a single name as given.

Examples
--------
>>> spec = DesignSpec(weights="w", strata="h", psu="school", nest=True)
>>> spec.describe()
'weights=w, strata=h, psu=school'
>>> spec.columns
('w', 'h', 'school')
>>> DesignSpec(psu=["dnum", "snum"], fpc=("fpc1", "fpc2")).describe()
'psu=dnum+snum, fpc=fpc1+fpc2'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["LONELY_PSU_RULES", "DesignSpec", "LonelyPsu", "Stages"]

#: What to do with a stratum of one PSU, as R's ``options(survey.lonely.psu = …)``: refuse it,
#: centre it on the grand mean, count it as contributing nothing (``remove`` and ``certainty``
#: give the same numbers), or give it the average variance of the other strata.
LonelyPsu = Literal["fail", "adjust", "remove", "certainty", "average"]

#: The accepted rules, in the order messages list them.
LONELY_PSU_RULES: tuple[str, ...] = get_args(LonelyPsu)

#: One column, or one column per sampling stage.
Stages = str | Sequence[str] | None


def _stage_columns(value: Stages) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@dataclass(frozen=True)
class DesignSpec:
    """The columns and options describing a sample (every field optional, as in R).

    ``weights`` and ``strata`` name columns; ``psu`` and ``fpc`` name a column or one per stage
    (clusters, then sub-clusters…); ``nest`` says PSU identifiers are only unique within a
    stratum; ``lonely_psu`` is one of :data:`LONELY_PSU_RULES`. See
    :meth:`alliance.survey.Design.from_frame` for what each one means.
    """

    weights: str | None = None
    strata: str | None = None
    psu: Stages = None
    fpc: Stages = None
    nest: bool = False
    lonely_psu: LonelyPsu = "fail"
    #: Replicate weight columns: a prefix (the columns whose names start with it, in file
    #: order) or their names; then the design's variance comes from them (R's ``svrepdesign``).
    replicates: str | tuple[str, ...] | None = None
    replicate_type: str | None = None
    fay_rho: float | None = None
    replicate_scale: float | None = None
    replicate_rscales: tuple[float, ...] | None = None
    #: Build replicate weights from the strata and PSUs: ``jk1``, ``jkn`` or ``bootstrap[:R]``
    #: (R's ``as.svrepdesign``); ``seed`` makes the bootstrap reproducible.
    to_replicates: str | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        # A list from a caller becomes a tuple, so the spec stays hashable and comparable.
        for name in ("psu", "fpc", "replicates", "replicate_rscales"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                object.__setattr__(self, name, tuple(value) or None)
        # A typo such as "adjsut" would otherwise silently mean "fail".
        if self.lonely_psu not in LONELY_PSU_RULES:
            rules = ", ".join(repr(rule) for rule in LONELY_PSU_RULES)
            raise ValueError(f"lonely_psu must be one of {rules}, not {self.lonely_psu!r}")

    @property
    def psu_columns(self) -> tuple[str, ...]:
        """The cluster columns, one per stage (empty: each row is its own PSU)."""
        return _stage_columns(self.psu)

    @property
    def fpc_columns(self) -> tuple[str, ...]:
        """The finite-population-correction columns, one per stage (empty: none)."""
        return _stage_columns(self.fpc)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the design reads, in the order weights, strata, PSUs, fpc."""
        single = tuple(name for name in (self.weights, self.strata) if name)
        replicates = self.replicates if isinstance(self.replicates, tuple) else ()
        return (*single, *self.psu_columns, *self.fpc_columns, *replicates)

    def describe(self) -> str:
        """Name the columns as ``weights=w, strata=h, psu=a+b``, for the design's history."""
        named = {
            "weights": self.weights,
            "strata": self.strata,
            "psu": "+".join(self.psu_columns),
            "fpc": "+".join(self.fpc_columns),
            "replicates": self._replicates_text(),
            "to_replicates": self.to_replicates,
        }
        return ", ".join(f"{key}={value}" for key, value in named.items() if value)

    def _replicates_text(self) -> str | None:
        if self.replicates is None:
            return None
        columns = self.replicates
        named = f"{columns}*" if isinstance(columns, str) else "+".join(columns)
        return f"{named} ({self.replicate_type})"
