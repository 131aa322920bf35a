"""How ``alliance survey estimate`` is asked for the estimators of issue 12, and how it writes them.

``--quantile VAR=P[,P…]``, ``--ratio NUM/DEN``, several ``--by`` columns (``a,b``) and the columns
added after the nine of every estimate (``probability``, ``category``, ``deff``, ``df``). Kept apart
from :mod:`alliance.cli.survey` so each module stays small; nothing here computes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import typer

from alliance.i18n import Lang
from alliance.messages import render
from alliance.survey.estimate import domain_label
from alliance.territory.geography import place_value

__all__ = [
    "CALIBRATION_METHODS",
    "EXTRA_COLUMNS",
    "by_text",
    "estimate_columns",
    "group_text",
    "named_group",
    "quantile_spec",
    "ratio_spec",
    "statistic_label",
]

#: Columns added after the nine, in this order, when asked for: the probability of a quantile,
#: the category of a count, and with ``--deff`` the design effect (R's ``deff = TRUE``) and the
#: degrees of freedom (R's ``degf``).
EXTRA_COLUMNS = ["probability", "category", "deff", "df"]

#: ``--calibrate``'s methods, R's calfun.
CALIBRATION_METHODS = ("linear", "raking", "logit")


def quantile_spec(text: str, lang: Lang) -> tuple[str, list[float]]:
    """Parse ``VAR=P[,P…]``, probabilities between 0 and 1 (``0.25,0.5,0.75``).

    Examples
    --------
    >>> quantile_spec("api00=0.25,0.5, 0.75", "en")
    ('api00', [0.25, 0.5, 0.75])
    """
    variable, equals, values = text.partition("=")
    try:
        parsed = [float(value) for value in values.split(",") if value.strip()]
    except ValueError:
        parsed = []
    if not equals or not variable.strip() or not parsed or not all(0 <= p <= 1 for p in parsed):
        message = render("cli.bad_quantile", lang, value=text)
        raise typer.BadParameter(message, param_hint="--quantile")
    return variable.strip(), parsed


def ratio_spec(text: str, columns: list[str], lang: Lang) -> tuple[str, str]:
    """Parse ``NUM/DEN``; with several ``/``, the split whose two sides are columns wins.

    Examples
    --------
    >>> ratio_spec("api.stu/enroll", [], "en"), ratio_spec("a/b/c", ["a/b", "c"], "en")
    (('api.stu', 'enroll'), ('a/b', 'c'))
    """
    splits = [i for i, character in enumerate(text) if character == "/"]
    pairs = [(text[:i].strip(), text[i + 1 :].strip()) for i in splits]
    for numerator, denominator in pairs:
        if numerator in columns and denominator in columns:
            return numerator, denominator
    if not pairs or not all(pairs[0]):
        raise typer.BadParameter(render("cli.bad_ratio", lang, value=text), param_hint="--ratio")
    return pairs[0]  # the engine then names the column that does not exist


def by_text(by: str | tuple[str, ...] | None) -> str | None:
    """Write the ``by`` column: the column, or the columns as ``--by`` takes them (``a,b``)."""
    return ",".join(by) if isinstance(by, tuple) else by


def group_text(by: str | tuple[str, ...] | None, group: Any) -> Any:
    """Write the ``group`` column: the value, or each column's as ``sex=F;region=IDF``.

    Examples
    --------
    >>> group_text(("sex", "region"), ("F", "IDF")), group_text("sex", "F")
    ('sex=F;region=IDF', 'F')
    """
    if not isinstance(by, tuple):
        return group
    return ";".join(f"{name}={value}" for name, value in zip(by, group, strict=True))


def named_group(by: str | tuple[str, ...] | None, group: Any, lang: Lang) -> str:
    """Write a group for people: a place by its name; several columns as ``a=x, b=y``.

    Examples
    --------
    >>> named_group("region", "HDF", "en"), named_group(("sex", "region"), ("F", "BRE"), "en")
    ('Hauts-de-France', 'sex=F, region=Brittany')
    >>> named_group("size", "75", "fr"), named_group(None, 2018, "fr")
    ('75', '2018')
    """
    if isinstance(by, tuple):
        return domain_label(by, group, lang)
    return place_value(by, group, lang) if by is not None else str(group)


def estimate_columns(
    records: Sequence[dict[str, Any]], columns: Sequence[str], *, deff: bool
) -> list[str]:
    """Return the nine ``columns``, then those the rows need (:data:`EXTRA_COLUMNS`)."""
    wanted = {
        "probability": any(r["probability"] is not None for r in records),
        "category": any(r["statistic"] == "count" for r in records),
        "deff": deff,
        "df": deff,
    }
    return [*columns, *(name for name in EXTRA_COLUMNS if wanted[name])]


def statistic_label(record: dict[str, Any], lang: Lang) -> str:
    """Name a row for the table: ``q1 (share)``, ``api00 (quantile 0.5)``, ``stype=E (count)``."""
    statistic = render("cli.statistic_" + record["statistic"], lang)
    if record["probability"] is not None:
        statistic += f" {record['probability']:g}"
    variable = record["variable"]
    if record["statistic"] == "count":
        variable += f"={record['category']}"
    return f"{variable} ({statistic})"
