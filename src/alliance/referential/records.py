"""Items as plain records in one language, the shape shared by JSON, CSV, tables and the API.

A record keeps the item's fields in order, with bilingual texts reduced to one language, statuses as
their codes, and source codes replaced by the address (or title) of the source, so that a reader of
a JSON or CSV export can follow every item back to where it comes from.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from alliance.i18n import Lang
from alliance.referential.framework import Framework, Referential
from alliance.referential.model import Item, LocalizedText, Status

__all__ = ["COMMON_FIELDS", "extra_fields", "framework_record", "item_record"]

#: Fields every item has, in the order records show them.
COMMON_FIELDS = tuple(Item.model_fields)


def extra_fields(framework: Framework) -> list[str]:
    """Return the fields this framework's items have beyond the common ones."""
    fields: list[str] = []
    for item in framework:
        fields += [name for name in type(item).model_fields if name not in COMMON_FIELDS]
    return list(dict.fromkeys(fields))


def item_record(item: Item, referential: Referential, lang: Lang) -> dict[str, Any]:
    """Return ``item`` as a record in ``lang``.

    Examples
    --------
    >>> from alliance.referential import default_referential
    >>> referential = default_referential()
    >>> item = referential.item("partnership-categories/mecenat_competences")
    >>> record = item_record(item, referential, "en")
    >>> record["label"], record["status"], record["parent"]
    ('Skills-based philanthropy', 'confirmed', 'mecenat')
    """
    return {
        name: _plain(getattr(item, name), name, referential, lang)
        for name in type(item).model_fields
    }


def framework_record(framework: Framework, referential: Referential, lang: Lang) -> dict[str, Any]:
    """Return a framework's metadata and counts as a record in ``lang``."""
    return {
        "framework": framework.code,
        "title": framework.title(lang),
        "description": framework.description(lang),
        "sources": [_source_address(code, referential) for code in framework.sources],
        "version": framework.version,
        "items": len(framework),
        "statuses": {status.value: count for status, count in framework.status_counts().items()},
    }


def _plain(value: Any, name: str, referential: Referential, lang: Lang) -> Any:
    if isinstance(value, LocalizedText):
        return value(lang)
    if isinstance(value, Status):
        return value.value
    if name == "sources" and isinstance(value, list):
        return [_source_address(code, referential) for code in value]
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return {field: _plain(getattr(value, field), field, referential, lang) for field in fields}
    if isinstance(value, list):
        return [_plain(element, name, referential, lang) for element in value]
    return value


def _source_address(code: str, referential: Referential) -> str:
    source = referential.sources[code]
    return source.url or source.title
