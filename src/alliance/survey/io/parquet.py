"""Parquet, the internal format: the responses plus their questionnaire and labels, in one file.

The metadata travel in the Parquet file's key-value metadata under ``alliance`` (JSON): the
questionnaire (code, version and full content), the variable and value labels, the missing codes
and how the original file was read. A Parquet file from elsewhere reads as plain data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from alliance.errors import DataFileError, Location
from alliance.files import atomic_path
from alliance.survey.io.responses import Responses

__all__ = ["METADATA_KEY", "read_parquet", "write_parquet", "write_parquet_file"]

METADATA_KEY = "alliance"


def read_parquet(path: Path) -> Responses:
    """Read a Parquet file, with our metadata when it has them."""
    try:
        frame = pl.read_parquet(path)
        stored = pl.read_parquet_metadata(path).get(METADATA_KEY)
    except (pl.exceptions.PolarsError, OSError) as error:
        problem = str(error).strip().splitlines()[0]
        raise DataFileError(
            "survey.file_unreadable", Location(file=path.name), problem=problem
        ) from None
    metadata: dict[str, Any] = json.loads(stored) if stored else {}
    return Responses(
        frame=frame,
        path=path,
        format="parquet",
        variable_labels=metadata.get("variable_labels", {}),
        value_labels={
            name: {code: label for code, label in pairs}
            for name, pairs in metadata.get("value_labels", {}).items()
        },
        missing_codes=metadata.get("missing_codes", {}),
        notes=tuple(metadata.get("notes", ())),
    )


def stored_questionnaire(path: Path) -> dict[str, Any] | None:
    """Return the questionnaire stored in one of our Parquet files, if any."""
    stored = pl.read_parquet_metadata(path).get(METADATA_KEY)
    return json.loads(stored).get("questionnaire") if stored else None


def write_parquet(
    responses: Responses, path: Path, *, questionnaire: dict[str, Any] | None = None
) -> None:
    """Write responses and their metadata, all at once or not at all."""
    with atomic_path(path) as temporary:
        write_parquet_file(responses, temporary, questionnaire=questionnaire)


def write_parquet_file(
    responses: Responses, target: Path, *, questionnaire: dict[str, Any] | None = None
) -> None:
    """Write responses and their metadata to ``target`` itself (a temporary file of the caller)."""
    metadata = {
        "questionnaire": questionnaire,
        "variable_labels": responses.variable_labels,
        "value_labels": {
            name: [[code, label] for code, label in labels.items()]
            for name, labels in responses.value_labels.items()
        },
        "missing_codes": responses.missing_codes,
        "source": {"file": responses.path.name, "read_as": responses.describe()},
        "notes": list(responses.notes),
    }
    responses.frame.write_parquet(
        target, metadata={METADATA_KEY: json.dumps(metadata, ensure_ascii=False)}
    )
