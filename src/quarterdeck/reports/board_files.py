"""The board pack's files: ``board-2025Q4.html`` (``-UNIT`` for a unit's), the PDF printed from
that page and the PowerPoint, in one folder; what the command line and the benchmark write."""

from __future__ import annotations

from pathlib import Path

from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.reports.board_html import render_html
from quarterdeck.reports.board_model import BoardPack
from quarterdeck.reports.board_pdf import write_pdf, write_pdf_from_html
from quarterdeck.reports.board_pptx import write_pptx
from quarterdeck.reports.theme import DEFAULT_THEME, Theme

FILE_FORMATS = ("html", "pdf", "pptx")


def file_stem(pack: BoardPack) -> str:
    """``board-2025Q4`` or ``board-2025Q4-payments``."""
    unit = pack.scope.partition(":")[2]
    return f"board-{pack.quarter}" + (f"-{unit}" if unit else "")


def parse_formats(text: str) -> tuple[str, ...]:
    """``html,pdf,pptx`` (any of them, in any order) or ``json`` alone; a clear error otherwise."""
    asked = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    if asked == ("json",):
        return asked
    unknown = [a for a in asked if a not in FILE_FORMATS]
    if not asked or unknown:
        raise QuarterdeckError(
            f"--format {text!r}: expected a comma-separated list of html, pdf and pptx (such as html,pdf,pptx), "
            "or json alone"
        )
    return asked


def write_pack(pack: BoardPack, folder: Path, formats: tuple[str, ...], theme: Theme = DEFAULT_THEME) -> list[Path]:
    """Write the pack in each of ``formats`` into ``folder`` (made when missing); the paths written."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QuarterdeckError(f"{folder}: cannot make the output folder ({exc.strerror or exc})") from None
    stem = folder / file_stem(pack)
    written: list[Path] = []
    page = render_html(pack, theme)
    html_path = stem.with_suffix(".html")
    if "html" in formats:
        html_path.write_text(page, encoding="utf-8")
        written.append(html_path)
    if "pdf" in formats:
        pdf_path = stem.with_suffix(".pdf")
        written.append(write_pdf(html_path, pdf_path) if "html" in formats else write_pdf_from_html(page, pdf_path))
    if "pptx" in formats:
        written.append(write_pptx(pack, stem.with_suffix(".pptx"), theme))
    return written
