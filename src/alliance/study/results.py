"""A study's results as one record: every estimate, comparison and published figure, with labels.

:class:`Result` is « an estimate with its interval and n » everywhere: the notebook, the open data
file ``estimates.csv``, the platform's pages and API. :class:`StudyResults` holds them with what a
reader needs to show them (study and population titles, item and group labels, waves and their
fieldwork, whether the data are synthetic). It is written as ``results.json`` beside the notebook,
so publishing reads files and never needs the microdata.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from alliance.errors import DataFileError, Location
from alliance.i18n import Lang
from alliance.survey.estimate import Statistic
from alliance.territory.geography import place_value

__all__ = [
    "ESTIMATE_COLUMNS",
    "RESULTS_FILE",
    "RESULTS_FORMAT",
    "Comparison",
    "Labels",
    "PopulationInfo",
    "PublishedComparison",
    "Result",
    "StudyResults",
    "WaveInfo",
    "read_results",
]

#: Columns of ``estimates.csv``, in this order.
ESTIMATE_COLUMNS = [
    "population", "wave", "variable", "statistic", "by", "group",
    "estimate", "se", "ci_low", "ci_high", "n", "fragile",
]  # fmt: skip
RESULTS_FILE = "results.json"
RESULTS_FORMAT = "alliance-study-results/1"

#: A text in both languages: ``{"fr": …, "en": …}``.
Labels = dict[str, str]


@dataclass(frozen=True)
class Result:
    """One estimate of one population and wave, overall (``by`` None) or in a segment's group.

    ``suppressed`` estimates rest on fewer respondents than the study's suppression threshold:
    their values are None and they are shown nowhere, only counted with a note.
    """

    population: str
    wave: str
    variable: str
    statistic: Statistic
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    fragile: bool
    suppressed: bool = False
    by: str | None = None
    group: str | None = None
    #: For shares, the codes counted (« fort + très fort » = [1, 2]).
    codes: list[Any] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        """Return the result as one row of ``estimates.csv`` (empty cells for none)."""
        values = asdict(self)
        return {name: values[name] for name in ESTIMATE_COLUMNS}

    @property
    def shown(self) -> bool:
        """Whether the estimate may be shown (it is not suppressed)."""
        return not self.suppressed and self.estimate is not None


@dataclass(frozen=True)
class Comparison:
    """The change of an estimate between two waves (independent samples): ``second - first``."""

    population: str
    variable: str
    statistic: Statistic
    first: str
    second: str
    first_estimate: float | None
    second_estimate: float | None
    difference: float | None
    se: float | None
    df: int
    p_value: float | None
    suppressed: bool = False


@dataclass(frozen=True)
class PublishedComparison:
    """A figure already published beside its reproduction from the study's data."""

    population: str
    variable: str
    wave: str
    published: float
    source: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    code: str = ""

    @property
    def inside(self) -> bool | None:
        """Whether the published figure lies in the reproduction's interval (None if hidden)."""
        if self.ci_low is None or self.ci_high is None:
            return None
        return self.ci_low <= self.published <= self.ci_high


@dataclass(frozen=True)
class WaveInfo:
    """One wave of a population: its sample and where it came from."""

    wave: str
    n: int
    file: str
    sha256: str
    read_as: str
    fieldwork_start: str | None = None
    fieldwork_end: str | None = None
    mode: Labels = field(default_factory=dict)
    institute: str | None = None
    effective_n: float | None = None


@dataclass(frozen=True)
class PopulationInfo:
    """What a reader needs to show a population's results: labels of everything, its waves."""

    population: str
    label: Labels
    waves: list[WaveInfo]
    #: Item (variable) → short label in both languages.
    items: dict[str, Labels]
    #: Segment variable → {"label": Labels, "groups": {code: Labels}}.
    segments: dict[str, dict[str, Any]] = field(default_factory=dict)
    universe: Labels = field(default_factory=dict)

    def item_label(self, variable: str, lang: Lang) -> str:
        """Return an item's label in ``lang`` (its name when none is known)."""
        return self.items.get(variable, {}).get(lang) or variable

    def segment_label(self, variable: str, lang: Lang) -> str:
        """Return a segment variable's label in ``lang``."""
        return self.segments.get(variable, {}).get("label", {}).get(lang) or variable

    def group_label(self, variable: str, group: str, lang: Lang) -> str:
        """Return the label of a segment's group (a category's label) in ``lang``.

        A group the questionnaire does not label (or labels with its own code) of a geographic
        segment is named from the official geography (« HDF » → « Hauts-de-France »).
        """
        groups = self.segments.get(variable, {}).get("groups", {})
        label = groups.get(str(group), {}).get(lang)
        return label if label and label != str(group) else place_value(variable, group, lang)


@dataclass(frozen=True)
class StudyResults:
    """Everything a study's run produced that readers show: the record behind every output."""

    study: str
    title: Labels
    synthetic: bool
    populations: list[PopulationInfo]
    estimates: list[Result]
    comparisons: list[Comparison] = field(default_factory=list)
    published: list[PublishedComparison] = field(default_factory=list)
    #: Benchmark references for the organisations' diagnostics (``Reference.to_dict()``).
    benchmark: list[dict[str, Any]] = field(default_factory=list)
    suppress_below: int = 10
    fragile_below: int = 30
    licence: str = "ODbL-1.0"

    def population(self, code: str) -> PopulationInfo:
        """Return the population called ``code``."""
        return next(p for p in self.populations if p.population == code)

    def of(
        self, population: str, *, wave: str | None = None, by: str | None = None
    ) -> list[Result]:
        """Return the estimates of a population, optionally of one wave and one segment."""
        return [
            r
            for r in self.estimates
            if r.population == population and (wave is None or r.wave == wave) and r.by == by
        ]

    @property
    def waves(self) -> list[str]:
        """Every wave of the study, in order of first appearance."""
        return list(dict.fromkeys(w.wave for p in self.populations for w in p.waves))

    def to_json(self) -> dict[str, Any]:
        """Return the record as JSON-ready data (``results.json``)."""
        data = asdict(self)
        return {"format": RESULTS_FORMAT, "digest": self.digest(), **_finite(data)}

    def digest(self) -> str:
        """Return a fingerprint of the results: publishing them twice changes nothing."""
        content = json.dumps(_finite(asdict(self)), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(content.encode("utf-8")).hexdigest()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StudyResults:
        """Rebuild the record from :meth:`to_json`'s data."""
        populations = [
            PopulationInfo(
                **{k: v for k, v in p.items() if k != "waves"},
                waves=[WaveInfo(**w) for w in p["waves"]],
            )
            for p in data["populations"]
        ]
        return cls(
            study=data["study"],
            title=data["title"],
            synthetic=data["synthetic"],
            populations=populations,
            estimates=[Result(**r) for r in data["estimates"]],
            comparisons=[Comparison(**c) for c in data.get("comparisons", [])],
            published=[PublishedComparison(**p) for p in data.get("published", [])],
            benchmark=data.get("benchmark", []),
            suppress_below=data.get("suppress_below", 10),
            fragile_below=data.get("fragile_below", 30),
            licence=data.get("licence", "ODbL-1.0"),
        )


def read_results(path: Path) -> StudyResults:
    """Read ``results.json`` (or the folder holding it), as ``alliance study run`` wrote it."""
    file = path / RESULTS_FILE if path.is_dir() else path
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError("study.results_missing", Location(file=str(file))) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataFileError(
            "study.results_invalid", Location(file=str(file)), problem=str(error)
        ) from None
    if not isinstance(data, dict) or data.get("format") != RESULTS_FORMAT:
        raise DataFileError(
            "study.results_invalid", Location(file=str(file)), problem=f"not {RESULTS_FORMAT}"
        )
    try:
        return StudyResults.from_json(data)
    except (KeyError, TypeError) as error:
        raise DataFileError(
            "study.results_invalid", Location(file=str(file)), problem=str(error)
        ) from None


def _finite(value: Any) -> Any:
    """Replace NaN and infinities (which JSON lacks) by None, everywhere in ``value``."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
