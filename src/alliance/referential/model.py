"""The shape of the referential: frameworks made of items, each bilingual, sourced and qualified.

A *framework* is one of the notebook's models (the actor profiles, the three levers, the « carré
magique »…). It is a list of *items*. Every item has a stable ASCII code, a label and a definition
in French and English, a status that says how sure we are of it, and the sources behind it. Items
may have a parent in the same framework (a sub-profile, a lever's component) and typed links to
items of other frameworks (an objective activates a partnership category).

Most frameworks need nothing more. The two that carry extra facts have their own item class:
:class:`ActorProfile` (practice sheets) and :class:`PublishedFigure` (survey figures).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from alliance.i18n import Lang

__all__ = [
    "PLACEHOLDER_MARKERS",
    "ActorProfile",
    "Item",
    "Link",
    "LocalizedText",
    "PracticeSheet",
    "PublishedFigure",
    "Source",
    "Status",
]

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
FrameworkCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)]
SourceCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Target = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*/[a-z][a-z0-9_]*$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

#: The token an unknown item's label carries, per language, so nobody mistakes it for a fact.
PLACEHOLDER_MARKERS: dict[Lang, str] = {"fr": "[inconnu]", "en": "[unknown]"}


class Strict(BaseModel):
    """Base of every referential model: unknown fields are errors (a typo must not pass)."""

    # Validators are built on first validation, not at import: a command that reads the
    # referential from the cache never validates, and starts about 40 ms sooner.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Status(StrEnum):
    """How sure the referential is of an item, from most to least certain.

    ``notebook``: stated in the notebook itself; ``confirmed``: confirmed by a public source;
    ``inferred``: plausible, reconstructed from related sources, open to change; ``unknown``: only
    in the notebook's missing figures or unreachable sources, kept as an explicit placeholder.
    """

    NOTEBOOK = "notebook"
    CONFIRMED = "confirmed"
    INFERRED = "inferred"
    UNKNOWN = "unknown"


class LocalizedText(Strict):
    """A text in French and in English; both are required and non-empty."""

    fr: NonEmpty
    en: NonEmpty

    def __call__(self, lang: Lang) -> str:
        """Return the text in ``lang``."""
        text: str = getattr(self, lang)
        return text


class Source(Strict):
    """A document an item rests on. Titles are proper names, so they are not translated."""

    code: SourceCode
    title: NonEmpty
    publisher: str | None = None
    date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")


class Link(Strict):
    """A typed reference from an item to an item of another framework (``framework/code``)."""

    rel: Code
    target: Target
    status: Status
    sources: list[SourceCode] = Field(min_length=1)
    note: LocalizedText | None = None


class Item(Strict):
    """One element of a framework."""

    code: Code
    label: LocalizedText
    definition: LocalizedText
    status: Status
    #: When only the definition is a reconstruction (the name is known, its meaning inferred).
    definition_status: Status | None = None
    sources: list[SourceCode] = Field(min_length=1)
    parent: Code | None = None
    links: list[Link] = Field(default_factory=list)
    note: LocalizedText | None = None

    #: Fields whose values are codes of other items, checked when the referential is loaded.
    reference_fields: ClassVar[dict[str, str]] = {}

    @model_validator(mode="after")
    def _placeholder_iff_unknown(self) -> Item:
        """Require the placeholder markers on unknown items, and only on them."""
        marked = [lang for lang, mark in PLACEHOLDER_MARKERS.items() if mark in self.label(lang)]
        if self.status is Status.UNKNOWN and len(marked) < len(PLACEHOLDER_MARKERS):
            markers = " / ".join(PLACEHOLDER_MARKERS.values())
            raise PydanticCustomError(
                "placeholder_markers_missing",
                "an item with status 'unknown' must carry the markers {markers} in both labels",
                {"markers": markers},
            )
        if self.status is not Status.UNKNOWN and marked:
            raise PydanticCustomError(
                "placeholder_not_unknown",
                "a label marked {marker} requires the status 'unknown'",
                {"marker": PLACEHOLDER_MARKERS[marked[0]]},
            )
        return self

    def text(self, lang: Lang) -> tuple[str, str]:
        """Return ``(label, definition)`` in ``lang``."""
        return self.label(lang), self.definition(lang)

    @property
    def is_placeholder(self) -> bool:
        """Whether this item only holds the place of something the sources do not name."""
        return self.status is Status.UNKNOWN


class PracticeSheet(Strict):
    """A « fiche pratique du faire alliance » published for a profile."""

    status: Status
    sources: list[SourceCode] = Field(min_length=1)
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")


class ActorProfile(Item):
    """An actor profile; sub-profiles (PME, État…) name their profile as ``parent``."""

    practice_sheet: PracticeSheet | None = None


class PublishedFigure(Item):
    """A survey figure published by the Observatoire des partenariats.

    The label says what was measured, the definition paraphrases the question. ``value`` is a
    percentage (0-100); ``None`` when the figure is known to exist but its value is unknown.
    ``year`` and ``sample_size`` are ``None`` when the sources do not give them.
    """

    population: Code
    population_detail: LocalizedText
    study: str | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)
    fieldwork: str | None = None
    sample_size: int | None = Field(default=None, gt=0)
    value: float | None = Field(default=None, ge=0, le=100)
    answer_points: LocalizedText | None = None

    reference_fields: ClassVar[dict[str, str]] = {"population": "actor-profiles"}

    @model_validator(mode="after")
    def _value_known_unless_unknown(self) -> PublishedFigure:
        """Require a value on every figure but placeholders, which have none."""
        if (self.value is None) != (self.status is Status.UNKNOWN):
            raise PydanticCustomError(
                "figure_value", "'value' is required unless the status is 'unknown', and only then"
            )
        return self
