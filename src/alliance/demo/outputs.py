"""Run the demonstration study and write its outputs.

``notebook.html``, ``notebook.pdf``, ``tables.xlsx`` and ``provenance.json``, with the delivered
and imported data under ``data/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alliance.demo.notebook import build_notebook, published_rows
from alliance.demo.provenance import code_commit
from alliance.demo.study import StudyResults, run_study
from alliance.files import write_text_atomically
from alliance.i18n import Lang
from alliance.report.document import Document
from alliance.report.html import render_html
from alliance.report.pdf import write_pdf
from alliance.report.xlsx import write_xlsx

__all__ = ["STEPS", "DemoOutputs", "run_demo"]

#: The steps of the demo, for progress bars: the populations, then the four outputs.
STEPS = (
    "public", "elected-officials", "companies", "associations", "foundations",
    "notebook.html", "notebook.pdf", "tables.xlsx", "provenance.json",
)  # fmt: skip


@dataclass(frozen=True)
class DemoOutputs:
    """What the demo wrote, and the results behind it."""

    folder: Path
    html: Path
    pdf: Path
    xlsx: Path
    provenance: Path
    results: StudyResults
    document: Document

    def headline(self, lang: Lang) -> list[dict[str, Any]]:
        """Return the published figures against their reproduction: the headline table."""
        return published_rows(self.results, lang)


def run_demo(
    out: Path, lang: Lang = "fr", *, step: Callable[[str], None] | None = None
) -> DemoOutputs:
    """Run the study into ``out``; write the notebook in ``lang``, its tables and provenance."""
    out.mkdir(parents=True, exist_ok=True)
    results = run_study(out, step=step)
    document = build_notebook(results, lang, code_commit=code_commit())
    paths = {name: out / name for name in STEPS[5:]}
    if step:
        step("notebook.html")
    write_text_atomically(paths["notebook.html"], render_html(document))
    if step:
        step("notebook.pdf")
    write_pdf(document, paths["notebook.pdf"])
    if step:
        step("tables.xlsx")
    write_xlsx(document, paths["tables.xlsx"])
    if step:
        step("provenance.json")
    write_text_atomically(
        paths["provenance.json"],
        json.dumps(document.provenance, ensure_ascii=False, indent=2) + "\n",
    )
    return DemoOutputs(
        folder=out,
        html=paths["notebook.html"],
        pdf=paths["notebook.pdf"],
        xlsx=paths["tables.xlsx"],
        provenance=paths["provenance.json"],
        results=results,
        document=document,
    )
