"""The board pack as one self-contained HTML page: inline CSS (the theme's colours and the
print rules of ``board_pdf.PRINT_CSS``, a page per section), SVG charts drawn on the server
(``reports.svg_charts``), no script and no address outside the page (the logo is a ``data:``
address). Every text from the data or the notes is escaped by Jinja2's autoescape; only the
SVG markup of the charts and the notes' own HTML (``board_notes.notes_html``, escaped first)
are marked safe.

The same page is the PDF (printed by Chromium) and the dashboard's /reports/board (its
``<body>`` part, ``body_html``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from quarterdeck.reports import svg_charts
from quarterdeck.reports.board_model import BoardPack, Chart, Figure, Section, Sentence
from quarterdeck.reports.board_notes import notes_html
from quarterdeck.reports.board_pdf import PRINT_CSS
from quarterdeck.reports.board_text import STATUS_WORDS, changes_line
from quarterdeck.reports.theme import DEFAULT_THEME, Theme

_TEMPLATES = Environment(
    loader=PackageLoader("quarterdeck.reports", "templates"),
    autoescape=select_autoescape(disabled_extensions=("css.j2",), default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
#: The chart drawn for a series of a chart (multi-series charts: one drawing per series, or
#: a fan chart for P10 / P50 / P90).
CHART_WIDTH = 640


@dataclass(frozen=True)
class FigureView:
    figure: Figure
    changes: str
    status_words: str


@dataclass(frozen=True)
class SectionView:
    section: Section
    figures: list[FigureView]
    charts: list[Markup]
    sentences: list[Sentence]
    notes: Markup | None


def chart_svgs(chart: Chart, theme: Theme = DEFAULT_THEME) -> list[Markup]:
    """The chart as SVG in the theme's series colours: a fan chart for P10 / P50 / P90 series,
    else horizontal bars per series (the chart module escapes every text it writes)."""
    colours = theme.series_colours()
    names = [s.name for s in chart.series]
    if names == ["P10", "P50", "P90"]:
        bands = list(zip(*(s.values for s in chart.series), strict=True))
        if all(None not in row for row in bands):
            svg = svg_charts.fan_chart(
                chart.categories, bands, title=chart.title, unit=chart.unit, width=CHART_WIDTH, colour=colours[0]
            )
            return [Markup(svg)]
    drawn = []
    for number, series in enumerate(chart.series):
        title = chart.title if len(chart.series) == 1 else f"{chart.title}: {series.name}"
        rows = list(zip(chart.categories, series.values, strict=True))
        colour = colours[number % len(colours)]
        drawn.append(Markup(svg_charts.bar_chart(rows, title=title, unit=chart.unit, width=CHART_WIDTH, colour=colour)))
    return drawn


def section_view(section: Section, pack: BoardPack, theme: Theme = DEFAULT_THEME) -> SectionView:
    figures = [FigureView(f, changes_line(f), STATUS_WORDS.get(f.status, f.status)) for f in section.figures]
    charts = [svg for chart in section.charts for svg in chart_svgs(chart, theme)]
    notes = None
    sentences = list(section.sentences)
    if section.key == "notes" and pack.notes_markdown:
        notes = Markup(notes_html(pack.notes_markdown))
        sentences = []
    return SectionView(section, figures, charts, sentences, notes)


def context(pack: BoardPack, theme: Theme) -> dict[str, Any]:
    return {
        "pack": pack,
        "theme": theme,
        "theme_css": theme.css_variables(),
        "print_css": PRINT_CSS,
        "logo": theme.logo_data_uri(),
        "sections": [section_view(s, pack, theme) for s in pack.sections],
        "figures": pack.figures(),
    }


def render_html(pack: BoardPack, theme: Theme = DEFAULT_THEME) -> str:
    """The whole page."""
    return _TEMPLATES.get_template("board.html.j2").render(**context(pack, theme))


def body_html(pack: BoardPack, theme: Theme = DEFAULT_THEME) -> Markup:
    """The page's content for the dashboard's shell (no <html>, <head> or style: ``page_css``)."""
    return Markup(_TEMPLATES.get_template("board_body.html.j2").render(**context(pack, theme)))


def page_css(theme: Theme = DEFAULT_THEME) -> str:
    """The page's style sheet alone (the dashboard serves it: its pages allow no inline style)."""
    return _TEMPLATES.get_template("board_style.css.j2").render(theme_css=theme.css_variables(), print_css=PRINT_CSS)


def write_html(pack: BoardPack, path: Path, theme: Theme = DEFAULT_THEME) -> Path:
    path = Path(path)
    path.write_text(render_html(pack, theme), encoding="utf-8")
    return path
