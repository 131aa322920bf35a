"""Changing ``study.yaml`` from the workspace without losing what the analyst wrote in it.

``study.yaml`` is written by people, with comments that explain it. The workspace changes two
things in it: a wave's ``validation`` (strict or lenient) and a population's ``mapping`` file
(created when the analyst maps unknown columns in the page). Each change edits only the text of
the value concerned (or inserts one line beside its siblings), so comments and layout stay; a
definition in YAML's flow style (``{wave: "2024", file: …}``), where a line cannot be inserted,
is written again whole. The result is read back before it replaces the file, which is written
atomically (:func:`alliance.files.write_text_atomically`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml

from alliance.errors import Location, StudyInvalidError
from alliance.files import write_text_atomically
from alliance.study.definition import load_definition
from alliance.study.files import normalised
from alliance.survey.io.mapping import read_mapping

__all__ = ["add_wave", "save_mapping", "set_validation"]

#: Values written as they are; others are quoted (JSON strings are YAML strings).
PLAIN = re.compile(r"^[A-Za-z0-9_./-]+$")


def set_validation(study_yaml: Path, wave_file: str, mode: Literal["strict", "lenient"]) -> None:
    """Make the wave delivered in ``wave_file`` validated ``mode`` (strict or lenient)."""
    text = study_yaml.read_text(encoding="utf-8")
    root = _root(text, study_yaml)
    for population in _entries(root, "populations"):
        for wave in _entries(population, "waves"):
            file = _child(wave, "file")
            if isinstance(file, yaml.ScalarNode) and normalised(file.value) == normalised(
                wave_file
            ):
                _write(study_yaml, _set_key(text, wave, "validation", mode, after="file"))
                return
    raise StudyInvalidError(
        "study.wave_unknown", Location(file=study_yaml.name, value=wave_file), path=wave_file
    )


def save_mapping(
    study_yaml: Path, population: str, choices: dict[str, str | None], default: str
) -> str:
    """Add ``choices`` ({column: item or None to ignore it}) to ``population``'s mapping file.

    The file is the one ``study.yaml`` names; when it names none, ``default`` is created and
    named. Entries already in the file for other columns are kept. Returns the mapping's path.
    """
    definition, _problems, _doc = load_definition(study_yaml)
    found = (
        next((p for p in definition.populations if p.population == population), None)
        if definition
        else None
    )
    if definition is None or found is None:
        raise StudyInvalidError(
            "study.population_unknown", Location(file=study_yaml.name, value=population),
            population=population,
        )  # fmt: skip
    relative = normalised(found.mapping or default)
    target = definition.path(relative)
    mapping: dict[str, str | None] = read_mapping(target) if target.is_file() else {}
    mapping |= choices
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(
        target,
        yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False, default_flow_style=False),
    )
    if found.mapping is None:
        text = study_yaml.read_text(encoding="utf-8")
        root = _root(text, study_yaml)
        node = next(
            p
            for p in _entries(root, "populations")
            if getattr(_child(p, "population"), "value", None) == population
        )
        _write(study_yaml, _set_key(text, node, "mapping", relative, after="questionnaire"))
    return relative


def add_wave(study_yaml: Path, population: str, wave: dict[str, Any]) -> None:
    """Add ``wave`` (a wave's definition) after ``population``'s last wave.

    In block style the wave's lines are inserted after the last wave's last value, with its
    indentation, so the comments around stay; a flow-style list is written again whole.
    """
    text = study_yaml.read_text(encoding="utf-8")
    root = _root(text, study_yaml)
    node = next(
        (p for p in _entries(root, "populations")
         if getattr(_child(p, "population"), "value", None) == population),
        None,
    )  # fmt: skip
    waves = _child(node, "waves") if node is not None else None
    if node is None or not isinstance(waves, yaml.SequenceNode):
        raise StudyInvalidError(
            "study.population_unknown", Location(file=study_yaml.name, value=population),
            population=population,
        )  # fmt: skip
    last = waves.value[-1] if waves.value else None
    if waves.flow_style or not isinstance(last, yaml.MappingNode) or last.flow_style:
        data: Any = yaml.safe_load(text)
        _data_at(data, root, node)["waves"].append(wave)
        _write(study_yaml, str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False)))
        return
    column = last.start_mark.column
    entry = yaml.safe_dump([wave], allow_unicode=True, sort_keys=False, default_flow_style=None)
    added = "".join(" " * (column - 2) + line for line in entry.splitlines(keepends=True))
    lines = text.splitlines(keepends=True)
    after = last.value[-1][1].end_mark.line + 1
    if lines and not lines[after - 1].endswith("\n"):
        lines[after - 1] += "\n"
    lines.insert(after, added)
    _write(study_yaml, "".join(lines))


def _root(text: str, path: Path) -> yaml.MappingNode:
    """Compose the document's nodes with the pure-Python loader (its marks count characters)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        raise StudyInvalidError("study.definition_not_mapping", Location(file=path.name, line=1))
    return node


def _child(node: yaml.Node, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if k.value == key), None)


def _entries(node: yaml.Node, key: str) -> list[yaml.Node]:
    child = _child(node, key)
    return list(child.value) if isinstance(child, yaml.SequenceNode) else []


def _scalar(value: str) -> str:
    return value if PLAIN.match(value) else json.dumps(value, ensure_ascii=False)


def _set_key(text: str, node: yaml.Node, key: str, value: str, *, after: str) -> str:
    """Return ``text`` with ``key: value`` in the mapping ``node``.

    An existing value is replaced; else a line is added after the key ``after``.
    """
    assert isinstance(node, yaml.MappingNode)
    for k, v in node.value:
        if k.value == key and isinstance(v, yaml.ScalarNode):
            return text[: v.start_mark.index] + _scalar(value) + text[v.end_mark.index :]
    anchor = next(((k, v) for k, v in node.value if k.value == after), None)
    if node.flow_style or anchor is None or anchor[1].end_mark.line != anchor[0].start_mark.line:
        return _rewritten(text, node, key, value)
    lines = text.splitlines(keepends=True)
    line = anchor[0].start_mark.line
    if not lines[line].endswith("\n"):
        lines[line] += "\n"
    lines.insert(line + 1, " " * anchor[0].start_mark.column + f"{key}: {_scalar(value)}\n")
    return "".join(lines)


def _rewritten(text: str, node: yaml.MappingNode, key: str, value: str) -> str:
    """Write the whole document again with the change (comments are lost: flow style)."""
    data: Any = yaml.safe_load(text)
    target = _data_at(data, _root(text, Path("study.yaml")), node)
    target[key] = value
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _data_at(data: Any, root: yaml.Node, wanted: yaml.Node) -> Any:
    """Return the part of ``data`` built from the node at ``wanted``'s place in ``root``."""
    if root.start_mark.index == wanted.start_mark.index and isinstance(root, yaml.MappingNode):
        return data
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            found = _data_at(data[k.value], v, wanted)
            if found is not None:
                return found
    elif isinstance(root, yaml.SequenceNode):
        for index, v in enumerate(root.value):
            found = _data_at(data[index], v, wanted)
            if found is not None:
                return found
    return None


def _write(study_yaml: Path, text: str) -> None:
    """Replace ``study.yaml`` with ``text``, once it reads back as YAML."""
    yaml.safe_load(text)  # the edits keep the YAML valid; never write a file that is not
    write_text_atomically(study_yaml, text)
