"""The demonstration study: synthetic deliveries fed through the same doors as real data.

:func:`run_demo` simulates the five populations' two waves into a study folder
(:mod:`alliance.demo.delivery`), then runs it with :func:`alliance.study.run_study_file`, which
writes the « Alliance & Performance » notebook as HTML, PDF and XLSX, its provenance and its open
data files. Every output says the data are synthetic.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alliance.demo.delivery import PLANS, deliver_study
from alliance.i18n import Lang
from alliance.study.outputs import StudyOutputs
from alliance.study.pipeline import run_study_file
from alliance.study.stopwatch import Stopwatch

__all__ = ["PLANS", "STUDY_FOLDER", "run_demo"]

#: Where, in the demo's output folder, the simulated study folder is written.
STUDY_FOLDER = "study"


def run_demo(
    out: Path,
    lang: Lang = "fr",
    *,
    step: Callable[[str], None] | None = None,
    stopwatch: Stopwatch | None = None,
) -> StudyOutputs:
    """Deliver the demo study into ``out/study``, then run it into ``out``."""
    definition = deliver_study(out / STUDY_FOLDER, step=step)
    return run_study_file(definition, out, lang, stopwatch=stopwatch)
