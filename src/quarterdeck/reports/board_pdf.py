"""The board pack as PDF: its HTML page printed by a headless Chromium (reports/pdf.py,
docs/decisions/0073), so the PDF holds exactly what the page holds.

The page should carry :data:`PRINT_CSS` in its ``<style>``: A4 landscape like a slide, each
section starting on a new page, figures and charts never cut in two, colours printed as they
are on screen.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from quarterdeck.reports.pdf import PdfError, html_to_pdf

#: Print rules for the board pack's HTML page (they change nothing on screen).
PRINT_CSS = """
@page { size: A4 landscape; margin: 12mm; }
@media print {
  html, body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.board-section { break-before: page; }
  section.board-section:first-of-type { break-before: auto; }
  figure, table, .figure, .chart, tr { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
}
""".strip()


def write_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Print the board pack's HTML page at ``html_path`` to ``pdf_path`` and return
    ``pdf_path`` as given.

    A PdfError (no Chromium, the browser failed, no such page) says what to do; the folder of
    ``pdf_path`` must exist."""
    pdf_path = Path(pdf_path)
    if not pdf_path.parent.is_dir():
        raise PdfError(f"{pdf_path}: the folder {pdf_path.parent} does not exist")
    html_to_pdf(Path(html_path), pdf_path)
    return pdf_path  # as given, like the other formats' paths


def write_pdf_from_html(html_text: str, pdf_path: Path) -> Path:
    """Print a page given as text (when only the PDF is asked for): it is written to a
    temporary folder, printed, and the folder removed."""
    with tempfile.TemporaryDirectory(prefix="quarterdeck-board-") as folder:
        page = Path(folder) / "board.html"
        page.write_text(html_text, encoding="utf-8")
        return write_pdf(page, pdf_path)
