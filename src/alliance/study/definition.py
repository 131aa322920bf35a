"""The study definition file, ``study.yaml``: what a study is, as data the analyst writes.

A study has populations; each population has a questionnaire, weighting margins, a sampling
design, waves (one delivered file each) and the estimates wanted (shares of codes, means, by
segments), with figures already published to compare with. Paths are relative to the file, so a
study folder can be versioned and moved as a whole.

Loading reports *every* problem of the file at once, each with its line, as
:class:`~alliance.survey.problems.Problem` values (the checks of the files it names come after,
in :mod:`alliance.study.check`).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from alliance.errors import AllianceError, Location
from alliance.referential.model import LocalizedText, Strict
from alliance.survey.problems import Problem
from alliance.survey.specification import DesignSpec, LonelyPsu
from alliance.validation import message_for
from alliance.yaml_document import YamlDocument

__all__ = [
    "DEFAULT_SUPPRESS_BELOW",
    "DesignOptions",
    "Fieldwork",
    "PopulationDefinition",
    "PublishedFigure",
    "ShareSpec",
    "StudyDefinition",
    "WaveDefinition",
    "load_definition",
]

#: Estimates on fewer respondents than this are not shown (the definition may change it).
DEFAULT_SUPPRESS_BELOW = 10

Code = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
Column = Annotated[str, Field(min_length=1, max_length=128)]
RelativePath = Annotated[str, Field(min_length=1)]
WaveCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=32)]


class DesignOptions(Strict):
    """How a population's samples were drawn: R's ``svydesign`` arguments, all optional.

    The file's shape of :class:`~alliance.survey.DesignSpec`, which the engine takes.
    """

    weights: Column | None = None
    strata: Column | None = None
    #: One column, or one per sampling stage (``[dnum, snum]``), as the fpc.
    psu: Column | list[Column] | None = None
    fpc: Column | list[Column] | None = None
    nest: bool = False
    lonely_psu: LonelyPsu = "fail"

    def spec(self) -> DesignSpec:
        """Return the options as the engine takes them."""
        return DesignSpec(**self.model_dump())


class Fieldwork(Strict):
    """When the answers were collected."""

    start: datetime.date
    end: datetime.date

    @model_validator(mode="after")
    def _in_order(self) -> Fieldwork:
        if self.end < self.start:
            raise PydanticCustomError("fieldwork_order", "the fieldwork ends before it starts")
        return self


class WaveDefinition(Strict):
    """One wave: one delivered file, its own sample, weighted on its own rows."""

    wave: WaveCode
    file: RelativePath
    sheet: str | None = None
    fieldwork: Fieldwork | None = None
    mode: LocalizedText | None = None
    institute: str | None = None
    #: Margins of this wave when they differ from the population's.
    margins: RelativePath | None = None

    @model_validator(mode="before")
    @classmethod
    def _wave_as_text(cls, data: Any) -> Any:
        """``wave: 2024`` and ``wave: "2024"`` are the same wave."""
        if isinstance(data, dict) and isinstance(data.get("wave"), int):
            return {**data, "wave": str(data["wave"])}
        return data


class ShareSpec(Strict):
    """A share to estimate: answers to ``item`` in ``codes`` (« fort + très fort » = 1 and 2)."""

    item: Column
    codes: list[int | str] = Field(min_length=1)
    label: LocalizedText | None = None


class PublishedFigure(Strict):
    """A figure already published for an item and wave, to set beside its reproduction."""

    item: Column
    wave: WaveCode
    value: float = Field(ge=0, le=1)
    source: str = Field(min_length=1)
    code: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _wave_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("wave"), int):
            return {**data, "wave": str(data["wave"])}
        return data


class PopulationDefinition(Strict):
    """A surveyed population and everything needed to weight and estimate its waves."""

    population: Code
    label: LocalizedText
    universe: LocalizedText | None = None
    description: LocalizedText | None = None
    questionnaire: RelativePath
    margins: RelativePath | None = None
    design: DesignOptions = Field(default_factory=DesignOptions)
    mapping: RelativePath | None = None
    waves: list[WaveDefinition] = Field(min_length=1)
    shares: list[ShareSpec] = Field(default_factory=list)
    means: list[Column] = Field(default_factory=list)
    segments: list[Column] = Field(default_factory=list)
    published: list[PublishedFigure] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> PopulationDefinition:
        waves = [w.wave for w in self.waves]
        repeated = next((w for w in waves if waves.count(w) > 1), None)
        if repeated is not None:
            raise PydanticCustomError("duplicate_wave", "wave {wave} twice", {"wave": repeated})
        if not self.shares and not self.means:
            raise PydanticCustomError("nothing_estimated", "neither shares nor means to estimate")
        for figure in self.published:
            if figure.wave not in waves:
                raise PydanticCustomError(
                    "unknown_wave",
                    "published figure for unknown wave {wave}",
                    {"wave": figure.wave},
                )
        return self

    def share(self, item: str) -> ShareSpec | None:
        """Return the share estimated for ``item``, if any."""
        return next((s for s in self.shares if s.item == item), None)


class StudyDefinition(Strict):
    """A whole study, as ``study.yaml`` describes it."""

    study: Code
    title: LocalizedText
    synthetic: bool = False
    institute: str | None = None
    licence: str = "ODbL-1.0"
    suppress_below: int = Field(default=DEFAULT_SUPPRESS_BELOW, ge=0)
    #: A prose file for the notebook (its chapters, paragraphs and blocks), when not the default.
    notebook: RelativePath | None = None
    populations: list[PopulationDefinition] = Field(min_length=1)
    #: The folder of ``study.yaml``: every path of the definition is relative to it.
    folder: Path = Field(default=Path("."), exclude=True)

    @model_validator(mode="after")
    def _populations_unique(self) -> StudyDefinition:
        codes = [p.population for p in self.populations]
        repeated = next((c for c in codes if codes.count(c) > 1), None)
        if repeated is not None:
            raise PydanticCustomError(
                "duplicate_population", "population {code} twice", {"code": repeated}
            )
        return self

    def path(self, relative: str) -> Path:
        """Return a path of the definition, resolved from the definition's folder."""
        return (self.folder / relative).resolve()

    def population(self, code: str) -> PopulationDefinition:
        """Return the population called ``code``."""
        return next(p for p in self.populations if p.population == code)


def load_definition(
    path: Path,
) -> tuple[StudyDefinition | None, list[Problem], YamlDocument | None]:
    """Read ``study.yaml``; return the definition (None if invalid), its problems and document."""
    try:
        doc = YamlDocument(
            path,
            missing_key="study.definition_missing",
            file_error=AllianceError,
            validation_error=AllianceError,
        )
    except AllianceError as error:
        return None, [Problem(error.key, error.location, params=error.params)], None
    data = doc.data
    if not isinstance(data, dict):
        where = Location(file=doc.name, line=1)
        return None, [Problem("study.definition_not_mapping", where)], doc
    try:
        definition = StudyDefinition.model_validate({**data, "folder": path.parent.resolve()})
    except ValidationError as error:
        problems = []
        for detail in error.errors():
            location = tuple(detail["loc"])
            key, params = message_for(detail)
            value = detail.get("input") if detail["type"] != "missing" else None
            problems.append(
                Problem(
                    key,
                    Location(
                        file=doc.name,
                        line=doc.line_of(location),
                        field=".".join(str(p) for p in location) or None,
                        value=value if isinstance(value, str | int | float) else None,
                    ),
                    params=params,
                )
            )
        return None, problems, doc
    return definition, [], doc
