"""YAML files that remember where each value is, so a problem can name its file, line and field.

The referential and the questionnaires are YAML written by people. Both are parsed once into nodes
(which keep their line numbers) and validated with pydantic; the first problem becomes a located,
bilingual error of the caller's class.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from alliance.errors import AllianceError, Location
from alliance.validation import message_for

__all__ = ["YAML_LOADER", "YamlDocument"]

M = TypeVar("M", bound=BaseModel)

#: libyaml's parser when PyYAML was built with it (the wheels are), else the pure-Python one.
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlDocument:
    """A parsed YAML file that remembers the line of every node, to point at problems."""

    def __init__(
        self,
        path: Path,
        *,
        missing_key: str,
        file_error: type[AllianceError],
        validation_error: type[AllianceError],
    ) -> None:
        self.path = path
        self.name = path.name
        self.validation_error = validation_error
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise file_error(missing_key, Location(file=str(path))) from None
        except (OSError, UnicodeDecodeError) as error:
            raise file_error("yaml.invalid", Location(file=self.name), problem=str(error)) from None
        self.digest = hashlib.sha256(path.name.encode() + b"\0" + text.encode()).digest()
        # Parse once into nodes (they keep their line numbers), then build the data from them.
        loader = YAML_LOADER(text)
        try:
            self.node = loader.get_single_node()
            self.data = loader.construct_document(self.node) if self.node is not None else None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark
            raise file_error(
                "yaml.invalid",
                Location(
                    file=self.name,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                ),
                problem=error.problem or str(error),
            ) from None
        except ValueError:  # a scalar YAML resolves to a type but cannot build, as 2025-13-03
            line, value = _unbuildable(self.node) or (None, None)
            raise file_error(
                "yaml.unbuildable", Location(file=self.name, line=line, value=value), value=value
            ) from None
        finally:
            loader.dispose()

    def line_of(self, path: Sequence[int | str]) -> int | None:
        """Return the 1-based line of the deepest node that exists along ``path``."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == step), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                node = node.value[step] if step < len(node.value) else None
            else:
                node = None
            if node is None:
                break
            line = node.start_mark.line + 1
        return line

    def validate(
        self, model: type[M], data: Any, path: tuple[int | str, ...] = (), item: str | None = None
    ) -> M:
        """Validate ``data`` (found at ``path`` in this file) or raise a located error."""
        try:
            return model.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            field_path = tuple(first["loc"])
            field = ".".join(str(part) for part in field_path) or None
            value = first.get("input") if first["type"] != "missing" else None
            key, params = message_for(first)
            raise self.validation_error(
                key,
                Location(
                    file=self.name,
                    line=self.line_of(path + field_path),
                    item=item,
                    field=field,
                    value=value if isinstance(value, str | int | float) else None,
                ),
                **params,
            ) from None


def _unbuildable(node: yaml.Node | None) -> tuple[int, str] | None:
    """Return the line and text of the first scalar YAML resolves to a type but cannot build."""
    if isinstance(node, yaml.ScalarNode):
        try:
            yaml.load(yaml.serialize(node), Loader=YAML_LOADER)
        except ValueError:
            return node.start_mark.line + 1, str(node.value)
        return None
    children: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    elif isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    for child in children:
        found = _unbuildable(child)
        if found is not None:
            return found
    return None
