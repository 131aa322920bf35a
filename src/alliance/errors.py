"""The errors of Alliance Observatory: one hierarchy, each error with a place and two languages.

Users must learn *what* went wrong and *where* (file, line, column, item, field, value), in French
or English, without a traceback. Every error therefore carries a message key from
:mod:`alliance.messages`, the parameters of that message and a :class:`Location`.

The tree::

    AllianceError
    ├── ReferentialError              the frameworks' data cannot be used
    │   ├── ReferentialFileError          a YAML file cannot be read or parsed
    │   ├── ReferentialValidationError    a field of an item is missing or invalid
    │   └── ReferentialReferenceError     a code points to nothing (parent, link, source)
    ├── LookupFailedError             a framework or item code asked for does not exist
    ├── DiagnosticError               the diagnostic instrument or an answer is invalid
    ├── EvaluationError               a partnership's qualification or evaluation is invalid
    ├── ConfirmationError             an irreversible action lacks its exact confirmation
    ├── OrganisationError             an organisation's details, members or invitations are refused
    ├── ConflictError                 a change rests on data someone else has changed since
    ├── RequestError                  a web or API request is refused (bad input, unknown, too big)
    ├── FileWriteError                a file cannot be written (disk full, no permission)
    ├── StudyInvalidError             a study's definition or files have problems (every one listed)
    ├── RegistryFileError             an RNA or SIRENE file cannot be read at all
    └── SurveyError                   a survey design or estimate cannot be computed
        ├── DesignError                   the design's columns are missing or inconsistent
        ├── MarginError                   weighting targets and sample categories disagree
        ├── ConvergenceError              raking did not reach its targets
        ├── DataFileError                 a data or targets file cannot be read or written
        ├── QuestionnaireError            a questionnaire file is missing or invalid
        └── ResponsesInvalidError         responses break their questionnaire (strict import)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from alliance.i18n import Lang, default_lang
from alliance.messages import render

__all__ = [
    "AllianceError",
    "ConfirmationError",
    "ConflictError",
    "ConvergenceError",
    "DataFileError",
    "DesignError",
    "DiagnosticError",
    "EvaluationError",
    "FileWriteError",
    "Location",
    "LookupFailedError",
    "MarginError",
    "OrganisationError",
    "QuestionnaireError",
    "ReferentialError",
    "ReferentialFileError",
    "ReferentialReferenceError",
    "ReferentialValidationError",
    "RegistryFileError",
    "RequestError",
    "ResponsesInvalidError",
    "StudyInvalidError",
    "SurveyError",
]


@dataclass(frozen=True)
class Location:
    """Where a problem is. Every part is optional; the message shows the parts that are known."""

    file: str | None = None
    line: int | None = None
    row: int | None = None
    column: int | None = None
    item: str | None = None
    field: str | None = None
    value: Any = None

    def describe(self, lang: Lang) -> str:
        """Return the known parts, in order, as ``part value`` pairs joined by commas.

        Examples
        --------
        >>> Location(file="levers.yaml", line=12, item="salaries", field="label.en").describe("en")
        "file levers.yaml, line 12, item 'salaries', field 'label.en'"
        >>> Location(file="levers.yaml", line=12).describe("fr")
        'fichier levers.yaml, ligne 12'
        """
        parts = []
        for part in fields(self):
            value = getattr(self, part.name)
            if value is None:
                continue
            shown = repr(value) if part.name in {"item", "field", "value"} else str(value)
            parts.append(render(f"location.{part.name}", lang, value=shown))
        return ", ".join(parts)


class AllianceError(Exception):
    """Root of every error the project raises on purpose.

    Parameters
    ----------
    key
        Message key in :mod:`alliance.messages`.
    location
        Where the problem is.
    **params
        Values for the message's placeholders.
    """

    def __init__(self, key: str, location: Location | None = None, **params: Any) -> None:
        self.key = key
        self.location = location or Location()
        self.params = params
        super().__init__(self.message(default_lang()))

    def message(self, lang: Lang) -> str:
        """Return the full message in ``lang``: what went wrong, then where."""
        text = render(self.key, lang, **self.params)
        where = self.location.describe(lang)
        return f"{text} ({where})" if where else text


class ReferentialError(AllianceError):
    """The referential data cannot be loaded."""


class ReferentialFileError(ReferentialError):
    """A referential file is missing, unreadable or not valid YAML."""


class ReferentialValidationError(ReferentialError):
    """A field of a referential file is missing or has an invalid value."""


class ReferentialReferenceError(ReferentialError):
    """A code in the referential points to an item, framework or source that does not exist."""


class LookupFailedError(AllianceError, LookupError):
    """A framework or an item was asked for by a code that does not exist."""


class SurveyError(AllianceError):
    """A survey design, a weighting or an estimate cannot be computed."""


class DesignError(SurveyError):
    """A design column is missing, has missing or invalid values, or strata and PSUs disagree."""


class MarginError(SurveyError):
    """A weighting target names a category absent from the sample, or the reverse."""


class ConvergenceError(SurveyError):
    """Raking stopped at its iteration limit before every margin reached its target."""


class DataFileError(SurveyError):
    """A survey data or weighting targets file is missing, unreadable or malformed."""


class QuestionnaireError(SurveyError):
    """A questionnaire (YAML or XLSForm) is missing, unreadable or invalid."""


class ResponsesInvalidError(SurveyError):
    """Responses break their questionnaire; ``problems`` lists every problem found."""

    def __init__(self, key: str, location: Location | None = None, **params: Any) -> None:
        self.problems: list[Any] = params.pop("problems", [])
        super().__init__(key, location, **params)


class DiagnosticError(AllianceError):
    """The diagnostic instrument is invalid, or an answer does not fit its question."""


class EvaluationError(AllianceError):
    """A partnership's qualification or evaluation does not fit the referential."""


class OrganisationError(AllianceError):
    """An organisation's details, a change of its members or an invitation is refused."""


class ConfirmationError(AllianceError):
    """An irreversible action (erasing an organisation) was asked without its exact confirmation."""


class ConflictError(AllianceError):
    """A change was based on a version that another change has replaced since (a lost update).

    Nothing is written: the person reloads what is there now, then decides.
    """


class RequestError(AllianceError):
    """A request to the site or the API is refused: its input, its size or its target is wrong.

    The web door answers it with its HTTP status, the message in the request's language and in
    both (``{detail, key, messages}``), so API clients and pages say the same thing.
    """


class FileWriteError(AllianceError):
    """A file cannot be written: the disk is full, or the folder cannot be written to."""


class StudyInvalidError(AllianceError):
    """A study cannot run: ``problems`` lists every problem of its definition and files."""

    def __init__(self, key: str, location: Location | None = None, **params: Any) -> None:
        self.problems: list[Any] = params.pop("problems", [])
        super().__init__(key, location, **params)


class RegistryFileError(AllianceError):
    """A registry file (RNA, SIRENE) cannot be read at all: missing, or not the expected format."""
