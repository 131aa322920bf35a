"""The demonstration study: synthetic deliveries fed through the same doors as real data.

:func:`run_demo` simulates the five populations' two waves into a study folder
(:mod:`alliance.demo.delivery`), then runs it with :func:`alliance.study.run_study_file`, which
writes the « Alliance & Performance » notebook as HTML, PDF and XLSX, its provenance and its open
data files. Every output says the data are synthetic.

:data:`REGISTRY_FILES` are small synthetic extracts of the public registries in their real
formats (RNA waldec files of departments 35 and 59 in Windows Latin-1, SIRENE stock CSV files),
around the demo organisations (Rennes) and examples (Lille, Roubaix): the demo imports them with
``alliance territory import-rna|import-sirene``'s own function, so territory pages have actors.
Every name in them says « fictive ».
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from alliance.demo.delivery import PLANS, deliver_study
from alliance.i18n import Lang
from alliance.study.outputs import StudyOutputs
from alliance.study.pipeline import run_study_file
from alliance.study.stopwatch import Stopwatch

__all__ = ["PLANS", "REGISTRY_FILES", "STUDY_FOLDER", "run_demo"]

#: Where, in the demo's output folder, the simulated study folder is written.
STUDY_FOLDER = "study"
_REGISTRY = Path(__file__).parent / "data" / "registry"
#: The demo's synthetic registry files, by registry.
REGISTRY_FILES: dict[Literal["rna", "sirene"], list[Path]] = {
    "rna": sorted(_REGISTRY.glob("rna_waldec_*.csv")),
    "sirene": [_REGISTRY / "StockUniteLegale_utf8.csv", _REGISTRY / "StockEtablissement_utf8.csv"],
}


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
