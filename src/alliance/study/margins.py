"""Weighting margins of a population, as a file: our documented YAML or the ``--rake`` JSON.

The YAML format documents every figure: the weighting variables, their targets (shares summing to
1), a tag (C: read in the source, D: derived by arithmetic, E: estimate), a note, and the sources.
The methods appendix and the « fiche technique » print all of it. The JSON format
(``{"VAR": {"LEVEL": share}, "population_total": N}``) is what ``alliance survey rake`` takes;
its figures have no documented source. Either way :class:`PopulationMargins` is what a study
weights with.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from alliance.errors import DataFileError, Location
from alliance.referential.model import LocalizedText, Strict
from alliance.survey.io import read_margins
from alliance.validation import message_for
from alliance.yaml_document import YamlDocument

__all__ = ["MarginSource", "PopulationMargins", "VariableMargins", "load_margins"]


class MarginSource(Strict):
    """A published table the margins come from."""

    code: str
    title: str
    url: str = ""


class VariableMargins(Strict):
    """Targets of one weighting variable, with their provenance when documented."""

    tag: Literal["C", "D", "E"] | None = None
    source: str | None = None
    note: LocalizedText | None = None
    targets: dict[str, float] = Field(min_length=2)

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> VariableMargins:
        total = sum(self.targets.values())
        if abs(total - 1) > 1e-6:
            raise PydanticCustomError(
                "margins_sum", "targets sum to {total}, not 1", {"total": round(total, 6)}
            )
        return self


class PopulationMargins(Strict):
    """The structure of one population: its size and the margins of its weighting variables."""

    population: str = ""
    title: LocalizedText | None = None
    population_total: float | None = Field(default=None, gt=0)
    total_source: str | None = None
    variables: dict[str, VariableMargins] = Field(min_length=1)
    sources: list[MarginSource] = Field(default_factory=list)
    file: str = ""
    digest: str = ""

    @model_validator(mode="after")
    def _sources_exist(self) -> PopulationMargins:
        known = {source.code for source in self.sources}
        cited = {v.source for v in self.variables.values()} | {self.total_source}
        missing = sorted(code for code in cited - known if code is not None)
        if missing:
            raise PydanticCustomError(
                "margins_source", "unknown source {source}", {"source": missing[0]}
            )
        return self

    def targets(self) -> dict[str, dict[str, float]]:
        """Return the margins as :func:`alliance.survey.rake` takes them."""
        return {name: dict(variable.targets) for name, variable in self.variables.items()}

    def source(self, code: str | None) -> MarginSource | None:
        """Return the source called ``code``."""
        return next((source for source in self.sources if source.code == code), None)


def load_margins(path: Path) -> PopulationMargins:
    """Read a margins file: ``.json`` as ``alliance survey rake --rake``, else our YAML."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    if path.suffix.lower() == ".json":
        margins, total = read_margins(path)
        variables = {}
        for name, targets in margins.items():
            values = {str(k): float(v) for k, v in targets.items()}
            scale = sum(values.values())
            if total is not None and abs(scale - total) <= 1e-6 * total:
                values = {k: v / total for k, v in values.items()}  # totals given, not shares
            try:
                variables[name] = VariableMargins(targets=values)
            except ValidationError as error:
                detail = error.errors()[0]
                key, params = message_for(detail)
                if detail["type"] == "margins_sum":
                    key, params = "study.margins_sum", {"variable": name, "total": f"{scale:g}"}
                raise DataFileError(key, Location(file=path.name, field=name), **params) from None
        return PopulationMargins(
            population_total=total, variables=variables, file=path.name, digest=digest
        )
    doc = YamlDocument(
        path,
        missing_key="survey.file_missing",
        file_error=DataFileError,
        validation_error=DataFileError,
    )
    margins_doc = doc.validate(PopulationMargins, doc.data)
    return margins_doc.model_copy(update={"digest": digest, "file": path.name})
