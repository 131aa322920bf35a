"""Population margins as editable data files, each figure with its source and how sure it is.

One YAML file per population in ``data/margins/``: the weighting variables, their targets (shares
summing to 1), a tag (C: read in the source, D: derived by arithmetic, E: estimate) and a note, and
the sources. The methods appendix prints all of it; :meth:`PopulationMargins.targets` gives what
:func:`alliance.survey.rake` needs.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from alliance.errors import DataFileError
from alliance.referential.model import LocalizedText, Strict
from alliance.yaml_document import YamlDocument

__all__ = ["MARGINS_DIR", "MarginSource", "PopulationMargins", "VariableMargins", "load_margins"]

MARGINS_DIR = Path(__file__).parent / "data" / "margins"


class MarginSource(Strict):
    """A published table the margins come from."""

    code: str
    title: str
    url: str


class VariableMargins(Strict):
    """Targets of one weighting variable, with their provenance."""

    tag: Literal["C", "D", "E"]
    source: str
    note: LocalizedText
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

    population: str
    title: LocalizedText
    population_total: float = Field(gt=0)
    total_source: str
    variables: dict[str, VariableMargins] = Field(min_length=1)
    sources: list[MarginSource] = Field(min_length=1)
    digest: str = ""

    @model_validator(mode="after")
    def _sources_exist(self) -> PopulationMargins:
        known = {source.code for source in self.sources}
        cited = {v.source for v in self.variables.values()} | {self.total_source}
        missing = sorted(cited - known)
        if missing:
            raise PydanticCustomError(
                "margins_source", "unknown source {source}", {"source": missing[0]}
            )
        return self

    def targets(self) -> dict[str, dict[str, float]]:
        """Return the margins as :func:`alliance.survey.rake` takes them."""
        return {name: dict(variable.targets) for name, variable in self.variables.items()}

    def source(self, code: str) -> MarginSource:
        """Return the source called ``code``."""
        return next(source for source in self.sources if source.code == code)


@cache
def load_margins(population: str, folder: Path = MARGINS_DIR) -> PopulationMargins:
    """Read the margins file of ``population`` (``<folder>/<population>.yaml``)."""
    path = folder / f"{population}.yaml"
    doc = YamlDocument(
        path,
        missing_key="survey.file_missing",
        file_error=DataFileError,
        validation_error=DataFileError,
    )
    margins = doc.validate(PopulationMargins, doc.data)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return margins.model_copy(update={"digest": digest})
