"""Questionnaires as XLSForm, the spreadsheet format of KoboToolbox and ODK: in and out.

The ``survey`` sheet lists the items (``type``, ``name``, ``label::Français (fr)``,
``label::English (en)``, ``required``, ``relevant``, ``constraint``, ``constraint_message``), the
``choices`` sheet the answer scales (``list_name``,
``name``, labels), the ``settings`` sheet the form's id, title, version and default language.
What XLSForm has no column for (an item's role, its referential targets, missing codes, the
population) goes in ``alliance_*`` columns, which XLSForm tools ignore. Group rows are flattened,
a group's ``relevant`` joined to each of its items' own; notes, calculations and device metadata
are skipped, since they hold no answers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from alliance.errors import Location, QuestionnaireError
from alliance.files import atomic_path
from alliance.survey.questionnaire.model import ItemType, Questionnaire
from alliance.text import normalise
from alliance.validation import message_for

__all__ = ["read_xlsform", "write_xlsform"]

LANGUAGE_NAMES = {"fr": "Français (fr)", "en": "English (en)"}
SURVEY_COLUMNS = [
    "type",
    "name",
    "label::Français (fr)",
    "label::English (en)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::Français (fr)",
    "constraint_message::English (en)",
    "alliance_role",
    "alliance_referential",
]
CHOICE_COLUMNS = [
    "list_name",
    "name",
    "label::Français (fr)",
    "label::English (en)",
    "alliance_missing",
]
SETTINGS_COLUMNS = [
    "form_id",
    "form_title",
    "version",
    "default_language",
    "alliance_population",
    "alliance_title_en",
    "alliance_synthetic",
    "alliance_sources",
]
#: Rows that open and close a group (or a repeat): flattened, their ``relevant`` kept on items.
GROUP_STARTS = {"begin_group", "begin group", "begin_repeat", "begin repeat"}
GROUP_ENDS = {"end_group", "end group", "end_repeat", "end repeat"}
#: Row types that hold no answer: skipped.
STRUCTURE_TYPES = {
    "note", "calculate", "start", "end", "today", "deviceid", "username", "phonenumber",
    "simserial", "subscriberid", "audit",
}  # fmt: skip


def write_xlsform(questionnaire: Questionnaire, path: Path) -> None:
    """Write ``questionnaire`` as an XLSForm workbook, all at once or not at all."""
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    for item in questionnaire.items:
        kind = f"{item.type.value} {item.scale}" if item.scale else item.type.value
        survey.append(
            [
                kind,
                item.name,
                item.label.fr,
                item.label.en,
                "yes" if item.required else "",
                item.relevant or "",
                item.constraint or "",
                item.constraint_message.fr if item.constraint_message else "",
                item.constraint_message.en if item.constraint_message else "",
                item.role.value if item.role else "",
                " ".join(item.referential),
            ]
        )
    choices = book.create_sheet("choices")
    choices.append(CHOICE_COLUMNS)
    for scale in questionnaire.scales:
        for choice in scale.choices:
            missing = "yes" if choice.missing else ""
            choices.append(
                [scale.name, str(choice.code), choice.label.fr, choice.label.en, missing]
            )
    settings = book.create_sheet("settings")
    settings.append(SETTINGS_COLUMNS)
    settings.append(
        [
            questionnaire.questionnaire,
            questionnaire.title.fr,
            questionnaire.version,
            LANGUAGE_NAMES["fr"],
            questionnaire.population,
            questionnaire.title.en,
            "yes" if questionnaire.synthetic else "",
            " ".join(questionnaire.sources),
        ]
    )
    with atomic_path(path) as temporary:
        book.save(temporary)


def read_xlsform(path: Path) -> Questionnaire:
    """Read an XLSForm workbook (ours or one made by another tool) as a questionnaire."""
    if not path.is_file():
        raise QuestionnaireError("questionnaire.file_missing", Location(file=str(path)))
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        problem = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise QuestionnaireError(
            "questionnaire.xlsform_unreadable", Location(file=path.name), problem=problem
        ) from None
    sheets = {name.lower(): book[name] for name in book.sheetnames}
    for required in ("survey", "choices"):
        if required not in sheets:
            raise QuestionnaireError(
                "questionnaire.xlsform_sheet_missing", Location(file=path.name), sheet=required
            )
    survey = _rows(sheets["survey"])
    choices = _rows(sheets["choices"])
    settings = _rows(sheets["settings"]) if "settings" in sheets else []
    setting = settings[0][1] if settings else {}
    items = []
    groups: list[str] = []  # the relevance of each group the row is in, outermost first
    for row_number, row in survey:
        kind = _text(row.get("type"))
        if kind in GROUP_STARTS:
            groups.append(_text(row.get("relevant")))
            continue
        if kind in GROUP_ENDS:
            if groups:
                groups.pop()
            continue
        if not kind or kind in STRUCTURE_TYPES or not _text(row.get("name")):
            continue
        base, _, scale = kind.partition(" ")
        if base not in {t.value for t in ItemType}:
            raise QuestionnaireError(
                "questionnaire.xlsform_type",
                Location(file=path.name, row=row_number, field="type", value=kind),
                value=kind,
            )
        item: dict[str, Any] = {
            "name": _text(row.get("name")),
            "type": base,
            "label": _labels(row),
            "required": _yes(row.get("required")),
        }
        relevant = _all_of([*groups, _text(row.get("relevant"))])
        if relevant:
            item["relevant"] = relevant
        if _text(row.get("constraint")):
            item["constraint"] = _text(row.get("constraint"))
        constraint_message = _labels(row, "constraint_message")
        if constraint_message["fr"]:
            item["constraint_message"] = constraint_message
        if scale.strip():
            item["scale"] = scale.strip()
        if _text(row.get("alliance_role")):
            item["role"] = _text(row.get("alliance_role"))
        if _text(row.get("alliance_referential")):
            item["referential"] = _text(row.get("alliance_referential")).split()
        items.append((row_number, item))
    scales: dict[str, list[dict[str, Any]]] = {}
    for _, row in choices:
        name = _text(row.get("list_name"))
        if not name:
            continue
        code_text = _text(row.get("name"))
        code: int | str = int(code_text) if re.fullmatch(r"-?[1-9]\d*|0", code_text) else code_text
        scales.setdefault(name, []).append(
            {"code": code, "label": _labels(row), "missing": _yes(row.get("alliance_missing"))}
        )
    title_fr = _text(setting.get("form_title")) or path.stem
    data = {
        "questionnaire": _text(setting.get("form_id")) or _slug(path.stem),
        "version": _text(setting.get("version")) or "1",
        "population": _text(setting.get("alliance_population")) or "unspecified",
        "title": {"fr": title_fr, "en": _text(setting.get("alliance_title_en")) or title_fr},
        "synthetic": _yes(setting.get("alliance_synthetic")),
        "sources": _text(setting.get("alliance_sources")).split(),
        "scales": [{"name": name, "choices": listed} for name, listed in scales.items()],
        "items": [item for _, item in items],
    }
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = first["loc"]
        sheet_row = items[int(loc[1])][0] if loc[:1] == ("items",) and len(loc) > 1 else None
        key, params = message_for(first)
        column = str(loc[2]) if sheet_row is not None and len(loc) > 2 else None
        raise QuestionnaireError(
            key,
            Location(
                file=path.name,
                row=sheet_row,
                field=column or ".".join(str(part) for part in loc) or None,
            ),
            **params,
        ) from None


def _slug(text: str) -> str:
    """Make a questionnaire code of a file name: « Enquête Kobo » → ``enquete-kobo``."""
    return normalise(text).replace("_", "-") or "questionnaire"


def _rows(sheet: Worksheet) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a sheet as {header: value}, with their spreadsheet row numbers."""
    rows = sheet.iter_rows(values_only=True)
    header = [_text(cell).lower() for cell in next(rows, ())]
    return [
        (number, dict(zip(header, values, strict=False)))
        for number, values in enumerate(rows, start=2)
        if any(value not in (None, "") for value in values)
    ]


def _all_of(conditions: list[str]) -> str:
    """One condition from a group's and an item's own: ``(a) and (b)``; empty when none."""
    present = [c for c in conditions if c]
    if len(present) < 2:
        return present[0] if present else ""
    return " and ".join(f"({c})" for c in present)


def _labels(row: dict[str, Any], column: str = "label") -> dict[str, str]:
    """French and English texts from ``label::… (fr)`` / ``(en)`` columns, or a plain ``label``."""
    found: dict[str, str] = {}
    for header, value in row.items():
        match = re.fullmatch(rf"{column}(?:::.*\((\w+)\))?", header or "")
        if match and _text(value):
            found[match.group(1) or "plain"] = _text(value)
    plain = found.get("plain") or found.get("fr") or found.get("en") or ""
    return {"fr": found.get("fr", plain), "en": found.get("en", plain)}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _yes(value: Any) -> bool:
    return _text(value).lower() in {"yes", "true", "1", "oui", "true()"}
