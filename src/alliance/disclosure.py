"""Counts published about organisations, protected so that no small group can be singled out.

Withholding the counts below 5 is not enough: a total of 6 beside a category of 5 tells, by
subtraction, that the other categories hold 1 partnership. As statistical offices do, every count
shown is therefore **rounded to a multiple of 5** (documented in ``docs/small-counts.md``):

- a count below :data:`SMALLEST_COUNT` is withheld (``None``);
- a multiple of 5 is shown as it is;
- any other count goes to the multiple of 5 just below or just above, upwards with probability
  ``remainder / 5`` (so rounding is unbiased on average). The draw is not fresh at each request:
  it is a keyed hash of the cell's name and its true count (a « cell key »), so asking again
  gives the same figure, and averaging repeated answers learns nothing.

Differences of rounded counts are then multiples of 5 as well: 6 − 5 shows 0 or 5, never 1.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["ROUNDING_BASE", "SMALLEST_COUNT", "protected_count"]

#: Counts below this are withheld.
SMALLEST_COUNT = 5
#: Counts shown are multiples of this.
ROUNDING_BASE = 5


def protected_count(count: int, cell: str, secret: bytes) -> int | None:
    """Return ``count`` as it may be shown: withheld (None) when small, else rounded to base 5.

    ``cell`` names what is counted (« category:mecenat »); ``secret`` keys the rounding draw, so
    that no one who does not hold it can tell which way a count was rounded.

    Examples
    --------
    >>> protected_count(3, "total", b"k"), protected_count(10, "total", b"k")
    (None, 10)
    >>> protected_count(6, "total", b"k") in (5, 10)
    True
    """
    if count < SMALLEST_COUNT:
        return None
    remainder = count % ROUNDING_BASE
    if remainder == 0:
        return count
    digest = hmac.new(secret, f"{cell}\x1f{count}".encode(), hashlib.sha256).digest()
    draw = int.from_bytes(digest[:8], "big") / 2**64
    up = draw < remainder / ROUNDING_BASE
    return count - remainder + (ROUNDING_BASE if up else 0)
