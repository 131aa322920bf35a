"""Comparing texts the way people mean them: « Région » and ``region`` are the same word."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise"]

LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def normalise(text: str) -> str:
    """Fold case, accents and punctuation into lowercase ASCII words joined by ``_``.

    Examples
    --------
    >>> normalise("Région d'habitation"), normalise("q1_Impact"), normalise("Enquête Kobo")
    ('region_d_habitation', 'q1_impact', 'enquete_kobo')
    """
    spelled = text.translate(LIGATURES)  # « cœur » is written « coeur » without the ligature
    folded = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")
