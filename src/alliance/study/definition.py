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
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError

from alliance.errors import AllianceError, Location
from alliance.i18n import Lang
from alliance.referential.model import LocalizedText, Strict
from alliance.survey.problems import Problem
from alliance.survey.specification import DesignSpec, LonelyPsu
from alliance.validation import message_for
from alliance.yaml_document import YamlDocument

__all__ = [
    "DEFAULT_SUPPRESS_BELOW",
    "Credit",
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


def _year_as_text(value: Any) -> Any:
    """``wave: 2024`` and ``wave: "2024"`` are the same wave."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


WaveCode = Annotated[
    str,
    BeforeValidator(_year_as_text),
    Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=32),
]


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
    #: ``strict``: any problem refuses the wave. ``lenient``: rows with problems are left out and
    #: columns matching no item ignored, each reported as a warning (a delivery the analyst
    #: accepts as it is, knowing what is dropped).
    validation: Literal["strict", "lenient"] = "strict"


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


class Credit(Strict):
    """A name on the cover and what they did (« Direction scientifique », « Terrain »…)."""

    role: LocalizedText
    name: Annotated[str, Field(min_length=1, max_length=200)]


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
    #: The cover's apparatus, all optional: edition (« 5e édition », or in both languages),
    #: publication date, authors,
    #: other credits, partners, and the address where the publication can be found (« comment
    #: citer »).
    edition: Annotated[str, Field(min_length=1, max_length=200)] | LocalizedText | None = None
    published: datetime.date | None = None
    authors: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list)
    credits: list[Credit] = Field(default_factory=list)
    partners: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list
    )
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    populations: list[PopulationDefinition] = Field(min_length=1)
    #: The folder of ``study.yaml``: every path of the definition is relative to it.
    folder: Path = Field(default=Path("."), exclude=True)

    def edition_in(self, lang: Lang) -> str:
        """Return the edition in ``lang`` (as written when given once for both), or nothing."""
        edition = self.edition
        if isinstance(edition, LocalizedText):
            return edition(lang)
        return edition or ""

    def path(self, relative: str) -> Path:
        """Return a path of the definition, resolved from the definition's folder."""
        return (self.folder / relative).resolve()

    def population(self, code: str) -> PopulationDefinition:
        """Return the population called ``code``."""
        return next(p for p in self.populations if p.population == code)


def load_definition(
    path: Path,
) -> tuple[StudyDefinition | None, list[Problem], YamlDocument | None]:
    """Read ``study.yaml``: the definition, every problem found in it, and the parsed document.

    When the file has problems, the definition returned (if any) holds the populations that are
    valid on their own, so that their files can still be checked and every problem be listed in
    one pass; such a definition must not be run.
    """
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
    folder = path.parent.resolve()
    problems: list[Problem] = []
    try:
        definition: StudyDefinition | None = StudyDefinition.model_validate(
            {**data, "folder": folder}
        )
    except ValidationError as error:
        problems += [_problem(doc, detail) for detail in error.errors()]
        definition = _valid_part(data, folder)
    if definition is not None:
        problems += _consistency(definition, doc)
    return definition, problems, doc


def population_path(doc: YamlDocument, code: str) -> tuple[str | int, ...]:
    """Return where population ``code`` is in ``study.yaml`` (for the lines of its problems)."""
    raw = doc.data.get("populations") if isinstance(doc.data, dict) else None
    entries = raw if isinstance(raw, list) else []
    index = next(
        (i for i, p in enumerate(entries) if isinstance(p, dict) and p.get("population") == code),
        0,
    )
    return ("populations", index)


def _problem(doc: YamlDocument, detail: ErrorDetails) -> Problem:
    location = tuple(detail["loc"])
    key, params = message_for(detail)
    value = detail.get("input") if detail["type"] != "missing" else None
    return Problem(
        key,
        Location(
            file=doc.name,
            line=doc.line_of(location),
            field=".".join(str(p) for p in location) or None,
            value=value if isinstance(value, str | int | float) else None,
        ),
        params=params,
    )


def _valid_part(data: dict[str, Any], folder: Path) -> StudyDefinition | None:
    """Return the populations valid on their own, under an unchecked study (for their files)."""
    raw = data.get("populations")
    populations = []
    for entry in raw if isinstance(raw, list) else []:
        try:
            populations.append(PopulationDefinition.model_validate(entry))
        except ValidationError:
            continue  # its problems are already listed
    if not populations:
        return None
    code = str(data.get("study") or folder.name)
    return StudyDefinition.model_construct(
        study=code,
        title=LocalizedText.model_construct(fr=code, en=code),
        populations=populations,
        folder=folder,
    )


def _consistency(definition: StudyDefinition, doc: YamlDocument) -> list[Problem]:
    """Find what no single key shows: repeated codes, unknown waves, nothing to estimate."""
    problems = []

    def at(*where: str | int, key: str, value: Any, **params: Any) -> None:
        location = Location(
            file=doc.name,
            line=doc.line_of(where),
            field=".".join(str(p) for p in where),
            value=value,
        )
        problems.append(Problem(key, location, params=params))

    seen: set[str] = set()
    for population in definition.populations:
        here = population_path(doc, population.population)
        if population.population in seen:
            at(*here, "population", key="validation.duplicate_population",
               value=population.population, code=population.population)  # fmt: skip
        seen.add(population.population)
        waves: list[str] = []
        for j, wave in enumerate(population.waves):
            if wave.wave in waves:
                at(*here, "waves", j, "wave", key="validation.duplicate_wave",
                   value=wave.wave, wave=wave.wave)  # fmt: skip
            waves.append(wave.wave)
        if not population.shares and not population.means:
            at(*here, key="validation.nothing_estimated", value=None)
        for j, figure in enumerate(population.published):
            if figure.wave not in waves:
                at(*here, "published", j, "wave", key="validation.unknown_wave",
                   value=figure.wave, wave=figure.wave)  # fmt: skip
    return problems
