"""The report as PDF: the HTML with its print styles, laid out by WeasyPrint (A4, page numbers).

The PDF is tagged as PDF/UA-1 asks (WeasyPrint's ``pdf/ua-1`` variant): a structure tree that
screen readers follow, the document's language (from ``<html lang>``), its title (``<title>``)
shown as the window title, and a bookmark per chapter (h1 and h2 headings).
"""

from __future__ import annotations

from pathlib import Path

import weasyprint

from alliance.files import atomic_path
from alliance.report.document import Document
from alliance.report.html import render_html

__all__ = ["PDF_OPTIONS", "pdf_bytes", "write_pdf"]

#: Tagged PDF/UA-1 (PDF 1.7, ``pdf_tags``), as WeasyPrint writes it.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def write_pdf(document: Document, path: Path) -> None:
    """Write the document as a PDF file, all at once or not at all."""
    with atomic_path(path) as temporary:
        _html(document).write_pdf(temporary, **PDF_OPTIONS)


def pdf_bytes(document: Document) -> bytes:
    """Return the document as PDF bytes (to send over the web)."""
    pdf: bytes = _html(document).write_pdf(**PDF_OPTIONS)
    return pdf


def _html(document: Document) -> weasyprint.HTML:
    return weasyprint.HTML(string=render_html(document), base_url=None, media_type="print")
