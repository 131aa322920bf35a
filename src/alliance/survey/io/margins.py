"""Weighting targets from a JSON file: ``{"VAR": {"LEVEL": target, …}, "population_total": N}``."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from alliance.errors import DataFileError, Location
from alliance.survey.weighting import Margins

__all__ = ["read_margins"]


def read_margins(path: Path) -> tuple[Margins, float | None]:
    """Read weighting targets: ``{"VAR": {"LEVEL": target, …}, …, "population_total": N}``.

    Returns the margins and the population total (None when the file has none).
    """
    where = Location(file=str(path))
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise DataFileError("survey.file_missing", where) from None
    except json.JSONDecodeError as error:
        raise DataFileError(
            "survey.margins_invalid",
            Location(file=str(path), line=error.lineno, column=error.colno),
            problem=error.msg,
        ) from None
    if not isinstance(content, dict):
        raise DataFileError("survey.margins_invalid", where, problem="not a JSON object")
    total = content.pop("population_total", None)
    if total is not None and not _positive_number(total):
        raise DataFileError(
            "survey.margins_invalid",
            Location(file=str(path), field="population_total", value=total),
            problem="not a positive number",
        )
    for variable, targets in content.items():
        if not isinstance(targets, dict) or not targets:
            raise DataFileError(
                "survey.margins_invalid",
                Location(file=str(path), field=variable),
                problem="expected {category: target}",
            )
        for category, target in targets.items():
            if not _positive_number(target, zero=True):
                raise DataFileError(
                    "survey.margins_invalid",
                    Location(file=str(path), field=f"{variable}.{category}", value=target),
                    problem="not a number ≥ 0",
                )
    return content, None if total is None else float(total)


def _positive_number(value: Any, *, zero: bool = False) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return False
    return value >= 0 if zero else value > 0
