"""One file of a study, checked in the study's context: how it was read and what is wrong with it.

The workspace shows an analyst, as soon as a delivery is uploaded, how it was read (format,
encoding, separator, decimal mark, sheet, rows, columns) and its validation report against the
questionnaire of the population whose wave it is, with the rows the check rejects. The same
readers and checks as :func:`alliance.study.check.prepare_study` are used (one home for each), so
what the page says is what the run will find.

:func:`named_files` lists what ``study.yaml`` names (questionnaires, margins, mappings, waves);
:func:`check_file` checks one of them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Literal

import polars as pl

from alliance.errors import AllianceError, Location
from alliance.study.check import check_wave, read_questionnaire
from alliance.study.definition import (
    PopulationDefinition,
    StudyDefinition,
    WaveDefinition,
    load_definition,
)
from alliance.study.margins import load_margins
from alliance.survey.io import Responses, read_responses
from alliance.survey.io.mapping import read_mapping
from alliance.survey.problems import Problem
from alliance.survey.questionnaire import Questionnaire

__all__ = ["FileReport", "NamedFile", "Role", "check_file", "named_files", "reading_of"]

#: What a file is to its study.
Role = Literal["definition", "questionnaire", "margins", "mapping", "wave", "notebook"]

#: The name of a study's definition, at the root of its folder.
DEFINITION = "study.yaml"
#: The problem keys that say a column matches no item (the columns the mapping page offers).
UNKNOWN_COLUMN = "validation_rows.column_unknown"


@dataclass(frozen=True)
class NamedFile:
    """A file ``study.yaml`` names, and what it is for."""

    path: str
    role: Role
    population: str | None = None
    wave: str | None = None


@dataclass(frozen=True)
class FileReport:
    """One file checked: what it is, how it was read, its problems and the rows it loses."""

    path: str
    role: Role | None
    population: str | None = None
    wave: str | None = None
    #: How it was read (waves only): format, encoding, separator, decimal, sheet, rows, columns.
    reading: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: The rows refused by the check, with their reasons and their row or line in the file.
    rejected: pl.DataFrame | None = None
    #: The wave's columns that match no questionnaire item.
    unknown_columns: list[str] = field(default_factory=list)
    #: The questionnaire's item names (to map unknown columns to).
    items: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Problems that refuse rows or the file."""
        return [p for p in self.problems if p.severity == "error"]


def normalised(path: str) -> str:
    """Return a path of the study folder as ``study.yaml`` and uploads compare (``./a`` = ``a``)."""
    return posixpath.normpath(path.replace("\\", "/"))


def named_files(definition: StudyDefinition) -> list[NamedFile]:
    """Return every file ``definition`` names, once each, in the definition's order."""
    found: dict[str, NamedFile] = {DEFINITION: NamedFile(DEFINITION, "definition")}

    def add(path: str | None, role: Role, population: str | None, wave: str | None = None) -> None:
        if path is not None:
            found.setdefault(normalised(path), NamedFile(normalised(path), role, population, wave))

    if definition.notebook:
        add(definition.notebook, "notebook", None)
    for population in definition.populations:
        code = population.population
        add(population.questionnaire, "questionnaire", code)
        add(population.margins, "margins", code)
        add(population.mapping, "mapping", code)
        for wave in population.waves:
            add(wave.file, "wave", code, wave.wave)
            add(wave.margins, "margins", code, wave.wave)
    return list(found.values())


def reading_of(responses: Responses) -> dict[str, Any]:
    """Say how a file of responses was read, as the page and the API show it."""
    return {
        "format": responses.format,
        "encoding": responses.encoding,
        "separator": responses.separator,
        "decimal": "," if responses.decimal_comma else ".",
        "sheet": responses.sheet,
        "rows": responses.frame.height,
        "columns": responses.frame.width,
        "column_names": list(responses.frame.columns),
        "description": responses.describe(),
    }


def check_file(study_yaml: Path, path: str) -> FileReport:
    """Check the file at ``path`` (relative to ``study_yaml``'s folder) as its study uses it.

    A wave is read as the run reads it and validated against its population's questionnaire
    (with the population's mapping, strictly or leniently as the wave says); a questionnaire,
    margins or mapping file is loaded. A file the definition does not name is not checked. When
    ``study.yaml`` itself cannot be read, its problems are the report's.
    """
    wanted = normalised(path)
    definition, problems, _doc = load_definition(study_yaml)
    if wanted == DEFINITION or definition is None:
        return FileReport(path=wanted, role="definition" if wanted == DEFINITION else None,
                          problems=problems)  # fmt: skip
    named = next((f for f in named_files(definition) if f.path == wanted), None)
    if named is None:
        return FileReport(path=wanted, role=None)
    target = definition.path(wanted)
    if named.role == "wave":
        population = definition.population(named.population or "")
        wave = next(w for w in population.waves if normalised(w.file) == wanted)
        return _check_wave(definition, population, wave)
    loaders: dict[str, Callable[[Path], Any]] = {
        "questionnaire": read_questionnaire,
        "margins": load_margins,
        "mapping": read_mapping,
    }
    found: list[Problem] = []
    loader = loaders.get(named.role)
    if loader is not None:
        _load(loader, target, wanted, found)
    return FileReport(
        path=wanted, role=named.role, population=named.population, wave=named.wave, problems=found
    )


def _load(loader: Callable[[Path], Any], target: Path, path: str, problems: list[Problem]) -> Any:
    """Load a file; a missing file or an error becomes a problem (never raised)."""
    if not target.is_file():
        problems.append(
            Problem("study.file_missing", Location(file=path, value=path), params={"path": path})
        )
        return None
    try:
        return loader(target)
    except AllianceError as error:
        location = error.location
        if location.file and Path(location.file).is_absolute():  # the server's folder: not shown
            location = replace(location, file=path)
        params = {k: path if v == str(target) else v for k, v in error.params.items()}
        problems.append(Problem(error.key, location, params=params))
        return None


def _check_wave(
    study: StudyDefinition, population: PopulationDefinition, wave: WaveDefinition
) -> FileReport:
    """Read a wave and check it against its population's questionnaire and mapping."""
    problems: list[Problem] = []
    questionnaire: Questionnaire | None = _load(
        read_questionnaire, study.path(population.questionnaire), population.questionnaire, problems
    )
    mapping = None
    if population.mapping:
        mapping = _load(read_mapping, study.path(population.mapping), population.mapping, problems)
    path = normalised(wave.file)
    responses: Responses | None = _load(
        partial(read_responses, sheet=wave.sheet), study.path(path), path, problems
    )
    report = partial(
        FileReport, path=path, role="wave", population=population.population, wave=wave.wave
    )
    items = [item.name for item in questionnaire.items] if questionnaire else []
    if responses is None:
        return report(problems=problems, items=items)
    reading = reading_of(responses)
    if questionnaire is None:
        return report(reading=reading, problems=problems, items=items)
    checked = check_wave(responses, questionnaire, mapping, wave.validation)
    problems += checked.problems
    unknown = [str(p.params["column"]) for p in checked.problems if p.key == UNKNOWN_COLUMN]
    return report(
        reading=reading,
        problems=problems,
        rejected=checked.rejected,
        unknown_columns=unknown,
        items=items,
    )
