"""The board pack's PDF: an HTML page printed by a real headless Chromium (reports/pdf.py and
reports/board_pdf.py), read back with pypdf; and the clear errors when there is no browser,
no page, or the browser fails."""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from quarterdeck.reports.board_pdf import PRINT_CSS, write_pdf, write_pdf_from_html
from quarterdeck.reports.pdf import CHROMIUM_ENV, PdfError, find_chromium, html_to_pdf
from quarterdeck.reports.theme import DEFAULT_THEME
from tests.browser import CHROMIUM_PATH, ensure_browser_installed

#: A4 landscape in PDF points (297 x 210 mm).
A4_LANDSCAPE = (842, 595)


@pytest.fixture(scope="module")
def chromium() -> str:
    ensure_browser_installed()
    return CHROMIUM_PATH


def page(sections: list[tuple[str, str]]) -> str:
    body = "".join(
        f'<section class="board-section"><h2>{html.escape(t)}</h2><p>{html.escape(p)}</p></section>'
        for t, p in sections
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>Board pack</title>'
        f"<style>{DEFAULT_THEME.css_variables()}\nbody {{ font-family: var(--font); color: var(--text); }}\n"
        f"{PRINT_CSS}</style></head><body>{body}</body></html>"
    )


def pdf_text(path: Path) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages]


def test_a_page_printed_by_chromium_reads_back_as_its_text(tmp_path: Path, chromium: str, monkeypatch) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, chromium)
    source = tmp_path / "plain.html"
    source.write_text("<!doctype html><p>Deployment frequency 4.25 deploys/day, up 25% on the quarter</p>", "utf-8")
    printed = html_to_pdf(source, tmp_path / "plain.pdf")
    assert printed == (tmp_path / "plain.pdf").resolve()
    assert pdf_text(printed) == ["Deployment frequency 4.25 deploys/day, up 25% on the quarter"]


def test_the_board_page_prints_landscape_one_section_a_page(tmp_path: Path, chromium: str, monkeypatch) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, chromium)
    monkeypatch.chdir(tmp_path)
    sections = [("Delivery and reliability", "Lead time for changes met its target: 31.5 hours."), ("People", "212")]
    Path("board.html").write_text(page(sections), encoding="utf-8")
    printed = write_pdf(Path("board.html"), Path("board.pdf"))
    assert printed == Path("board.pdf")  # as given, as the other formats' paths are printed
    assert pdf_text(printed) == [
        "Delivery and reliability Lead time for changes met its target: 31.5 hours.",
        "People 212",
    ]
    box = PdfReader(str(printed)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_LANDSCAPE


def test_a_page_given_as_text_is_printed_and_leaves_nothing_behind(tmp_path: Path, chromium: str, monkeypatch) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, chromium)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    out = tmp_path / "out"
    out.mkdir()
    printed = write_pdf_from_html(page([("Money", "Budget 8.0 M EUR, actual 7.9 M EUR")]), out / "board.pdf")
    assert pdf_text(printed) == ["Money Budget 8.0 M EUR, actual 7.9 M EUR"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_missing_browser_named_in_the_environment_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    missing = tmp_path / "no-such-chromium"
    monkeypatch.setenv(CHROMIUM_ENV, str(missing))
    expected = f"{CHROMIUM_ENV}={missing} is not an executable file; point it at a Chromium or Chrome"
    with pytest.raises(PdfError, match=re.escape(expected)):
        find_chromium()
    source = tmp_path / "board.html"
    source.write_text(page([("People", "212")]), encoding="utf-8")
    with pytest.raises(PdfError, match=re.escape(expected)):
        write_pdf(source, tmp_path / "board.pdf")
    assert not (tmp_path / "board.pdf").exists()


def test_no_browser_anywhere_says_how_to_get_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(CHROMIUM_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PdfError, match=r"none was found .*apt-get install chromium\) or choose --format html,pptx"):
        find_chromium()


def test_a_browser_that_fails_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, "/bin/false")
    source = tmp_path / "board.html"
    source.write_text(page([("People", "212")]), encoding="utf-8")
    with pytest.raises(PdfError, match=re.escape("/bin/false could not print board.html (exit 1, 2 attempts)")):
        write_pdf(source, tmp_path / "board.pdf")


def test_a_browser_that_aborts_once_is_given_a_second_try(tmp_path: Path, chromium: str, monkeypatch) -> None:
    """A Chromium that aborts at start (seen under heavy load) prints on its second start."""
    marker, wrapper = tmp_path / "started-once", tmp_path / "flaky-chromium"
    wrapper.write_text(
        f'#!/bin/sh\nif [ ! -e "{marker}" ]; then touch "{marker}"; kill -ABRT $$; fi\nexec "{chromium}" "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv(CHROMIUM_ENV, str(wrapper))
    source = tmp_path / "plain.html"
    source.write_text("<!doctype html><p>Change failure rate 10.77 %</p>", "utf-8")
    assert pdf_text(html_to_pdf(source, tmp_path / "plain.pdf")) == ["Change failure rate 10.77 %"]
    assert marker.exists()


def test_no_page_or_no_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match=re.escape(f"{tmp_path / 'none.html'}: no such HTML file to print")):
        write_pdf(tmp_path / "none.html", tmp_path / "board.pdf")
    source = tmp_path / "board.html"
    source.write_text("<p>x</p>", encoding="utf-8")
    target = tmp_path / "missing" / "board.pdf"
    with pytest.raises(PdfError, match=re.escape(f"{target}: the folder {tmp_path / 'missing'} does not exist")):
        write_pdf(source, target)
