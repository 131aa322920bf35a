"""Provenance: every number of the notebook traceable to its inputs, questionnaire, margins, code.

``provenance.json`` lists the delivered files with their SHA-256, the questionnaires (code,
version, SHA-256 of their content), the margins files (SHA-256 and sources), the referential's
version and the code's version, then, for each table, what it was computed from.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from alliance import __version__
from alliance.referential import default_referential
from alliance.study.run import StudyRun

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


def build_provenance(
    run: StudyRun, tables: dict[str, dict[str, Any]], *, code_commit: str
) -> dict[str, Any]:
    """Return the provenance record of the study and of each table."""
    inputs = []
    questionnaires = {}
    margins: list[dict[str, Any]] = []
    for population in run.populations:
        prepared = population.prepared
        questionnaire = prepared.questionnaire
        questionnaires[questionnaire.questionnaire] = {
            "version": questionnaire.version,
            "sha256": prepared.questionnaire_sha256,
        }
        for wave in prepared.waves:
            inputs.append(
                {
                    "population": population.code,
                    "file": wave.path.name,
                    "sha256": wave.sha256,
                    "read_as": wave.responses.describe(),
                    "rows": wave.responses.frame.height,
                    "wave": wave.wave,
                    "questionnaire": questionnaire.questionnaire,
                    "questionnaire_version": questionnaire.version,
                    "synthetic": run.definition.synthetic,
                }
            )
            if wave.margins is not None and all(m["file"] != wave.margins.file for m in margins):
                margins.append(
                    {
                        "file": wave.margins.file,
                        "sha256": wave.margins.digest,
                        "sources": [s.model_dump() for s in wave.margins.sources],
                    }
                )
    return {
        "study": run.definition.study,
        "synthetic": run.definition.synthetic,
        "code": {"package": "alliance", "version": __version__, "commit": code_commit},
        "referential": {"version": default_referential().version},
        "inputs": inputs,
        "questionnaires": questionnaires,
        "margins": margins,
        "tables": tables,
    }
