"""Which answers a file should hold: skip logic, required items and constraints, row by row.

A questionnaire's ``relevant`` expressions say when an item is asked; a delivered file must then
have no answer where the item was skipped, an answer where a required item was asked, and
answers within their ``constraint``. :func:`logic_checks` turns each rule into a boolean Polars
mask over the already recoded answers (so a label written for a code counts as that code), in
the shape :func:`alliance.survey.validation.check_responses` reports every other problem.

What counts as an answer: a cell that is not empty; for a multiple choice given as one 0/1
column per choice, at least one choice ticked (a row of zeros is no answer someone gave, and
pollsters write zeros for skipped items as often as blanks).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from alliance.survey.questionnaire.logic import ColumnKind
from alliance.survey.questionnaire.model import ItemType, Question, Questionnaire

__all__ = ["logic_checks"]

#: (source column, message key, message parameters, rows with the problem)
Check = tuple[str, str, dict[str, Any], pl.Expr]


def logic_checks(
    frame: pl.DataFrame, questionnaire: Questionnaire, columns: Mapping[str, str]
) -> tuple[pl.DataFrame, list[Check]]:
    """Return the skip-logic, required and constraint checks of ``frame`` (recoded answers).

    ``columns`` maps each present target name (``item`` or ``item.code``) to its source column.
    Returns the frame with one text column added per multiple choice given as 0/1 columns (what
    ``${item}`` reads), and the checks to evaluate on it.
    """
    ruled = [item for item in questionnaire.items if item.relevant or item.constraint]
    if not ruled:  # a questionnaire without skip logic: nothing to compute on a big file
        return frame, []
    named = {n for item in ruled for n in _names(item)}
    read = named | {item.name for item in ruled if item.constraint}
    frame = _with_multiple_texts(frame, questionnaire, columns, read)
    kinds: dict[str, ColumnKind] = {
        name: "number" if dtype.is_numeric() else "text" for name, dtype in frame.schema.items()
    }
    absent = sorted(named - set(frame.columns))
    frame = frame.with_columns([pl.lit(None, dtype=pl.String).alias(n) for n in absent])
    kinds |= dict.fromkeys(absent, "text")
    checks: list[Check] = []
    for item in ruled:
        source = _source(item, questionnaire, columns)
        if source is None:
            continue
        answered = _answered(item, questionnaire, frame, columns)
        relevance = item.relevance
        asked = relevance.to_polars(kinds) if relevance else pl.lit(True)
        if relevance is not None:
            condition: dict[str, Any] = {"condition": relevance.text}
            checks.append((source, "validation_rows.not_relevant", condition, answered & ~asked))
            if item.required:
                missing = asked & ~answered
                checks.append((source, "validation_rows.required_when", condition, missing))
        validity = item.validity
        if validity is not None:
            holds = validity.to_polars(kinds, current=item.name)
            message = item.constraint_message
            said = {"fr": f" : {message.fr}", "en": f": {message.en}"} if message else ""
            params = {"constraint": validity.text, "message": said}
            checks.append((source, "validation_rows.constraint", params, answered & asked & ~holds))
    return frame, checks


def _names(item: Question) -> set[str]:
    return set().union(*(e.names for e in (item.relevance, item.validity) if e is not None))


def _choice_columns(
    item: Question, questionnaire: Questionnaire, columns: Mapping[str, str]
) -> list[tuple[str, str]]:
    """(code, target name) of a multiple choice's 0/1 columns present in the file."""
    scale = questionnaire.scale_of(item)
    if item.type is not ItemType.SELECT_MULTIPLE or scale is None:
        return []
    return [(str(c), f"{item.name}.{c}") for c in scale.codes() if f"{item.name}.{c}" in columns]


def _source(item: Question, questionnaire: Questionnaire, columns: Mapping[str, str]) -> str | None:
    """Name the file's column a problem of ``item`` is reported in (the first of 0/1 columns)."""
    if item.name in columns:
        return columns[item.name]
    choices = _choice_columns(item, questionnaire, columns)
    return columns[choices[0][1]] if choices else None


def _answered(
    item: Question, questionnaire: Questionnaire, frame: pl.DataFrame, columns: Mapping[str, str]
) -> pl.Expr:
    if item.name not in columns:  # 0/1 columns: at least one ticked
        ticks = [pl.col(name) == 1 for _, name in _choice_columns(item, questionnaire, columns)]
        return pl.any_horizontal(ticks).fill_null(False)
    values = pl.col(item.name)
    if frame.schema[item.name] == pl.String:
        return (values.is_not_null() & (values.str.strip_chars() != "")).fill_null(False)
    if frame.schema[item.name].is_float():
        return values.is_not_null() & values.is_not_nan()
    return values.is_not_null()


def _with_multiple_texts(
    frame: pl.DataFrame, questionnaire: Questionnaire, columns: Mapping[str, str], read: set[str]
) -> pl.DataFrame:
    """Add ``item`` as space-separated codes for each 0/1-column multiple choice in ``read``."""
    added = []
    for item in questionnaire.items:
        choices = _choice_columns(item, questionnaire, columns)
        if item.name in columns or item.name not in read or not choices:
            continue
        ticked = [pl.when(pl.col(name) == 1).then(pl.lit(code)) for code, name in choices]
        added.append(pl.concat_str(ticked, separator=" ", ignore_nulls=True).alias(item.name))
    return frame.with_columns(added) if added else frame
