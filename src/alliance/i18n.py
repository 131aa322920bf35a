"""Languages of the project: French first, English too.

Every user-facing text exists in both languages. Texts that belong to a framework live in the
referential YAML; texts of messages live in :mod:`alliance.messages`. This module only decides
which language to use when the caller did not say.
"""

from __future__ import annotations

import os
from typing import Literal, get_args

Lang = Literal["fr", "en"]
LANGUAGES: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "fr"


def default_lang() -> Lang:
    """Return the language chosen by ``ALLIANCE_LANG``, or French.

    Examples
    --------
    >>> import os
    >>> os.environ.pop("ALLIANCE_LANG", None) and None
    >>> default_lang()
    'fr'
    """
    wanted = os.environ.get("ALLIANCE_LANG", "").strip().lower()[:2]
    for lang in LANGUAGES:
        if wanted == lang:
            return lang
    return DEFAULT_LANG
