"""French identifiers of organisations and places: SIREN, RNA, INSEE commune code.

- SIREN: 9 digits whose Luhn checksum is valid (companies, and associations that employ staff).
- RNA: ``W``, the 3 characters of the prefecture that registered the association (``595``,
  ``2A1`` in Corsica, ``9M1`` overseas), then 6 digits (the register of associations).
- INSEE commune code: 5 characters, département (2 digits, ``2A``/``2B`` for Corsica, or 97x
  overseas) then the commune number.
"""

from __future__ import annotations

import re

__all__ = ["RNA_NUMBER", "is_commune_code", "is_rna", "is_siren"]

#: An RNA number: ``W``, the prefecture's code (a digit, then two digits or letters), 6 digits.
RNA_NUMBER = r"W[0-9][0-9A-Z]{2}[0-9]{6}"


def is_siren(value: str) -> bool:
    """Tell whether ``value`` is a SIREN number: 9 digits passing the Luhn check.

    Examples
    --------
    >>> is_siren("732829320"), is_siren("732829321"), is_siren("73282932")
    (True, False, False)
    """
    if not re.fullmatch(r"[0-9]{9}", value):
        return False
    total = 0
    for position, digit in enumerate(int(c) for c in reversed(value)):
        doubled = digit * 2 if position % 2 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def is_rna(value: str) -> bool:
    """Tell whether ``value`` is an RNA number: ``W``, the prefecture's code and 6 digits.

    Examples
    --------
    >>> is_rna("W751234567"), is_rna("W2A1000123"), is_rna("W75123456"), is_rna("751234567")
    (True, True, False, False)
    """
    return re.fullmatch(RNA_NUMBER, value) is not None


def is_commune_code(value: str) -> bool:
    """Tell whether ``value`` looks like an INSEE commune code.

    Examples
    --------
    >>> [is_commune_code(code) for code in ("75056", "2A004", "97411", "7505")]
    [True, True, True, False]
    """
    return re.fullmatch(r"([0-9]{2}|2[AB])[0-9]{3}", value) is not None
