"""Where an organisation stands among organisations of its profile, from weighted study data.

A diagnostic question may name a study item (``benchmark:`` in the instrument), on each of the
three levers: the number of regular volunteers (human resources), the main financial resource
(financial resources), the number of partnerships, the categories used, whether partnerships are
evaluated (alliances). :func:`study_references` estimates, from a weighted study design, what the
population answered to those items (weighted means and shares with their confidence intervals,
and for counts the weighted distribution); :func:`standings` then places the organisation's own
answer to the same question in them. A population whose questionnaire lacks an item simply has no
reference for it: nothing is made up.

References are plain data (:meth:`Reference.to_dict`), so the web platform stores them with the
study results and never needs the microdata.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import polars as pl

from alliance.diagnostic.instrument import Instrument
from alliance.errors import SurveyError
from alliance.survey import Design, mean, share
from alliance.survey.columns import missing_mask

__all__ = [
    "Interval", "Reference", "Standing", "benchmark_population", "standings", "study_references",
]  # fmt: skip

Kind = Literal["count", "yes_no", "categories", "choice"]
#: Items a study questionnaire may have, and how they are summarised: a count by its mean and
#: distribution, a yes/no by the share of yes, categories (one 0/1 column each) and a choice
#: (one code per organisation) by the share of each code.
ITEMS: dict[str, Kind] = {
    "volunteer_count": "count",
    "main_resource": "choice",
    "partnership_count": "count",
    "partnerships_evaluated": "yes_no",
    "partnership_categories": "categories",
}
YES = 1


@dataclass(frozen=True)
class Interval:
    """A weighted estimate with its 95 % confidence interval and unweighted n."""

    estimate: float
    low: float
    high: float
    n: int


@dataclass(frozen=True)
class Reference:
    """What a study population answered to one item, in one wave, weighted.

    ``values`` holds ``mean`` for a count, ``yes`` for a yes/no item, one entry per category or
    per code of a choice otherwise; ``distribution`` (counts only) lists each value with the
    weighted share of organisations answering at most that value.
    """

    population: str
    item: str
    kind: Kind
    wave: int
    values: dict[str, Interval]
    distribution: list[tuple[float, float]] = field(default_factory=list)
    synthetic: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the reference as JSON-ready data."""
        return {
            "population": self.population,
            "item": self.item,
            "kind": self.kind,
            "wave": self.wave,
            "values": {k: vars(v) for k, v in self.values.items()},
            "distribution": [list(pair) for pair in self.distribution],
            "synthetic": self.synthetic,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reference:
        """Rebuild a reference from :meth:`to_dict`'s data."""
        return cls(
            population=data["population"],
            item=data["item"],
            kind=data["kind"],
            wave=int(data["wave"]),
            values={k: Interval(**v) for k, v in data["values"].items()},
            distribution=[(float(a), float(b)) for a, b in data["distribution"]],
            synthetic=bool(data["synthetic"]),
        )

    def below(self, value: float) -> float:
        """Weighted share of organisations with a smaller value plus half the equal (mid-rank)."""
        previous = 0.0
        for point, cumulative in self.distribution:
            if point >= value:
                equal = cumulative - previous if point == value else 0.0
                return previous + equal / 2
            previous = cumulative
        return previous


@dataclass(frozen=True)
class Standing:
    """One benchmarked question: the organisation's answer beside its population's reference."""

    question: str
    value: Any
    reference: Reference
    #: For a count, the weighted share of the population with fewer (mid-rank); otherwise None.
    below: float | None

    @property
    def yes(self) -> bool | None:
        """For a yes/no item, the organisation's own answer to the same question; else None.

        Like is compared with like: the study asks whether an organisation evaluates its
        partnerships, so a share of partnerships evaluated above 0 % answers « yes ».
        """
        if self.reference.kind != "yes_no" or not isinstance(self.value, int | float):
            return None
        return self.value > 0

    @property
    def same(self) -> Interval | None:
        """For a choice, the share of the population that gave the organisation's answer."""
        if self.reference.kind != "choice" or self.value is None:
            return None
        return self.reference.values.get(str(self.value))


def study_references(
    design: Design, population: str, *, wave: int, wave_column: str = "wave", synthetic: bool
) -> list[Reference]:
    """Estimate the benchmark items ``design`` has, for one wave of a (stacked) study design."""
    columns = design.frame.columns
    references = []
    for item, kind in ITEMS.items():
        if kind == "categories":
            names = [c for c in columns if c.startswith(f"{item}.")]
            if not names:
                continue
            values = {
                name.split(".", 1)[1]: _in_wave(share(design, name, [1], by=wave_column), wave)
                for name in names
            }
            references.append(Reference(population, item, kind, wave, values, [], synthetic))
        elif kind == "choice" and item in columns:
            values = {
                str(code): _in_wave(share(design, item, [code], by=wave_column), wave)
                for code in _codes(design, item, wave_column, wave)
            }
            references.append(Reference(population, item, kind, wave, values, [], synthetic))
        elif item in columns:
            if kind == "count":
                values = {"mean": _in_wave(mean(design, item, by=wave_column), wave)}
                distribution = _distribution(design, item, wave_column, wave)
            else:
                values = {"yes": _in_wave(share(design, item, [YES], by=wave_column), wave)}
                distribution = []
            references.append(
                Reference(population, item, kind, wave, values, distribution, synthetic)
            )
    return references


def benchmark_population(instrument: Instrument, profiles: Sequence[str]) -> str | None:
    """Return the study population of the first of ``profiles`` (most specific first) with one."""
    return next(
        (
            instrument.benchmark_populations[p]
            for p in profiles
            if p in instrument.benchmark_populations
        ),
        None,
    )


def standings(
    instrument: Instrument,
    profiles: Sequence[str],
    answers: Mapping[str, Any],
    references: Sequence[Reference],
) -> list[Standing]:
    """Place the answers among the population of the first of ``profiles`` that has a study.

    ``profiles`` goes from the most specific (« collectivites_territoriales ») to the root
    (« institutions »); questions the organisation has not answered are listed with ``None``.
    """
    population = benchmark_population(instrument, profiles)
    if population is None:
        return []
    by_item = {r.item: r for r in references if r.population == population}
    found = []
    for question in instrument.for_profile(profiles[-1]):
        reference = by_item.get(question.benchmark or "")
        if reference is None:
            continue
        value = answers.get(question.code)
        below = (
            reference.below(float(value))
            if reference.kind == "count" and isinstance(value, int | float)
            else None
        )
        found.append(Standing(question.code, value, reference, below))
    return found


def _in_wave(estimates: list[Any], wave: int) -> Interval:
    estimate = next((e for e in estimates if int(e.group) == wave), None)
    if estimate is None or estimate.empty:
        raise SurveyError("survey.empty_domain", variable=estimates[0].variable, domain=str(wave))
    low, high = estimate.ci()
    return Interval(estimate.estimate, low, high, estimate.n)


def _codes(design: Design, item: str, wave_column: str, wave: int) -> list[Any]:
    """Return the codes answered to a choice in the wave, sorted."""
    values = design.series(item)
    keep = (~missing_mask(values)) & _in_wave_mask(design, wave_column, wave)
    return sorted(set(values.filter(pl.Series(keep)).to_list()))


def _in_wave_mask(design: Design, wave_column: str, wave: int) -> Any:
    """Return which rows of the design belong to the wave."""
    return (design.series(wave_column).cast(pl.Int64) == wave).fill_null(False).to_numpy()


def _distribution(
    design: Design, item: str, wave_column: str, wave: int
) -> list[tuple[float, float]]:
    """Each value answered in the wave, with the weighted share answering at most that value."""
    values = design.series(item)
    keep = (~missing_mask(values)) & _in_wave_mask(design, wave_column, wave)
    weights = design.weights[keep]
    points = values.to_numpy()[keep].astype(float)
    distinct, inverse = np.unique(points, return_inverse=True)
    sums = np.bincount(inverse, weights=weights)
    cumulative = np.cumsum(sums) / sums.sum()
    return [(float(v), float(c)) for v, c in zip(distinct, cumulative, strict=True)]
