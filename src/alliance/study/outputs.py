"""Writing a study's outputs all at once or not at all.

``notebook.html``, ``notebook.pdf``, ``tables.xlsx``, ``provenance.json``, ``estimates.csv``,
``results.json`` and ``datapackage.json`` are first written to a temporary folder beside the
destination; only when every one is written do they move into place. A run that fails leaves the
destination as it was.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alliance.errors import DataFileError, Location
from alliance.i18n import Lang
from alliance.report.document import Document
from alliance.study.opendata import datapackage, estimates_csv
from alliance.study.results import RESULTS_FILE
from alliance.study.run import StudyRun
from alliance.study.stopwatch import Stopwatch

__all__ = ["OUTPUT_FILES", "StudyOutputs", "margin_sources", "write_outputs"]

#: Every file a run writes, in the order they are written.
OUTPUT_FILES = (
    "notebook.html", "notebook.pdf", "tables.xlsx", "provenance.json", "estimates.csv",
    RESULTS_FILE, "datapackage.json",
)  # fmt: skip


@dataclass(frozen=True)
class StudyOutputs:
    """What a run wrote, and the document and run behind it."""

    folder: Path
    run: StudyRun
    document: Document

    def path(self, name: str) -> Path:
        """Return the path of one of :data:`OUTPUT_FILES`."""
        return self.folder / name


def write_outputs(
    run: StudyRun,
    document: Document,
    out: Path,
    lang: Lang,
    *,
    stopwatch: Stopwatch | None = None,
) -> StudyOutputs:
    """Write every output of ``run`` to ``out``, all or nothing."""
    from alliance.report.html import render_html
    from alliance.report.pdf import write_pdf
    from alliance.report.xlsx import write_xlsx

    clock = stopwatch or Stopwatch()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError:
        raise DataFileError("study.out_unwritable", Location(file=str(out)), folder=out) from None
    try:
        with clock.step("write", "notebook.html"):
            (staging / "notebook.html").write_text(render_html(document), encoding="utf-8")
        with clock.step("pdf", "notebook.pdf"):
            write_pdf(document, staging / "notebook.pdf")
        with clock.step("write", "tables.xlsx"):
            write_xlsx(document, staging / "tables.xlsx")
            _json(staging / "provenance.json", document.provenance)
            (staging / "estimates.csv").write_text(estimates_csv(run.results), encoding="utf-8")
            _json(staging / RESULTS_FILE, run.results.to_json())
            package = datapackage(run.results, staging, lang, margin_sources(run))
            _json(staging / "datapackage.json", package)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise DataFileError(
                "study.out_unwritable", Location(file=str(out)), folder=out
            ) from None
        for name in OUTPUT_FILES:
            (staging / name).replace(out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return StudyOutputs(folder=out, run=run, document=document)


def margin_sources(run: StudyRun) -> list[dict[str, str]]:
    """Return the published tables every wave's margins come from."""
    return [
        {"title": source.title, **({"path": source.url} if source.url else {})}
        for population in run.populations
        for wave in population.prepared.waves
        if wave.margins is not None
        for source in wave.margins.sources
    ]


def _json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
