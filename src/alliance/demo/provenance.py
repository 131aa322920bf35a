"""Provenance: every number of the notebook traceable to its inputs, questionnaire, margins, code.

``provenance.json`` lists the delivered files and the imported ones with their SHA-256, the
questionnaires (code, version, SHA-256 of their content), the margins files (SHA-256 and sources),
the referential's version and the code's version, then, for each table, what it was computed from.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from alliance import __version__
from alliance.demo.study import StudyResults

__all__ = ["build_provenance", "code_commit"]


def code_commit() -> str:
    """Return the git commit of the code when it runs from a clone, else ``unknown``."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_provenance(
    results: StudyResults, tables: dict[str, dict[str, Any]], *, code_commit: str
) -> dict[str, Any]:
    """Return the provenance record of the study and of each table."""
    inputs = []
    questionnaires = {}
    for population in results.populations:
        questionnaire = population.questionnaire
        content = json.dumps(questionnaire.model_dump(mode="json"), sort_keys=True)
        questionnaires[questionnaire.questionnaire] = {
            "version": questionnaire.version,
            "sha256": hashlib.sha256(content.encode()).hexdigest(),
        }
        for file in population.files:
            inputs.append(
                {
                    "file": file.path.name,
                    "sha256": file.sha256,
                    "read_as": file.read_as,
                    "rows": file.rows,
                    "wave": file.wave,
                    "imported": file.imported.name,
                    "imported_sha256": _sha256(file.imported),
                    "questionnaire": questionnaire.questionnaire,
                    "questionnaire_version": questionnaire.version,
                    "synthetic": True,
                }
            )
    margins = [
        {
            "file": f"{p.plan.margins}.yaml",
            "sha256": p.margins.digest,
            "sources": [s.model_dump() for s in p.margins.sources],
        }
        for p in results.populations
    ]
    return {
        "synthetic": True,
        "code": {"package": "alliance", "version": __version__, "commit": code_commit},
        "referential": {"version": results.referential.version},
        "inputs": inputs,
        "questionnaires": questionnaires,
        "margins": margins,
        "tables": tables,
    }
