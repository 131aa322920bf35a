"""Weighting targets from a JSON file: ``{"VAR": {"LEVEL": target, …}, "population_total": N}``.

For calibration (:func:`alliance.survey.calibrate`), the same file may also give numeric totals,
``{"enroll": 3811472}``: :func:`read_targets` reads both; :func:`read_margins`, for raking,
refuses them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from alliance.errors import DataFileError, Location
from alliance.survey.weighting import Margins

__all__ = ["read_margins", "read_targets"]


def read_margins(path: Path) -> tuple[Margins, float | None]:
    """Read weighting targets: ``{"VAR": {"LEVEL": target, …}, …, "population_total": N}``.

    Returns the margins and the population total (None when the file has none).
    """
    margins, totals, total = read_targets(path)
    for variable in totals:
        raise DataFileError(
            "survey.margins_shape", Location(file=str(path), field=variable), variable=variable
        )
    return margins, total


def read_targets(path: Path) -> tuple[Margins, dict[str, float], float | None]:
    """Read categorical margins and numeric totals: ``{"VAR": {…}, "NUM": total, …}``.

    Returns the margins, the totals of numeric columns and the population total (None when the
    file has none), for :func:`alliance.survey.calibrate`.
    """
    where = Location(file=str(path))
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise DataFileError("survey.file_missing", where) from None
    except json.JSONDecodeError as error:
        raise DataFileError(
            "survey.margins_json", Location(file=str(path), line=error.lineno, column=error.colno)
        ) from None
    if not isinstance(content, dict):
        raise DataFileError("survey.margins_not_object", where)
    total = content.pop("population_total", None)
    if total is not None and not _positive_number(total):
        raise DataFileError(
            "survey.margins_total_invalid",
            Location(file=str(path), field="population_total", value=total),
        )
    totals: dict[str, float] = {}
    for variable, targets in content.items():
        if _number(targets):
            totals[variable] = float(targets)
            continue
        if not isinstance(targets, dict) or not targets:
            raise DataFileError(
                "survey.margins_shape", Location(file=str(path), field=variable), variable=variable
            )
        for category, target in targets.items():
            if not _positive_number(target, zero=True):
                raise DataFileError(
                    "survey.margins_target_invalid",
                    Location(file=str(path), field=f"{variable}.{category}", value=target),
                )
    margins = {variable: targets for variable, targets in content.items() if variable not in totals}
    return margins, totals, None if total is None else float(total)


def _number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _positive_number(value: Any, *, zero: bool = False) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return False
    return value >= 0 if zero else value > 0
