"""Problems found in responses: what, where, how serious, in French and English.

Checking a file against its questionnaire finds many problems at once; each is a
:class:`Problem` (a message key, its parameters and a :class:`~alliance.errors.Location`), so the
report can be a table for people or CSV / JSON for scripts, in either language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from alliance.errors import Location
from alliance.i18n import Lang
from alliance.messages import render

__all__ = ["PROBLEM_COLUMNS", "Problem", "Severity"]

Severity = Literal["error", "warning"]

#: Columns of a problem report, in this order.
PROBLEM_COLUMNS = ["severity", "file", "line", "row", "column", "value", "message"]


@dataclass(frozen=True)
class Problem:
    """One problem: an ``error`` refuses the row or the file, a ``warning`` is only reported."""

    key: str
    location: Location
    severity: Severity = "error"
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: Lang) -> str:
        """Return what is wrong, without the place (a problem quoted in another, in ``lang``)."""
        params = {
            name: value.text(lang) if isinstance(value, Problem) else value
            for name, value in self.params.items()
        }
        return render(self.key, lang, **params)

    def message(self, lang: Lang) -> str:
        """Return what is wrong, then where."""
        where = self.location.describe(lang)
        return f"{self.text(lang)} ({where})" if where else self.text(lang)

    def record(self, lang: Lang) -> dict[str, Any]:
        """Return the problem as one row of a report."""
        return {
            "severity": self.severity,
            "file": self.location.file,
            "line": self.location.line,
            "row": self.location.row,
            "column": self.location.field,
            "value": self.location.value,
            "message": self.text(lang),
        }
