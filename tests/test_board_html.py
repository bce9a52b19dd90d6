"""The board pack's HTML page (reports/board_html.py) on hand-built packs (tests/board_packs.py):
self-contained (inline CSS, SVG charts, no script, nothing fetched), every text from the data
escaped, the notes rendered safely, print rules for the PDF, the theme's colours and logo; and
the page in a real headless Chromium, screenshot saved."""

from __future__ import annotations

import re
from dataclasses import replace

from quarterdeck.reports.board_html import render_html, write_html
from quarterdeck.reports.board_model import Figure, Section, Sentence
from quarterdeck.reports.theme import Colours, Theme
from tests.board_packs import DEPLOYS, sample_pack, write_png
from tests.browser import chromium_fixture, page_fixture, save_artifact  # noqa: F401

HOSTILE = '<script>window.__owned = 1</script><img src=x onerror="window.__owned = 2">'


def test_the_page_is_self_contained_with_inline_css_and_svg_charts():
    page = render_html(sample_pack())
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert re.findall(r"https?://[^\"' )]+", page) == ["http://www.w3.org/2000/svg"] * page.count("<svg")
    assert not re.search(r"""(?:src|href)=["'](?!data:|#)""", page)  # no file or address fetched
    assert "<link" not in page and "@import" not in page
    assert page.count("<svg") >= 4  # the column chart, two series of the line chart, ...
    assert "@page { size: A4 landscape" in page and "break-before: page" in page


def test_sections_figures_sentences_tables_and_evidence_are_on_the_page():
    page = render_html(sample_pack())
    assert re.findall(r'data-section="([a-z]+)"', page) == ["delivery", "people", "money", "evidence"]
    assert 'data-key="deployment_frequency@org"' in page and ">4.25<" in page
    assert "The data ends on 2025-12-15" in page  # the open window is said
    assert "Incidents of the quarter" in page and "INC-101 checkout down" in page
    assert "quarterdeck metrics show deployment_frequency" in page  # how each number was computed


def test_text_from_the_data_and_the_notes_is_escaped():
    hostile = replace(DEPLOYS, label=HOSTILE, key="x@org")
    section = Section("delivery", HOSTILE, figures=(hostile,), sentences=(Sentence(HOSTILE, "mover_qoq", ("x@org",)),))
    notes = f"# Asks {HOSTILE}\n\n- **Approve** {HOSTILE}\n"
    page = render_html(
        sample_pack(sections=(section, Section("notes", "Notes", sentences=(Sentence("x", "note"),))),
                    notes_markdown=notes, scope_name=HOSTILE)
    )  # fmt: skip
    assert "<script>window" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__owned = 1&lt;/script&gt;" in page
    assert "<li><strong>Approve</strong> &lt;script&gt;" in page  # the notes' Markdown, its HTML as text


def test_the_theme_colours_the_page_and_its_logo_is_inline(tmp_path):
    logo = write_png(tmp_path / "logo.png")
    theme = Theme(name="Acme", logo=logo, colours=Colours(primary="#0b3d91", good="#00aa00"))
    page = render_html(sample_pack(), theme)
    assert "--primary: #0b3d91;" in page and "--good: #00aa00;" in page
    first, second = theme.series_colours()[:2]
    assert f'fill="{first}"' in page and f'fill="{second}"' in page  # the charts' series in the theme's colours
    assert 'fill="#2563eb"' not in page
    assert '<img src="data:image/png;base64,' in page and 'alt="Acme"' in page


def test_a_figure_with_a_status_wears_its_colour(tmp_path):
    red = Figure("lead@org", "Lead time", 50.0, "50.0 h", "hours", status="red", target=24.0)
    page = render_html(sample_pack(sections=(Section("delivery", "Delivery", figures=(red,)),)))
    assert 'data-key="lead@org" data-metric="" data-status="red"' in page
    assert "off target" in page and "target 24" in page


def test_the_page_in_a_headless_chromium(page, tmp_path):
    path = write_html(sample_pack(), tmp_path / "board.html")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(path.as_uri())
    assert asked == [path.as_uri()]  # the page itself and nothing else
    assert page.locator("h1").inner_text() == "Engineering board pack"
    cards = page.locator(".figure")
    assert cards.count() == 4
    box = page.locator(".charts svg").first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 50  # drawn, not only in the markup
    assert page.evaluate("window.__owned === undefined")
    shot = save_artifact(page, "board-pack-html")
    assert shot.read_bytes().startswith(b"\x89PNG")
