"""Numbers as each language writes them: « 55,8 % » in French, "55.8%" in English."""

from __future__ import annotations

from alliance.i18n import Lang

__all__ = ["number", "percent", "points"]


def number(value: float, lang: Lang, digits: int = 1) -> str:
    r"""Write a number with ``digits`` decimals and the language's separators.

    Examples
    --------
    >>> number(12345.678, "fr"), number(12345.678, "en"), number(3, "fr", 0)
    ('12\u202f345,7', '12,345.7', '3')
    """
    text = f"{value:,.{digits}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def percent(share: float, lang: Lang, digits: int = 1) -> str:
    r"""Write a share (0–1) as a percentage.

    Examples
    --------
    >>> percent(0.558, "fr"), percent(0.558, "en")
    ('55,8\u202f%', '55.8%')
    """
    value = number(share * 100, lang, digits)
    return f"{value}\u202f%" if lang == "fr" else f"{value}%"


def points(difference: float, lang: Lang, digits: int = 1) -> str:
    r"""Write a difference of shares in percentage points, with its sign.

    Examples
    --------
    >>> points(0.043, "fr"), points(-0.02, "en")
    ('+4,3\u202fpts', '-2.0 pts')
    """
    if round(difference * 100, digits) == 0:
        difference = 0.0  # no « -0,0 pts »
    value = number(difference * 100, lang, digits)
    sign = "+" if difference > 0 else ""
    return f"{sign}{value}\u202fpts" if lang == "fr" else f"{sign}{value} pts"
