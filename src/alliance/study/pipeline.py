"""From ``study.yaml`` to the published files: check, run, write — the steps every door takes.

``alliance study run``, ``alliance demo`` and (later) the analysts' workspace all call
:func:`run_study_file`, so a study gives the same outputs whichever way it is run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alliance.errors import StudyInvalidError
from alliance.i18n import Lang
from alliance.study.check import PreparedStudy, prepare_study
from alliance.study.run import run_study
from alliance.study.stopwatch import Stopwatch

if TYPE_CHECKING:
    from alliance.study.outputs import StudyOutputs

__all__ = ["check_study", "run_study_file"]


def check_study(path: Path, *, stopwatch: Stopwatch | None = None) -> PreparedStudy:
    """Read and check a study; raise :class:`StudyInvalidError` listing every error."""
    prepared = prepare_study(path, stopwatch=stopwatch)
    if prepared.errors:
        study = prepared.definition.study if prepared.definition else path.name
        raise StudyInvalidError(
            "study.problems_found",
            errors=len(prepared.errors),
            study=study,
            problems=prepared.problems,
        )
    return prepared


def run_study_file(
    path: Path, out: Path, lang: Lang, *, stopwatch: Stopwatch | None = None
) -> StudyOutputs:
    """Check, run and write a study to ``out``; nothing is written if anything fails.

    The notebook's modules (charts, PDF) are imported here, not at start-up, so that
    ``alliance study check`` stays quick.
    """
    from alliance.study.notebook import build_notebook, load_prose
    from alliance.study.outputs import write_outputs

    clock = stopwatch or Stopwatch()
    prepared = check_study(path, stopwatch=clock)
    run = run_study(prepared, stopwatch=clock)
    definition = run.definition
    prose = load_prose(definition.path(definition.notebook)) if definition.notebook else None
    with clock.step("charts", "notebook"):
        document = build_notebook(run, lang, prose=prose)
    return write_outputs(run, document, out, lang, stopwatch=clock)
