"""What collection tools add to their exports, so their files import without hand editing.

- **KoboToolbox** (and ODK) exports name columns by XLSForm path, ``group/subgroup/question``, and
  write a ``select_multiple`` answer either as one column of space-separated choices or as one
  0/1 column per choice, ``group/question/choice``. They add metadata columns (``_uuid``,
  ``_submission_time``, ``start``…), ``_uuid`` being the submission's identifier.
- **LimeSurvey** CSV exports name columns by question code, subquestions as ``Q5[SQ001]`` (or by
  full question text), answers by code or by full answer text, and add ``id``, ``submitdate``,
  ``lastpage``, ``startlanguage``, ``seed``…

:func:`detect_tool` recognises the tool from the columns; :func:`candidate_names` gives the names
under which a column may match an item (``group/question`` → ``question``, ``group/q/choice`` and
``q[choice]`` → ``q.choice``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Tool", "candidate_names", "detect_tool"]


@dataclass(frozen=True)
class Tool:
    """A collection tool: its name, the metadata columns it adds, its submission id column."""

    name: str
    metadata: frozenset[str]
    id_column: str

    def is_metadata(self, column: str) -> bool:
        """Tell whether ``column`` is one of the tool's own columns, not an answer."""
        return column in self.metadata or (self.name == "kobotoolbox" and column.startswith("_"))


KOBO = Tool(
    name="kobotoolbox",
    metadata=frozenset(
        {
            "start", "end", "today", "deviceid", "username", "phonenumber", "simserial",
            "subscriberid", "audit", "__version__", "meta/instanceID", "meta/rootUuid",
            "meta/deprecatedID", "formhub/uuid",
        }
    ),
    id_column="_uuid",
)  # fmt: skip
LIMESURVEY = Tool(
    name="limesurvey",
    metadata=frozenset(
        {
            "id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp",
            "ipaddr", "refurl", "token", "interviewtime",
        }
    ),
    id_column="id",
)  # fmt: skip


def detect_tool(columns: Sequence[str]) -> Tool | None:
    """Recognise a KoboToolbox or LimeSurvey export from its columns.

    Examples
    --------
    >>> detect_tool(["start", "grp/q1", "_uuid"]).name
    'kobotoolbox'
    >>> detect_tool(["id", "submitdate", "lastpage", "startlanguage", "Q1"]).name
    'limesurvey'
    >>> detect_tool(["id", "q1"]) is None
    True
    """
    present = set(columns)
    if {"_uuid", "_submission_time"} & present:
        return KOBO
    if {"submitdate", "lastpage", "startlanguage"} <= present:
        return LIMESURVEY
    return None


def candidate_names(column: str) -> list[str]:
    """Names under which a column of an export may match an item, most specific first.

    Examples
    --------
    >>> candidate_names("identite/partenariats/mecenat")
    ['identite/partenariats/mecenat', 'partenariats.mecenat', 'mecenat']
    >>> candidate_names("Q5[SQ001]")
    ['Q5[SQ001]', 'Q5.SQ001']
    """
    names = [column]
    bracket = re.fullmatch(r"(.+)\[(.+)\]", column)
    if bracket:
        names.append(f"{bracket.group(1)}.{bracket.group(2)}")
    parts = [part for part in column.split("/") if part]
    if len(parts) >= 3:
        names.append(f"{parts[-2]}.{parts[-1]}")
    if len(parts) >= 2:
        names.append(parts[-1])
    return names
