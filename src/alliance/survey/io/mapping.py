"""Mapping files: which column of a data file answers which item (``null`` ignores a column).

YAML or JSON, ``{column: item}``::

    Q1: impact_territories
    poids: weight
    duree_interview: null
"""

from __future__ import annotations

from pathlib import Path

import yaml

from alliance.errors import DataFileError, Location

__all__ = ["read_mapping"]


def read_mapping(path: Path) -> dict[str, str | None]:
    """Read a mapping file; every key and value must be a text (or null, to ignore a column)."""
    where = Location(file=path.name)
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        raise DataFileError("survey.file_missing", Location(file=str(path))) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DataFileError(
            "survey.mapping_syntax",
            Location(file=path.name, line=mark.line + 1 if mark else None),
            problem=str(getattr(error, "problem", None) or error),
        ) from None
    if not isinstance(content, dict):
        raise DataFileError("survey.mapping_invalid", where)
    for column, item in content.items():
        if not isinstance(column, str) or not (item is None or isinstance(item, str)):
            raise DataFileError(
                "survey.mapping_invalid",
                Location(file=path.name, field=str(column), value=item),
            )
    return content
