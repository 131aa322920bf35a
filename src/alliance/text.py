"""Comparing texts the way people mean them: « Région » and ``region`` are the same word."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise"]


def normalise(text: str) -> str:
    """Fold case, accents and punctuation into lowercase ASCII words joined by ``_``.

    Examples
    --------
    >>> normalise("Région d'habitation"), normalise("q1_Impact"), normalise("Enquête Kobo")
    ('region_d_habitation', 'q1_impact', 'enquete_kobo')
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")
