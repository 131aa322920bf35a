"""The referential: the notebook's frameworks as versioned, bilingual, sourced data.

Examples
--------
>>> from alliance.referential import default_referential
>>> profiles = default_referential().framework("actor-profiles")
>>> [profile.code for profile in profiles.roots()]
['citoyens', 'associations', 'entreprises', 'fondations', 'institutions', 'academiques']
"""

from alliance.referential.framework import Framework, Referential
from alliance.referential.loader import DATA_DIR, default_referential, load_referential
from alliance.referential.model import (
    PLACEHOLDER_MARKERS,
    ActorProfile,
    Item,
    Link,
    LocalizedText,
    PracticeSheet,
    PublishedFigure,
    Source,
    Status,
)

__all__ = [
    "DATA_DIR",
    "PLACEHOLDER_MARKERS",
    "ActorProfile",
    "Framework",
    "Item",
    "Link",
    "LocalizedText",
    "PracticeSheet",
    "PublishedFigure",
    "Referential",
    "Source",
    "Status",
    "default_referential",
    "load_referential",
]
