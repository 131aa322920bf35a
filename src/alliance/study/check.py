"""Checking a study: its definition and every file it names, every problem at once, nothing written.

:func:`prepare_study` reads ``study.yaml``, then each population's questionnaire, margins and
mapping, then each wave's file, validated against the questionnaire (strictly, as
``alliance survey validate``). It then checks that what the definition asks for exists: items to
estimate and their codes, segments, design columns, margin variables and their categories in
every wave. Every problem is collected with its place (file, line or row, column, value); the run
starts only from a study without errors, and reuses what was read here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl

from alliance.errors import AllianceError, Location, SurveyError
from alliance.study.definition import (
    PopulationDefinition,
    StudyDefinition,
    load_definition,
    population_path,
)
from alliance.study.margins import PopulationMargins, load_margins
from alliance.study.stopwatch import Stopwatch
from alliance.survey import Design
from alliance.survey.columns import code_text, missing_mask
from alliance.survey.io import Responses, read_responses
from alliance.survey.io.mapping import read_mapping
from alliance.survey.problems import Problem
from alliance.survey.questionnaire import ItemType, Questionnaire, load_questionnaire, read_xlsform
from alliance.survey.validation import FILE_PROBLEMS, Checked, check_responses
from alliance.yaml_document import YamlDocument

__all__ = [
    "PreparedPopulation",
    "PreparedStudy",
    "PreparedWave",
    "check_wave",
    "prepare_study",
    "read_questionnaire",
]


@dataclass(frozen=True)
class PreparedWave:
    """A wave's file, read and validated: what the run weights and estimates."""

    wave: str
    path: Path
    sha256: str
    responses: Responses
    margins: PopulationMargins | None

    @property
    def frame(self) -> pl.DataFrame:
        """The valid responses, with missing codes (« ne sait pas ») as missing values."""
        return self.responses.for_estimates()


@dataclass(frozen=True)
class PreparedPopulation:
    """A population with its questionnaire, margins and waves, all read and checked."""

    definition: PopulationDefinition
    questionnaire: Questionnaire
    questionnaire_sha256: str
    margins: PopulationMargins | None
    waves: list[PreparedWave]


@dataclass(frozen=True)
class PreparedStudy:
    """A study ready to run (when ``problems`` has no error)."""

    path: Path
    definition: StudyDefinition | None
    populations: list[PreparedPopulation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Problems that stop the run."""
        return [p for p in self.problems if p.severity == "error"]


def prepare_study(path: Path, *, stopwatch: Stopwatch | None = None) -> PreparedStudy:
    """Read and check ``study.yaml`` and every file it names; collect every problem."""
    clock = stopwatch or Stopwatch()
    with clock.step("read", path.name):
        definition, problems, doc = load_definition(path)
    if definition is None or doc is None:
        return PreparedStudy(path=path, definition=None, problems=problems)
    if definition.notebook and not definition.path(definition.notebook).is_file():
        problems.append(
            Problem(
                "study.file_missing",
                Location(
                    file=doc.name,
                    line=doc.line_of(("notebook",)),
                    field="notebook",
                    value=definition.notebook,
                ),
                params={"path": str(definition.path(definition.notebook))},
            )
        )
    populations = []
    for population in definition.populations:
        where = population_path(doc, population.population)
        checker = _PopulationCheck(definition, population, doc, where, clock)
        prepared = checker.run()
        problems += checker.problems
        if prepared is not None:
            populations.append(prepared)
    return PreparedStudy(
        path=path, definition=definition, populations=populations, problems=problems
    )


class _PopulationCheck:
    """The checks of one population, which add to ``problems`` and never stop at the first."""

    def __init__(
        self,
        study: StudyDefinition,
        population: PopulationDefinition,
        doc: YamlDocument,
        where: tuple[str | int, ...],
        clock: Stopwatch,
    ) -> None:
        self.clock = clock
        self.study = study
        self.population = population
        self.doc = doc
        self.where = where
        self.problems: list[Problem] = []

    def here(self, *path: str | int, value: Any = None) -> Location:
        """Return a place in ``study.yaml``."""
        full = (*self.where, *path)
        return Location(
            file=self.doc.name,
            line=self.doc.line_of(full),
            field=".".join(str(p) for p in full),
            value=value,
        )

    def add(self, key: str, location: Location, **params: Any) -> None:
        self.problems.append(Problem(key, location, params=params))

    def load(self, loader: Callable[[Path], Any], relative: str, *path: str | int) -> Any:
        """Load a file the definition names; a failure becomes a problem pointing at both."""
        target = self.study.path(relative)
        if not target.exists():
            self.add("study.file_missing", self.here(*path, value=relative), path=str(target))
            return None
        try:
            return loader(target)
        except AllianceError as error:
            self.problems.append(Problem(error.key, error.location, params=error.params))
            return None

    def run(self) -> PreparedPopulation | None:
        p = self.population
        questionnaire = self.load(read_questionnaire, p.questionnaire, "questionnaire")
        margins = self.load(load_margins, p.margins, "margins") if p.margins else None
        mapping = self.load(read_mapping, p.mapping, "mapping") if p.mapping else None
        if questionnaire is not None:
            self.check_requests(questionnaire)
        waves = []
        for index, wave in enumerate(p.waves):
            wave_margins = margins
            if wave.margins:
                wave_margins = self.load(load_margins, wave.margins, "waves", index, "margins")
            with self.clock.step("read", wave.file):
                responses = self.load(
                    partial(read_responses, sheet=wave.sheet),
                    wave.file,
                    "waves",
                    index,
                    "file",
                )
            if responses is None or questionnaire is None:
                continue
            with self.clock.step("check", wave.file):
                checked = check_wave(responses, questionnaire, mapping, wave.validation)
            self.problems += checked.problems
            if checked.file_errors:
                continue
            target = self.study.path(wave.file)
            prepared = PreparedWave(
                wave=wave.wave,
                path=target,
                sha256=hashlib.sha256(target.read_bytes()).hexdigest(),
                responses=checked.responses,
                margins=wave_margins,
            )
            # The valid rows are checked too, so a wave with bad rows still gets its margins
            # and design checked; it is not run.
            self.check_wave(prepared)
            if not checked.errors:
                waves.append(prepared)
        if questionnaire is None or len(waves) != len(p.waves):
            return None
        if margins is None and p.margins:
            return None
        content = questionnaire.model_dump_json().encode()
        return PreparedPopulation(
            definition=p,
            questionnaire=questionnaire,
            questionnaire_sha256=hashlib.sha256(content).hexdigest(),
            margins=margins,
            waves=waves,
        )

    def check_requests(self, questionnaire: Questionnaire) -> None:
        """Items to estimate exist, with codes of their scale; means are numbers."""
        names = {item.name for item in questionnaire.items}
        for index, spec in enumerate(self.population.shares):
            if spec.item not in names:
                self.add(
                    "study.item_unknown",
                    self.here("shares", index, "item", value=spec.item),
                    item=spec.item,
                    questionnaire=questionnaire.questionnaire,
                )
                continue
            scale = questionnaire.scale_of(questionnaire.item(spec.item))
            known = {str(code) for code in scale.codes()} if scale else set()
            for position, code in enumerate(spec.codes):
                if scale is not None and str(code) not in known:
                    self.add(
                        "study.code_unknown",
                        self.here("shares", index, "codes", position, value=code),
                        code=str(code),
                        item=spec.item,
                        codes=", ".join(sorted(known)),
                    )
        for index, name in enumerate(self.population.means):
            if name not in names:
                self.add(
                    "study.item_unknown",
                    self.here("means", index, value=name),
                    item=name,
                    questionnaire=questionnaire.questionnaire,
                )
            elif questionnaire.item(name).type not in (ItemType.INTEGER, ItemType.DECIMAL):
                self.add("study.mean_not_numeric", self.here("means", index, value=name), item=name)
        for figure_index, figure in enumerate(self.population.published):
            if self.population.share(figure.item) is None:
                self.add(
                    "study.published_not_estimated",
                    self.here("published", figure_index, "item", value=figure.item),
                    item=figure.item,
                )

    def check_design(self, wave: PreparedWave) -> None:
        """Build the wave's design (strata, PSUs, fpc, weights) to report what stops it."""
        spec = self.population.design.spec()
        if any(column not in wave.frame.columns for column in spec.columns):
            return  # already reported as absent columns
        try:
            Design.from_spec(wave.frame, spec)
        except SurveyError as error:
            stage = spec.psu_columns[0] if spec.psu_columns else None
            self.problems.append(_design_problem(error, wave, spec.strata or stage))

    def check_wave(self, wave: PreparedWave) -> None:
        """Check that design, segment and margin columns exist; margin categories match."""
        frame = wave.frame
        file = wave.path.name
        wanted = [
            *((column, "design") for column in self.population.design.spec().columns),
            *((column, "segments") for column in self.population.segments),
        ]
        for column, role in wanted:
            if column not in frame.columns:
                self.add(
                    "study.column_absent",
                    Location(file=file, field=column),
                    column=column,
                    role=role,
                    wave=wave.wave,
                )
        self.check_design(wave)
        if wave.margins is None:
            return
        for variable, targets in wave.margins.targets().items():
            if variable not in frame.columns:
                self.add(
                    "study.column_absent",
                    Location(file=file, field=variable),
                    column=variable,
                    role="margins",
                    wave=wave.wave,
                )
                continue
            values = frame[variable]
            missing = missing_mask(values)
            present = values.filter(pl.Series(~missing))
            seen = {code_text(v) for v in present.unique().to_list()}
            for category in targets:
                if category not in seen:
                    self.add(
                        "study.margin_category_absent",
                        Location(file=wave.margins.file, field=variable, value=category),
                        variable=variable,
                        category=category,
                        wave=wave.wave,
                        data=file,
                    )
            for category in sorted(seen - set(targets)):
                self.add(
                    "study.margin_category_untargeted",
                    Location(file=file, field=variable, value=category),
                    variable=variable,
                    category=category,
                    margins=wave.margins.file,
                )
            if missing.any():
                row = int(missing.argmax())
                self.problems.append(
                    Problem(
                        "study.margin_value_missing",
                        wave.responses.location(row, variable),
                        params={"variable": variable, "rows": int(missing.sum())},
                    )
                )


def check_wave(
    responses: Responses,
    questionnaire: Questionnaire,
    mapping: dict[str, str | None] | None,
    validation: str,
) -> Checked:
    """Check a wave's responses as its definition says: strictly, or leniently.

    Lenient: columns matching no item are ignored and rows with problems left out, each reported
    as a warning, so the wave runs on its valid rows; problems of the file as a whole (a required
    item without a column) still refuse it.
    """
    lenient = validation == "lenient"
    checked = check_responses(responses, questionnaire, mapping=mapping, lenient=lenient)
    if not lenient:
        return checked
    problems = [
        p if p.key in FILE_PROBLEMS else replace(p, severity="warning") for p in checked.problems
    ]
    return replace(checked, problems=problems)


def _design_problem(error: SurveyError, wave: PreparedWave, column: str | None) -> Problem:
    """Return the problem of a design that cannot be built, placed in the wave's file."""
    where = error.location
    location = Location(
        file=wave.path.name,
        row=where.row,
        field=where.field or column,
        value=where.value,
    )
    return Problem(error.key, location, params=error.params)


def read_questionnaire(path: Path) -> Questionnaire:
    """Our YAML questionnaire, or an XLSForm."""
    return read_xlsform(path) if path.suffix.lower() == ".xlsx" else load_questionnaire(path)
