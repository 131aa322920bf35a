"""Checking responses against their questionnaire: map columns to items, recode, find every problem.

The checks, in order:

1. **Mapping** each column to an item: by an explicit mapping (``{column: item}``, an item of
   ``null`` ignores the column on purpose), else by name (ignoring case, accents and punctuation),
   else by label (French or English, as LimeSurvey's « full text » headers are). A required item
   without a column is an error; a column matching no item is an error, or, when ``lenient``, a
   warning and the column is left out.
2. **Recoding** answers given as labels (« Très fort », "Strong") to their codes.
3. **Row checks**: codes outside the scale, numbers that are not numbers (or not integers),
   negative or missing weights, missing or duplicate respondent ids, missing answers to required
   items.
4. **Skip logic** (:mod:`alliance.survey.relevance`): answers to items that should have been
   skipped, missing answers to required items that were asked, answers outside a constraint.

Nothing is dropped silently: every rejected row comes back with its reasons, and every problem has
its file, line or row, column and value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from alliance.errors import Location
from alliance.i18n import Lang
from alliance.survey.io.collection_tools import candidate_names, detect_tool
from alliance.survey.io.responses import Responses
from alliance.survey.problems import Problem
from alliance.survey.questionnaire.model import ItemType, Question, Questionnaire, Role
from alliance.survey.relevance import logic_checks
from alliance.text import normalise

__all__ = ["Checked", "check_responses"]

#: Cell problems listed one by one per column and kind; the rest are counted in one more problem.
LISTED_PER_KIND = 100
ROW_INDEX = "__row__"
#: Problems of the file as a whole, which rejecting rows cannot fix.
FILE_PROBLEMS = frozenset(
    {
        "validation_rows.column_missing",
        "validation_rows.column_unknown",
        "validation_rows.mapping_unknown_item",
    }
)


@dataclass(frozen=True)
class Checked:
    """The outcome of a check: the valid responses, the rejected rows and every problem."""

    responses: Responses
    rejected: pl.DataFrame
    problems: list[Problem]
    mapping: dict[str, str]

    @property
    def errors(self) -> list[Problem]:
        """Problems that refuse a row or the file."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def file_errors(self) -> list[Problem]:
        """Errors no row rejection can fix (a missing column, an unknown column when strict)."""
        return [p for p in self.errors if p.key in FILE_PROBLEMS]


def check_responses(
    responses: Responses,
    questionnaire: Questionnaire,
    *,
    mapping: Mapping[str, str | None] | None = None,
    lenient: bool = False,
    lang: Lang = "fr",
) -> Checked:
    """Check ``responses`` against ``questionnaire``; return valid rows, rejected rows, problems."""
    problems: list[Problem] = []
    columns = _map_columns(responses, questionnaire, mapping or {}, problems, lenient=lenient)
    frame = responses.frame.with_row_index(ROW_INDEX).select(
        [ROW_INDEX, *[pl.col(column).alias(name) for name, column in columns.items()]]
    )
    reasons: dict[int, list[str]] = defaultdict(list)
    # Every check is a Polars expression; they run together, in parallel, in two passes: one
    # counts each problem, one builds the cleaned columns. Only problems found are located.
    distinct = _distinct_texts(frame, questionnaire, columns)
    # Codes the file itself declares missing (SPSS user-missing values): answers, not errors.
    declared = {
        name: list(responses.missing_codes[column])
        for name, column in columns.items()
        if responses.missing_codes.get(column)
    }
    cleaned: list[pl.Expr] = [pl.col(ROW_INDEX)]
    checks: list[tuple[str, str, dict[str, Any], pl.Expr]] = []
    for item in questionnaire.items:
        for name, column in _item_columns(item, questionnaire, columns):
            dtype = frame.schema[name]
            clean, bad = _check_item(
                item, questionnaire, name, dtype, distinct.get(name), declared.get(name, [])
            )
            cleaned.append(clean)
            checks += [(column, key, params, mask) for key, mask, params in bad]
    id_item = questionnaire.id_item
    if id_item is not None and id_item.name in columns:
        ids = pl.col(id_item.name).cast(pl.String)
        if frame[id_item.name].is_sorted():  # files ordered by id: duplicates are neighbours
            duplicated = (ids == ids.shift(1)).fill_null(False)
        else:
            duplicated = ~ids.is_first_distinct() & ids.is_not_null()
        checks.append((columns[id_item.name], "validation_rows.duplicate_id", {}, duplicated))
    counts = frame.select([mask.sum().alias(str(i)) for i, (*_, mask) in enumerate(checks)])
    for i, (column, key, params, mask) in enumerate(checks):
        if counts.height and counts[str(i)][0]:
            rows = frame.filter(mask)[ROW_INDEX].to_list()
            _report(responses, rows, column, key, params, problems, reasons, lang)
    result = frame.select(cleaned)
    # Skip logic, required-when-asked and constraints read the recoded answers.
    evaluated, logic = logic_checks(result, questionnaire, columns)
    if logic:
        counts = evaluated.select([mask.sum().alias(str(i)) for i, (*_, mask) in enumerate(logic)])
        for i, (column, key, params, mask) in enumerate(logic):
            if counts[str(i)][0]:
                rows = evaluated.filter(mask)[ROW_INDEX].to_list()
                _report(responses, rows, column, key, params, problems, reasons, lang)
    rejected_rows = sorted(reasons)
    keep = ~result[ROW_INDEX].is_in(rejected_rows)
    original = responses.frame.with_row_index(ROW_INDEX)
    reasons_column = _free_name("reasons", original.columns)
    rejected = original.filter(pl.col(ROW_INDEX).is_in(rejected_rows)).with_columns(
        pl.col(ROW_INDEX)
        .map_elements(lambda i: " ; ".join(reasons[int(i)]), return_dtype=pl.String)
        .alias(reasons_column),
        (pl.col(ROW_INDEX) + responses.first_row).alias(
            _free_name(responses.row_unit, [*original.columns, reasons_column])
        ),
    )
    valid = result.filter(keep).drop(ROW_INDEX)
    missing_codes = {
        name: scale.codes(missing=True)
        for item in questionnaire.items
        if (scale := questionnaire.scale_of(item)) is not None and item.type is ItemType.SELECT_ONE
        for name in [item.name]
        if name in valid.columns and scale.codes(missing=True)
    }
    for name, codes in declared.items():
        if name in valid.columns:
            known = missing_codes.setdefault(name, [])
            known += [_as_code(code) for code in codes if _as_code(code) not in known]
    checked = responses.with_frame(
        valid,
        missing_codes=missing_codes,
        variable_labels={item.name: item.label(lang) for item in questionnaire.items},
        value_labels={
            item.name: {c.code: c.label(lang) for c in scale.choices}
            for item in questionnaire.items
            if (scale := questionnaire.scale_of(item)) is not None
            and item.type is ItemType.SELECT_ONE
        },
    )
    return Checked(
        responses=checked,
        rejected=rejected.drop(ROW_INDEX),
        problems=problems,
        mapping={column: name for name, column in columns.items()},
    )


def _map_columns(
    responses: Responses,
    questionnaire: Questionnaire,
    mapping: Mapping[str, str | None],
    problems: list[Problem],
    *,
    lenient: bool,
) -> dict[str, str]:
    """Return {target name: source column}; report required items without a column, and strays."""
    file = responses.path.name
    targets = _targets(questionnaire)
    by_name = {normalise(name): name for name in targets}
    by_label: dict[str, str] = {}
    for item in questionnaire.items:
        for lang in ("fr", "en"):
            by_label.setdefault(normalise(item.label(lang)), item.name)
    tool = detect_tool(responses.frame.columns)
    found: dict[str, str] = {}
    set_aside: list[str] = []
    for column in responses.frame.columns:
        if column in mapping:
            target = mapping[column]
            if target is None:
                continue
            if target not in targets:
                problems.append(
                    Problem(
                        "validation_rows.mapping_unknown_item",
                        _where(file, column),
                        params={"item": target},
                    )
                )
                continue
        elif tool is not None and tool.is_metadata(column):
            set_aside.append(column)
            continue
        else:
            keys = [normalise(name) for name in candidate_names(column)]
            target = next((by_name[key] for key in keys if key in by_name), None) or next(
                (by_label[key] for key in keys if key in by_label), None
            )
        if target is None or target in found:
            problems.append(
                Problem(
                    "validation_rows.column_unknown",
                    _where(file, column),
                    severity="warning" if lenient else "error",
                    params={"column": column},
                )
            )
            continue
        found[target] = column
    id_item = questionnaire.id_item
    fallback = tool.id_column if tool is not None else None
    if (
        fallback in set_aside
        and fallback not in mapping
        and id_item is not None
        and id_item.name not in found
    ):
        found[id_item.name] = fallback
        set_aside.remove(fallback)
    if set_aside:
        problems.append(
            Problem(
                "validation_rows.tool_columns",
                _where(file, None),
                severity="warning",
                params={"tool": tool.name if tool else "", "columns": ", ".join(set_aside)},
            )
        )
    for item in questionnaire.items:
        names = [name for name in targets if targets[name] is item]
        if item.required and not any(name in found for name in names):
            problems.append(
                Problem(
                    "validation_rows.column_missing",
                    _where(file, None),
                    params={"item": item.name},
                )
            )
    return found


def _targets(questionnaire: Questionnaire) -> dict[str, Question]:
    """Column names the questionnaire expects: one per item, one per choice of multiple items."""
    names: dict[str, Question] = {}
    for item in questionnaire.items:
        scale = questionnaire.scale_of(item)
        if item.type is ItemType.SELECT_MULTIPLE and scale is not None:
            for code in scale.codes():
                names[f"{item.name}.{code}"] = item
        names[item.name] = item
    return names


def _item_columns(
    item: Question, questionnaire: Questionnaire, columns: Mapping[str, str]
) -> list[tuple[str, str]]:
    """(target name, source column) pairs present for ``item``."""
    scale = questionnaire.scale_of(item)
    names = [item.name]
    if item.type is ItemType.SELECT_MULTIPLE and scale is not None:
        names += [f"{item.name}.{code}" for code in scale.codes()]
    return [(name, columns[name]) for name in names if name in columns]


Bad = list[tuple[str, pl.Expr, dict[str, Any]]]


def _distinct_texts(
    frame: pl.DataFrame, questionnaire: Questionnaire, columns: Mapping[str, str]
) -> dict[str, list[str]]:
    """Distinct answers of the text columns of select_one items, to recode labels once each."""
    names = [
        item.name
        for item in questionnaire.items
        if item.type is ItemType.SELECT_ONE
        and item.name in columns
        and frame.schema[item.name] == pl.String
    ]
    if not names:
        return {}
    found = frame.select([pl.col(n).drop_nulls().unique().implode() for n in names])
    return {name: found[name][0].to_list() for name in names}


def _check_item(
    item: Question,
    questionnaire: Questionnaire,
    name: str,
    dtype: pl.DataType,
    distinct: list[str] | None,
    declared: list[Any],
) -> tuple[pl.Expr, Bad]:
    """Recode and check one column; return its cleaned expression and its problems' masks.

    ``declared`` are the codes the file declares missing for the column: kept, never refused.
    """
    values = pl.col(name)
    bad: Bad = []
    present = _present(values, dtype)
    scale = questionnaire.scale_of(item)
    if item.type is ItemType.SELECT_ONE and scale is not None:
        values = _recode(values, dtype, scale.choices, distinct)
        allowed = scale.codes()
        accepted = [*allowed, *(_as_code(c) for c in declared if _as_code(c) not in allowed)]
        if all(isinstance(code, int) for code in accepted) and dtype.is_integer():
            recoded = values.cast(pl.Int64)
            inside = recoded.is_in([int(c) for c in accepted])
        elif all(isinstance(code, int) for code in accepted):
            numbers = values.cast(pl.Float64, strict=False)
            recoded = numbers.cast(pl.Int64, strict=False)
            inside = numbers.is_in([float(c) for c in accepted]) & (numbers == recoded)
        else:
            recoded = values.cast(pl.String)
            inside = recoded.is_in([str(c) for c in accepted])
        bad.append(("validation_rows.code_outside_scale", present & ~inside.fill_null(False),
                    {"codes": ", ".join(str(c) for c in allowed)}))  # fmt: skip
        values = recoded
    elif item.type is ItemType.SELECT_MULTIPLE and scale is not None:
        if name == item.name:  # one column of space-separated codes: checked, kept as text
            texts = values.cast(pl.String)
            choice_codes = sorted({str(c) for c in scale.codes()})
            wrong = (
                texts.str.split(" ")
                .list.eval(pl.element().filter(pl.element() != "").is_in(choice_codes).not_())
                .list.any()
            )
            bad.append(("validation_rows.code_outside_scale", present & wrong.fill_null(False),
                        {"codes": ", ".join(choice_codes)}))  # fmt: skip
            values = texts
        else:  # one 0/1 column per choice
            numbers = _ticks(values, dtype)
            inside = numbers.is_in([0.0, 1.0])
            bad.append(("validation_rows.not_binary", present & ~inside.fill_null(False), {}))
            values = numbers.cast(pl.Int8, strict=False)
    elif item.type in (ItemType.INTEGER, ItemType.DECIMAL):
        numbers = _numbers(values, dtype)
        bad.append(("validation_rows.not_a_number", present & numbers.is_null(), {}))
        if item.type is ItemType.INTEGER:
            whole = numbers.is_null() | (numbers == numbers.round(0))
            bad.append(("validation_rows.not_an_integer", present & ~whole, {}))
        if item.role is Role.WEIGHT:
            bad.append(("validation_rows.weight_negative", (numbers < 0).fill_null(False), {}))
            bad.append(("validation_rows.weight_missing", ~present, {}))
        values = numbers
    else:
        values = values.cast(pl.String)
    if item.required and item.role is not Role.WEIGHT and item.relevant is None:
        key = "validation_rows.id_missing" if item.role is Role.ID else "validation_rows.required"
        bad.append((key, ~present, {}))
    return values.alias(name), bad


def _as_code(value: Any) -> Any:
    """Return a declared missing value as a code (SPSS stores 9 as 9.0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _present(values: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Cells with an answer: not null, not NaN, not empty text (blanks are an odd answer)."""
    if dtype == pl.String:
        return values.is_not_null() & (values.str.len_bytes() > 0)
    if dtype.is_float():
        return values.is_not_null() & values.is_not_nan()
    return values.is_not_null()


def _numbers(values: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Numbers, from numbers or from texts written with a decimal comma or point."""
    if dtype.is_numeric():
        return values.cast(pl.Float64)
    texts = values.cast(pl.String).str.strip_chars().str.replace(",", ".", literal=True)
    return texts.cast(pl.Float64, strict=False)


def _ticks(values: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """0/1 for a choice column: 1/0, true/false, or LimeSurvey's Y and Kobo's TRUE / FALSE."""
    if dtype.is_numeric() or dtype == pl.Boolean:
        return values.cast(pl.Float64)
    texts = values.cast(pl.String).str.strip_chars().str.to_lowercase()
    return texts.replace_strict(
        ["1", "0", "y", "n", "yes", "no", "oui", "non", "true", "false"],
        [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0],
        default=None,
        return_dtype=pl.Float64,
    )


def _recode(
    values: pl.Expr, dtype: pl.DataType, choices: list[Any], distinct: list[str] | None
) -> pl.Expr:
    """Replace answers written as labels (French or English, any case or accent) by codes."""
    if dtype.is_numeric() or distinct is None:
        return values
    lookup: dict[str, str] = {}
    for choice in choices:
        lookup[normalise(str(choice.code))] = str(choice.code)
        for lang in ("fr", "en"):
            lookup.setdefault(normalise(choice.label(lang)), str(choice.code))
    if len(distinct) > len(lookup) * 50:  # free text, not answers: leave it to the scale check
        return values
    recoded = {value: lookup.get(normalise(value), value) for value in distinct}
    if all(code == value for value, code in recoded.items()):  # already codes: nothing to do
        return values
    return values.replace_strict(
        list(recoded), list(recoded.values()), default=None, return_dtype=pl.String
    )


def _report(
    responses: Responses,
    rows: list[int],
    column: str,
    key: str,
    params: dict[str, Any],
    problems: list[Problem],
    reasons: dict[int, list[str]],
    lang: Lang,
) -> None:
    """Record ``rows`` as problems of ``column`` and as reasons to reject them."""
    original = responses.frame[column]
    for position, index in enumerate(rows):
        problem = Problem(key, responses.location(index, column, original[index]), params=params)
        reasons[index].append(f"{column}: {problem.text(lang)}")
        if position < LISTED_PER_KIND:
            problems.append(problem)
    if len(rows) > LISTED_PER_KIND:
        problems.append(
            Problem(
                "validation_rows.more",
                _where(responses.path.name, column),
                params={"count": len(rows) - LISTED_PER_KIND, "problem": problem},
            )
        )


def _free_name(name: str, taken: list[str]) -> str:
    """``name``, or ``_name``, ``__name``… when the data already have a column of that name."""
    while name in taken:
        name = f"_{name}"
    return name


def _where(file: str, column: str | None) -> Location:
    return Location(file=file, field=column)
