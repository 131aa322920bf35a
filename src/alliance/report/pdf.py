"""The report as PDF: the HTML with its print styles, laid out by WeasyPrint (A4, page numbers)."""

from __future__ import annotations

from pathlib import Path

import weasyprint

from alliance.files import atomic_path
from alliance.report.document import Document
from alliance.report.html import render_html

__all__ = ["pdf_bytes", "write_pdf"]


def write_pdf(document: Document, path: Path) -> None:
    """Write the document as a PDF file, all at once or not at all."""
    with atomic_path(path) as temporary:
        _html(document).write_pdf(temporary)


def pdf_bytes(document: Document) -> bytes:
    """Return the document as PDF bytes (to send over the web)."""
    pdf: bytes = _html(document).write_pdf()
    return pdf


def _html(document: Document) -> weasyprint.HTML:
    return weasyprint.HTML(string=render_html(document), base_url=None, media_type="print")
