"""The report as PDF: the HTML with its print styles, laid out by WeasyPrint (A4, page numbers)."""

from __future__ import annotations

from pathlib import Path

import weasyprint

from alliance.files import atomic_path
from alliance.report.document import Document
from alliance.report.html import render_html

__all__ = ["write_pdf"]


def write_pdf(document: Document, path: Path) -> None:
    """Write the document as a PDF file, all at once or not at all."""
    html = weasyprint.HTML(string=render_html(document), base_url=None)
    with atomic_path(path) as temporary:
        html.write_pdf(temporary, media_type="print")
