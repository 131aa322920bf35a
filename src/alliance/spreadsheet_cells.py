"""Cells of the CSV and XLSX files people download: their text never runs as a formula.

A partner's common objective, a comment or a label typed by someone is text; opened in Excel or
LibreOffice, a cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some spreadsheets skip before reading a formula) would run as a formula — ``=HYPERLINK(…)`` sends
the reader elsewhere, ``=WEBSERVICE(…)`` leaks the sheet. As OWASP recommends ("CSV Injection"),
such a text gets a leading ``'``: spreadsheets show it as text and the reader still sees what was
typed. Numbers stay numbers, and so do texts that are plain numbers (``-3``, ``+2,5``): they
cannot run. Every writer of a download calls :func:`safe_cell` on each cell.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FORMULA_PREFIXES", "safe_cell"]

#: The characters a spreadsheet may read as the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """Return ``value`` ready for a spreadsheet cell: a text that could run gets a leading ``'``.

    Examples
    --------
    >>> print(safe_cell('=HYPERLINK("https://evil.invalid","clic")'))
    '=HYPERLINK("https://evil.invalid","clic")
    >>> safe_cell("-3,5"), safe_cell(-3.5), safe_cell("Jardins"), safe_cell(None)
    ('-3,5', -3.5, 'Jardins', None)
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    if PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value
