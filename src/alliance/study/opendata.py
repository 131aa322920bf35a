"""The open data files of a study: ``estimates.csv`` and its Frictionless ``datapackage.json``.

``estimates.csv`` is UTF-8, comma-separated, one row per estimate (columns
:data:`~alliance.study.results.ESTIMATE_COLUMNS`), numbers at full precision with a dot, empty
cells for what is not there (no segment; a suppressed estimate). ``datapackage.json`` describes
every file the run wrote (Frictionless Data Package v2): for the CSV, a table schema with each
column's type and its title and description in French and English; the licence, the sources, and
the labels of every population, item and group.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import Any

from alliance import __version__
from alliance.i18n import LANGUAGES
from alliance.messages import render
from alliance.spreadsheet_cells import safe_cell
from alliance.study.results import ESTIMATE_COLUMNS, StudyResults

__all__ = ["DATAPACKAGE_PROFILE", "FILE_TYPES", "datapackage", "estimates_csv"]

DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
#: Every file a run writes: its media type and what it is.
FILE_TYPES: dict[str, str] = {
    "estimates.csv": "text/csv",
    "notebook.html": "text/html",
    "notebook.pdf": "application/pdf",
    "tables.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "provenance.json": "application/json",
    "results.json": "application/json",
}
#: Table schema type of each column of ``estimates.csv``.
COLUMN_TYPES = {
    "population": "string", "wave": "string", "variable": "string", "statistic": "string",
    "by": "string", "group": "string", "estimate": "number", "se": "number",
    "ci_low": "number", "ci_high": "number", "n": "integer", "fragile": "boolean",
}  # fmt: skip
LICENCES = {
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "etalab-2.0": ("Licence Ouverte / Open Licence 2.0", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"),
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
}  # fmt: skip


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(safe_cell(str(value)))


def estimates_csv(results: StudyResults) -> str:
    """Return ``estimates.csv``: every estimate, suppressed ones with empty values."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ESTIMATE_COLUMNS)
    for result in results.estimates:
        row = result.row()
        writer.writerow([_cell(row[name]) for name in ESTIMATE_COLUMNS])
    return buffer.getvalue()


def _field(name: str) -> dict[str, Any]:
    texts = {lang: render(f"opendata.column_{name}", lang) for lang in LANGUAGES}
    title = {lang: text.split(" — ")[0] for lang, text in texts.items()}
    return {
        "name": name,
        "type": COLUMN_TYPES[name],
        "title": title["fr"],
        "description": texts["fr"],
        "labels": {lang: {"title": title[lang], "description": texts[lang]} for lang in texts},
        **({"trueValues": ["true"], "falseValues": ["false"]} if name == "fragile" else {}),
    }


def datapackage(
    results: StudyResults,
    folder: Path,
    lang_written: str,
    margin_sources: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Describe every file written in ``folder`` (which must hold them) as a Data Package.

    ``margin_sources`` are the published tables the weighting margins come from
    (``{"title", "path"}``); with the published figures' sources, they are the package's sources.
    """
    resources = []
    for name, mediatype in FILE_TYPES.items():
        path = folder / name
        if not path.exists():
            continue
        content = path.read_bytes()
        resource: dict[str, Any] = {
            "name": name.replace(".", "-"),
            "path": name,
            "mediatype": mediatype,
            "bytes": len(content),
            "hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
            "title": render(f"opendata.file_{name.split('.')[0]}_{name.split('.')[1]}", "fr"),
            "description": render(f"opendata.file_{name.split('.')[0]}_{name.split('.')[1]}", "en"),
        }
        if name == "estimates.csv":
            resource.update(
                {
                    "type": "table",
                    "format": "csv",
                    "encoding": "utf-8",
                    "dialect": {"delimiter": ",", "header": True},
                    "schema": {
                        "fields": [_field(column) for column in ESTIMATE_COLUMNS],
                        "missingValues": [""],
                    },
                }
            )
        else:
            # Not tabular data: the XLSX's sheets open with titles, and validators must not
            # read them as tables.
            resource["type"] = "file"
            resource["format"] = name.rsplit(".", 1)[1]
            if name.startswith("notebook") or name == "tables.xlsx":
                resource["language"] = lang_written
        resources.append(resource)
    licence_name = results.licence
    title, url = LICENCES.get(licence_name, (licence_name, ""))
    return {
        "$schema": DATAPACKAGE_PROFILE,
        "name": results.study,
        "title": results.title.get("fr", results.study),
        "description": results.title.get("en", ""),
        "labels": {"title": results.title},
        "version": results.digest()[:12],
        "created_with": f"alliance {__version__}",
        "synthetic": results.synthetic,
        "licenses": [{"name": licence_name, "title": title, **({"path": url} if url else {})}],
        "sources": _sources(results, margin_sources or []),
        "dictionary": _dictionary(results),
        "resources": resources,
    }


def _sources(results: StudyResults, margins: list[dict[str, str]]) -> list[dict[str, str]]:
    sources = [*margins, *({"title": f.source} for f in results.published)]
    unique = {s["title"]: s for s in sources}
    return list(unique.values())


def _dictionary(results: StudyResults) -> dict[str, Any]:
    """Labels of populations, waves, items and groups in both languages."""
    return {
        p.population: {
            "label": p.label,
            "universe": p.universe,
            "waves": [w.wave for w in p.waves],
            "variables": p.items,
            "segments": p.segments,
        }
        for p in results.populations
    }
