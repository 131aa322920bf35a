"""Model formulas as R writes them, ``api00 ~ ell + meals + stype``, read by a small parser.

A formula typed on the command line must never be evaluated: it is tokenised (names, ``~``,
``+``) and parsed by hand, and anything else is refused with the position of the first character
that does not fit. Names are R's: letters, digits, ``.`` and ``_`` (``api.stu``); a name in
backquotes may hold anything but a backquote (```taux d'emploi```). The model always has an
intercept; a term is a column, numeric (one coefficient) or categorical (one per category but the
first, as R's treatment contrasts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from alliance.errors import SurveyError

__all__ = ["Formula", "parse_formula"]

_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z.][A-Za-z0-9._]*)|`(?P<quoted>[^`]+)`|(?P<symbol>[~+]))"
)


@dataclass(frozen=True)
class Formula:
    """A response and the terms that explain it (columns, in the order written)."""

    response: str
    terms: tuple[str, ...]

    def __str__(self) -> str:
        return f"{_written(self.response)} ~ {' + '.join(_written(t) for t in self.terms)}"


def _written(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z.][A-Za-z0-9._]*", name) else f"`{name}`"


def parse_formula(text: str) -> Formula:
    """Parse ``response ~ term + term…``.

    Examples
    --------
    >>> parse_formula("api00 ~ ell + meals + stype")
    Formula(response='api00', terms=('ell', 'meals', 'stype'))
    >>> str(parse_formula("y~`taux net`+x"))
    'y ~ `taux net` + x'
    """
    tokens: list[tuple[str, str, int]] = []
    position = 0
    while text[position:].strip():
        match = _TOKEN.match(text, position)
        if match is None:
            raise _invalid(text, len(text) - len(text[position:].lstrip()))
        kind = "symbol" if match.group("symbol") else "name"
        value = match.group("symbol") or match.group("name") or match.group("quoted") or ""
        tokens.append((kind, value, match.start(kind if kind == "symbol" else _group(match))))
        position = match.end()
    expected = ["name", "~", "name"]
    names: list[str] = []
    for index, (kind, value, where) in enumerate(tokens):
        wanted = expected[index] if index < len(expected) else ("+" if index % 2 else "name")
        found = value if kind == "symbol" else "name"
        if found != wanted:
            raise _invalid(text, where)
        if kind == "name":
            names.append(value)
    if len(tokens) < len(expected) or tokens[-1][0] != "name":
        raise _invalid(text, len(text))
    response, terms = names[0], tuple(names[1:])
    repeated = [term for index, term in enumerate(terms) if term in (response, *terms[:index])]
    if repeated:
        raise SurveyError("survey.formula_repeated", formula=text, name=repeated[0])
    return Formula(response, terms)


def _group(match: re.Match[str]) -> str:
    return "name" if match.group("name") else "quoted"


def _invalid(text: str, position: int) -> SurveyError:
    """Say where (counting from 1) the formula stops being readable (``position`` is 0-based)."""
    return SurveyError("survey.formula_invalid", formula=text, position=position + 1)
