"""Reading questionnaires from our YAML format, with located errors; the shipped questionnaires.

Besides the shape checked by the model, loading checks that every ``referential`` target names an
item of the referential, so a questionnaire cannot measure a concept that does not exist.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alliance.errors import Location, LookupFailedError, QuestionnaireError
from alliance.referential import default_referential
from alliance.survey.questionnaire.model import Questionnaire
from alliance.survey.questionnaire.xlsform import read_xlsform
from alliance.yaml_document import YamlDocument

__all__ = ["DATA_DIR", "default_questionnaires", "find_questionnaire", "load_questionnaire"]

DATA_DIR = Path(__file__).parent / "data"


def load_questionnaire(path: Path) -> Questionnaire:
    """Read and check a questionnaire YAML file."""
    doc = YamlDocument(
        path,
        missing_key="questionnaire.file_missing",
        file_error=QuestionnaireError,
        validation_error=QuestionnaireError,
    )
    questionnaire = doc.validate(Questionnaire, doc.data)
    referential = default_referential()
    for index, item in enumerate(questionnaire.items):
        for position, target in enumerate(item.referential):
            try:
                referential.item(target)
            except LookupFailedError:
                raise QuestionnaireError(
                    "questionnaire.unknown_target",
                    Location(
                        file=doc.name,
                        line=doc.line_of(("items", index, "referential", position)),
                        item=item.name,
                        field="referential",
                        value=target,
                    ),
                    target=target,
                ) from None
    return questionnaire


@cache
def default_questionnaires() -> dict[str, Questionnaire]:
    """Return the questionnaires shipped with the project (the demo's populations), by code."""
    loaded = [load_questionnaire(path) for path in sorted(DATA_DIR.glob("*.yaml"))]
    return {q.questionnaire: q for q in loaded}


def find_questionnaire(name: str) -> Questionnaire:
    """Return a shipped questionnaire by code, or read a questionnaire file (YAML or XLSForm)."""
    shipped = default_questionnaires()
    if name in shipped:
        return shipped[name]
    path = Path(name)
    if path.suffix.lower() == ".xlsx":
        return read_xlsform(path)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        return load_questionnaire(path)
    raise QuestionnaireError(
        "questionnaire.unknown", name=name, available=", ".join(sorted(shipped))
    )
