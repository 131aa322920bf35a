"""Loaded frameworks and the whole referential, with lookups by code and labels by language."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from alliance.errors import LookupFailedError
from alliance.i18n import Lang
from alliance.referential.model import Item, LocalizedText, Source, Status

__all__ = ["Framework", "Referential"]


@dataclass(frozen=True)
class Framework:
    """One framework of the notebook: its items in their published order, and its metadata.

    Examples
    --------
    >>> from alliance.referential import default_referential
    >>> categories = default_referential().framework("partnership-categories")
    >>> [item.label("fr") for item in categories.roots()]
    ['Mécénat', 'Pratiques responsables', 'Coopération économique', 'Innovation sociétale']
    """

    code: str
    version: str
    title: LocalizedText
    description: LocalizedText
    items: tuple[Item, ...]
    file: str
    order: int
    sources: tuple[str, ...] = ()
    _by_code: dict[str, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {item.code: item for item in self.items})

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def item(self, code: str) -> Item:
        """Return the item ``code``; raise :class:`LookupFailedError` if there is none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise LookupFailedError("lookup.unknown_item", code=code, framework=self.code) from None

    def roots(self) -> list[Item]:
        """Return the items without parent (the 6 profiles, the 3 levers, the 4 categories…)."""
        return [item for item in self.items if item.parent is None]

    def children(self, code: str) -> list[Item]:
        """Return the items whose parent is ``code`` (sub-profiles, components, sub-types)."""
        self.item(code)
        return [item for item in self.items if item.parent == code]

    def status_counts(self) -> dict[Status, int]:
        """Return how many items have each status, in the order of :class:`Status`."""
        return {status: sum(item.status is status for item in self.items) for status in Status}


@dataclass(frozen=True)
class Referential:
    """Every framework and source, as loaded and checked by :func:`load_referential`.

    ``version`` is a digest of the data files: two referentials with the same version hold the
    same data, which lets reports say exactly which vocabulary they were built with.
    """

    frameworks: Mapping[str, Framework]
    sources: Mapping[str, Source]
    version: str

    def framework(self, code: str) -> Framework:
        """Return the framework ``code`` (the file name without ``.yaml``)."""
        try:
            return self.frameworks[code]
        except KeyError:
            raise LookupFailedError(
                "lookup.unknown_framework", code=code, available=", ".join(self.frameworks)
            ) from None

    def item(self, target: str) -> Item:
        """Return the item named by a ``framework/code`` reference, as links write it.

        Examples
        --------
        >>> from alliance.referential import default_referential
        >>> default_referential().item("levers/alliances").label("en")
        'Alliances'
        """
        framework, _, code = target.partition("/")
        return self.framework(framework).item(code)

    def label(self, target: str, lang: Lang) -> str:
        """Return the label of the item named by ``framework/code`` in ``lang``."""
        return self.item(target).label(lang)

    def __iter__(self) -> Iterator[Framework]:
        return iter(self.frameworks.values())

    def item_count(self) -> int:
        """Return the number of items over all frameworks."""
        return sum(len(framework) for framework in self)
