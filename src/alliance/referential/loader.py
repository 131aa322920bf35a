"""Read the referential's YAML files, validate them, and say exactly where a problem is.

Each ``data/<framework>.yaml`` file holds one framework; ``data/sources.yaml`` holds the sources
the items cite. Loading is all or nothing: the first problem raises a
:class:`~alliance.errors.ReferentialError` naming the file, the line, the item and the field.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from alliance.errors import (
    Location,
    ReferentialFileError,
    ReferentialReferenceError,
    ReferentialValidationError,
)
from alliance.referential.framework import Framework, Referential
from alliance.referential.model import (
    ActorProfile,
    FrameworkCode,
    Item,
    LocalizedText,
    PublishedFigure,
    Source,
    SourceCode,
    Strict,
)

if TYPE_CHECKING:
    from alliance.yaml_document import YamlDocument

__all__ = ["DATA_DIR", "ITEM_MODELS", "default_referential", "load_referential"]

DATA_DIR = Path(__file__).parent / "data"
SOURCES_FILE = "sources.yaml"

#: Frameworks whose items carry more than the common fields; the others use :class:`Item`.
ITEM_MODELS: dict[str, type[Item]] = {
    "actor-profiles": ActorProfile,
    "published-figures": PublishedFigure,
}


class FrameworkHeader(Strict):
    """The fields of a framework file around its items."""

    framework: FrameworkCode
    version: str
    #: Position in listings, following the notebook's reading order.
    order: int
    title: LocalizedText
    description: LocalizedText
    #: Sources of the framework as a whole (what its description says), beside the items' own.
    sources: list[SourceCode] = Field(default_factory=list)
    items: list[Any]


class SourcesFile(Strict):
    """The shape of ``sources.yaml``."""

    sources: list[Any]


def _document(path: Path) -> YamlDocument:
    from alliance.yaml_document import YamlDocument  # only when the files are read

    return YamlDocument(
        path,
        missing_key="referential.file_missing",
        file_error=ReferentialFileError,
        validation_error=ReferentialValidationError,
    )


def _item_name(raw: Any, index: int) -> str:
    """Name an item in messages by its code, or by its position when it has no usable code."""
    code = raw.get("code") if isinstance(raw, dict) else None
    return code if isinstance(code, str) and code else f"#{index + 1}"


def _load_framework(doc: YamlDocument) -> Framework:
    header = doc.validate(FrameworkHeader, doc.data)
    if header.framework != doc.path.stem:
        raise ReferentialValidationError(
            "referential.framework_name_mismatch",
            Location(file=doc.name, line=doc.line_of(("framework",)), field="framework"),
            declared=header.framework,
            expected=doc.path.stem,
        )
    model = ITEM_MODELS.get(header.framework, Item)
    items: list[Item] = []
    seen: set[str] = set()
    for index, raw in enumerate(header.items):
        path = ("items", index)
        item = doc.validate(model, raw, path, item=_item_name(raw, index))
        if item.code in seen:
            raise ReferentialValidationError(
                "referential.duplicate_code",
                Location(file=doc.name, line=doc.line_of(path), item=item.code, field="code"),
                framework=header.framework,
            )
        seen.add(item.code)
        items.append(item)
    return Framework(
        code=header.framework,
        version=header.version,
        title=header.title,
        description=header.description,
        items=tuple(items),
        file=doc.name,
        order=header.order,
        sources=tuple(header.sources),
    )


def _load_sources(doc: YamlDocument) -> dict[str, Source]:
    raw_sources = doc.validate(SourcesFile, doc.data).sources
    sources: dict[str, Source] = {}
    for index, raw in enumerate(raw_sources):
        path = ("sources", index)
        source = doc.validate(Source, raw, path, item=_item_name(raw, index))
        if source.code in sources:
            raise ReferentialValidationError(
                "referential.duplicate_code",
                Location(file=doc.name, line=doc.line_of(path), item=source.code, field="code"),
                framework="sources",
            )
        sources[source.code] = source
    return sources


def _check_references(
    frameworks: dict[str, Framework], sources: dict[str, Source], docs: dict[str, YamlDocument]
) -> None:
    """Every parent, link target, coded field and source must resolve; parents form no cycle."""
    for framework in frameworks.values():
        doc = docs[framework.code]
        for index, code in enumerate(framework.sources):
            if code not in sources:
                location = Location(
                    file=doc.name,
                    line=doc.line_of(("sources", index)),
                    field=f"sources.{index}",
                    value=code,
                )
                raise ReferentialReferenceError("referential.unknown_source", location, source=code)
        for index, item in enumerate(framework.items):
            _check_item(item, framework, frameworks, sources, _Place(doc, index, item.code))


class _Place:
    """Builds the location of a field of one item, with the line it is written on."""

    def __init__(self, doc: YamlDocument, index: int, item: str) -> None:
        self.doc, self.index, self.item = doc, index, item

    def at(self, field: str, value: str) -> Location:
        path = ("items", self.index, *(int(p) if p.isdigit() else p for p in field.split(".")))
        return Location(
            file=self.doc.name,
            line=self.doc.line_of(path),
            item=self.item,
            field=field,
            value=value,
        )


def _check_item(
    item: Item,
    framework: Framework,
    frameworks: dict[str, Framework],
    sources: dict[str, Source],
    place: _Place,
) -> None:
    if item.parent is not None:
        if item.parent not in framework:
            raise ReferentialReferenceError(
                "referential.unknown_parent",
                place.at("parent", item.parent),
                parent=item.parent,
                framework=framework.code,
            )
        _check_no_cycle(framework, item, place.at("parent", item.parent))
    targets = [(f"links.{i}.target", link.target) for i, link in enumerate(item.links)]
    targets += [
        (name, f"{target_framework}/{getattr(item, name)}")
        for name, target_framework in item.reference_fields.items()
    ]
    for field, target in targets:
        target_framework, _, code = target.partition("/")
        if target_framework not in frameworks or code not in frameworks[target_framework]:
            raise ReferentialReferenceError(
                "referential.unknown_target", place.at(field, target), target=target
            )
    cited = [(f"sources.{i}", code) for i, code in enumerate(item.sources)]
    for i, link in enumerate(item.links):
        cited += [(f"links.{i}.sources.{j}", code) for j, code in enumerate(link.sources)]
    sheet = getattr(item, "practice_sheet", None)
    if sheet is not None:
        cited += [(f"practice_sheet.sources.{j}", code) for j, code in enumerate(sheet.sources)]
    for field, code in cited:
        if code not in sources:
            raise ReferentialReferenceError(
                "referential.unknown_source", place.at(field, code), source=code
            )


def _check_no_cycle(framework: Framework, item: Item, location: Location) -> None:
    seen = {item.code}
    parent = item.parent
    while parent is not None:
        if parent in seen:
            raise ReferentialReferenceError(
                "referential.parent_cycle", location, framework=framework.code
            )
        seen.add(parent)
        parent = framework.item(parent).parent


def load_referential(data_dir: Path | str = DATA_DIR) -> Referential:
    """Load and check every framework in ``data_dir``.

    Raises
    ------
    ReferentialError
        With the file, line, item and field of the first problem found.

    Examples
    --------
    >>> referential = load_referential()
    >>> referential.framework("levers").item("richesses_humaines").label("en")
    'Human wealth'
    """
    data_dir = Path(data_dir)
    sources_doc = _document(data_dir / SOURCES_FILE)
    docs = {
        path.stem: _document(path)
        for path in sorted(data_dir.glob("*.yaml"))
        if path.name != SOURCES_FILE
    }
    sources = _load_sources(sources_doc)
    loaded = sorted((_load_framework(doc) for doc in docs.values()), key=lambda f: f.order)
    frameworks = {framework.code: framework for framework in loaded}
    _check_references(frameworks, sources, docs)
    digest = hashlib.sha256(b"".join(d.digest for d in [sources_doc, *docs.values()]))
    return Referential(frameworks=frameworks, sources=sources, version=digest.hexdigest()[:12])


@cache
def default_referential() -> Referential:
    """Return the referential shipped with the package, loaded once per process.

    It comes from the user's cache when the data have not changed (see :mod:`alliance.cache`),
    which saves most of a command's start-up.
    """
    from alliance.cache import cached, files_key

    key = files_key(DATA_DIR.glob("*.yaml"))
    return cached("referential", key, Referential, lambda: load_referential(DATA_DIR))
