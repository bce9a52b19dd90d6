"""The board pack as PowerPoint, read back with python-pptx: the slides and their titles, the
figures' texts and status colours, native charts with their series, native tables split when
long, the user's notes as written, the evidence in the speaker notes, the theme's colours,
font and logo, and no empty slide for what a section does not have."""

from __future__ import annotations

import dataclasses
import re
import time
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.slide import Slide
from pptx.util import Inches

from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.reports.board_model import Chart, Section, Sentence, Series, Table
from quarterdeck.reports.board_pptx import write_pptx
from quarterdeck.reports.board_text import change_text
from quarterdeck.reports.theme import DEFAULT_THEME, Colours, Theme, read_theme
from tests.board_packs import (
    DEPLOY_CHART,
    DEPLOYS,
    FAILURE_SENTENCE,
    FAILURES,
    HEADCOUNT,
    INCIDENTS_TABLE,
    LEAD_TIME,
    NOTES,
    delivery_section,
    long_table,
    people_section,
    sample_pack,
    write_png,
)

EXPECTED_TITLES = [
    "Engineering board pack",
    "Delivery and reliability",
    "Delivery and reliability: Deployments per day by month",
    "Delivery and reliability: Lead time by month",
    "Delivery and reliability: Incidents of the quarter",
    "People",
    "Money: Headcount by team",
    "Money: Spend against budget",
    "Notes",
]
BRAND = Colours("#0b3d91", "#f2a900", "#222233", "#fdfcf7", "#118844", "#dd9900", "#cc1122")


def render(tmp_path: Path, pack=None, theme: Theme = DEFAULT_THEME):
    path = write_pptx(pack or sample_pack(), tmp_path / "board.pptx", theme)
    return Presentation(str(path))


def titles(prs) -> list[str]:
    return [slide.shapes.title.text for slide in prs.slides]


def texts(slide: Slide) -> list[str]:
    """Every text of the slide but its title: text boxes and table cells."""
    found = []
    for shape in slide.shapes:
        if shape == slide.shapes.title:
            continue
        if shape.has_text_frame and shape.text_frame.text:
            found.append(shape.text_frame.text)
        if shape.has_table:
            found += [cell.text for row in shape.table.rows for cell in row.cells]
    return found


def slide_titled(prs, title: str) -> Slide:
    return next(slide for slide in prs.slides if slide.shapes.title.text == title)


def speaker_notes(slide: Slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def test_the_slides_follow_the_pack_in_order(tmp_path: Path) -> None:
    assert titles(render(tmp_path)) == EXPECTED_TITLES


def test_the_title_slide_says_quarter_window_scope_date_and_the_open_window(tmp_path: Path) -> None:
    title = render(tmp_path).slides[0]
    assert title.shapes.title.text == "Engineering board pack"
    shown = "\n".join(texts(title))
    assert "2025Q4: 2025-10-01 to 2025-12-15" in shown
    assert "Acme Corp" in shown
    assert "Generated 2026-01-05" in shown
    assert "The data ends on 2025-12-15: the quarter's last 16 days are not in these numbers." in shown


def test_figure_cards_show_value_unit_change_and_status_in_its_colour(tmp_path: Path) -> None:
    slide = slide_titled(render(tmp_path), "Delivery and reliability")
    shown = texts(slide)
    assert "Deployment frequency" in shown and "4.25 deploys/day" in shown
    # 4.25 against 3.4 the quarter before: +25%; against 2.0 a year before: +112.5%, shown +113%
    assert "QoQ +25% · YoY +113%\nTarget 5: near target" in shown
    # 31.5 against 42: -25%; no year-ago value, so no YoY
    assert "31.5 hours" in shown and "QoQ -25%\nTarget 48: on target" in shown
    # 0.21 against 0.12: +75%
    assert "21%" in shown and "QoQ +75%\nOff target" in shown
    bars = {shape.name: str(shape.fill.fore_color.rgb) for shape in slide.shapes if shape.name.startswith("Status")}
    assert bars == {"Status amber": "C98200", "Status green": "1E8A4C", "Status red": "C62F2F"}


def test_change_on_the_quarter_in_words() -> None:
    assert change_text(4.25, 3.4) == "+25%"
    assert change_text(1.0, 2.0) == "-50%"
    assert change_text(2.0, 2.0) == "0%"
    assert change_text(3.0, 0.0) == "from 0"
    assert change_text(None, 2.0) == "" and change_text(2.0, None) == ""
    assert change_text(-1.0, -2.0) == "+50%"


def test_sentences_are_bullets_under_the_cards_and_notes_give_the_figures_behind_each(tmp_path: Path) -> None:
    slide = slide_titled(render(tmp_path), "Delivery and reliability")
    narrative = next(shape for shape in slide.shapes if shape.name == "Narrative")
    paragraphs = [p.text for p in narrative.text_frame.paragraphs]
    assert paragraphs == [s.text for s in delivery_section().sentences]
    assert all(p._p.pPr.find("{*}buChar") is not None for p in narrative.text_frame.paragraphs)
    notes = speaker_notes(slide)
    assert f"“{FAILURE_SENTENCE.text}”\n  rule: target_missed" in notes
    for figure in (DEPLOYS, LEAD_TIME, FAILURES):
        assert f"metric {figure.metric}; scope org; 2025-10-01 to 2025-12-31" in notes
        assert f"Same number: {figure.command}" in notes
    assert "Deployment frequency = 4.25 deploys/day" in notes
    assert "previous quarter 3.4; a year before 2; target 5 (near target)" in notes


def test_the_figure_slide_notes_list_every_figure_with_its_command(tmp_path: Path) -> None:
    notes = speaker_notes(slide_titled(render(tmp_path), "People"))
    assert notes == (
        "Where each figure comes from:\n- Headcount = 212 people; metric headcount; scope org; "
        "2025-10-01 to 2025-12-31. Same number: quarterdeck metrics show headcount --until 2025-12-31\n\n"
        "What each sentence is based on:\n\n“Headcount is 212 people.”\n  rule: level\n"
        "  - Headcount = 212 people; metric headcount; scope org; 2025-10-01 to 2025-12-31. "
        "Same number: quarterdeck metrics show headcount --until 2025-12-31"
    )


def test_more_figures_or_sentences_than_fit_together_get_slides_of_their_own(tmp_path: Path) -> None:
    figures = tuple(dataclasses.replace(DEPLOYS, key=f"f{i}", label=f"Figure {i}") for i in range(5))
    sentences = tuple(Sentence(f"Sentence {i}.", "level", (f"f{i}",)) for i in range(4))
    for section in (
        Section("delivery", "Delivery", figures=figures, sentences=sentences[:1]),
        Section("delivery", "Delivery", figures=figures[:1], sentences=sentences),
    ):
        prs = render(tmp_path, sample_pack(sections=(section,), notes_markdown=""))
        assert titles(prs) == ["Engineering board pack", "Delivery", "Delivery: in brief"]
        cards = [s.name for s in prs.slides[1].shapes if s.name.startswith("Figure ")]
        assert cards == [f"Figure {f.key}" for f in section.figures]
        assert not [s for s in prs.slides[1].shapes if s.name == "Narrative"]
        narrative = next(s for s in prs.slides[2].shapes if s.name == "Narrative")
        assert narrative.text_frame.text == "\n".join(s.text for s in section.sentences)
        assert speaker_notes(prs.slides[2]).startswith("What each sentence is based on:\n\n“Sentence 0.”")


def chart_on(slide: Slide):
    charts = [shape.chart for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 1
    return charts[0]


def series_of(chart) -> list[tuple[str, tuple]]:
    return [(series.name, tuple(series.values)) for series in chart.plots[0].series]


def test_charts_are_native_charts_holding_the_series(tmp_path: Path) -> None:
    prs = render(tmp_path)
    column = chart_on(slide_titled(prs, "Delivery and reliability: Deployments per day by month"))
    assert column.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert tuple(column.plots[0].categories) == ("2025-10", "2025-11", "2025-12")
    assert series_of(column) == [("Deploys/day", (3.9, 4.4, 4.45))]
    assert column.chart_title.text_frame.text == "Deployments per day by month (deploys/day)"
    assert not column.has_legend

    line = chart_on(slide_titled(prs, "Delivery and reliability: Lead time by month"))
    assert line.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert series_of(line) == [("Lead time (h)", (36.0, None, 28.25)), ("Target (h)", (48.0, 48.0, 48.0))]
    assert line.has_legend

    stacked = chart_on(slide_titled(prs, "Money: Headcount by team"))
    assert stacked.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    assert series_of(stacked) == [("Engineers", (40.0, 31.0)), ("Managers", (5.0, 4.0))]

    bar = chart_on(slide_titled(prs, "Money: Spend against budget"))
    assert bar.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert series_of(bar) == [("Budget", (1.2, 8.0)), ("Actual", (1.35, 7.9))]
    assert bar.category_axis.reverse_order and not column.category_axis.reverse_order  # "Cloud" on top


def test_a_missing_value_is_a_gap_not_a_zero(tmp_path: Path) -> None:
    chart = chart_on(slide_titled(render(tmp_path), "Delivery and reliability: Lead time by month"))
    xml = chart._chartSpace.xml
    first = xml[xml.index("<c:val>") : xml.index("</c:val>")]
    assert re.findall(r'<c:pt idx="(\d)">', first) == ["0", "2"]
    assert "\n- Lead time (h): 2025-10 36, 2025-11 no data, 2025-12 28.25" in speaker_notes(
        slide_titled(render(tmp_path), "Delivery and reliability: Lead time by month")
    )


def table_cells(slide: Slide) -> list[list[str]]:
    tables = [shape.table for shape in slide.shapes if shape.has_table]
    assert len(tables) == 1
    return [[cell.text for cell in row.cells] for row in tables[0].rows]


def test_tables_are_native_tables_with_the_cells(tmp_path: Path) -> None:
    slide = slide_titled(render(tmp_path), "Delivery and reliability: Incidents of the quarter")
    assert table_cells(slide) == [list(INCIDENTS_TABLE.columns), *map(list, INCIDENTS_TABLE.rows)]
    assert "From the incidents file." in texts(slide)
    widths = [column.width for column in next(s for s in slide.shapes if s.has_table).table.columns]
    # longest texts: 21 (INC-101 checkout down), 8 (Severity), 16 (Hours to restore) characters;
    # widths in that proportion, filling the slide's width
    assert sum(widths) == Inches(13.333) - 2 * Inches(0.5)
    assert [round(w / sum(widths), 3) for w in widths] == [round(n / 45, 3) for n in (21, 8, 16)]


def test_a_long_table_runs_over_slides_with_its_header_on_each(tmp_path: Path) -> None:
    table = long_table(30)
    pack = sample_pack(sections=(Section(key="entropy", title="Tech debt", tables=(table,)),), notes_markdown="")
    prs = render(tmp_path, pack)
    names = [f"Tech debt: Repositories by hotspot ({n} of 3)" for n in (1, 2, 3)]
    assert titles(prs) == ["Engineering board pack", *names]
    pages = [table_cells(slide_titled(prs, name)) for name in names]
    assert [len(page) - 1 for page in pages] == [12, 12, 6]
    assert all(page[0] == ["Repository", "Changes"] for page in pages)
    assert [tuple(row) for page in pages for row in page[1:]] == list(table.rows)
    assert speaker_notes(slide_titled(prs, names[2])) == "Repositories by hotspot: rows 25 to 30 of 30."


def test_the_notes_slide_holds_the_notes_as_written(tmp_path: Path) -> None:
    slide = slide_titled(render(tmp_path), "Notes")
    assert texts(slide) == [NOTES.rstrip("\n")]


def test_long_notes_run_over_slides_and_keep_every_line(tmp_path: Path) -> None:
    notes = "\r\n".join(f"- ask number {i}" for i in range(40)) + "\r\n"
    prs = render(tmp_path, sample_pack(sections=(), notes_markdown=notes))
    assert titles(prs) == ["Engineering board pack", "Notes (1 of 3)", "Notes (2 of 3)", "Notes (3 of 3)"]
    shown = "\n".join(texts(slide)[0] for slide in list(prs.slides)[1:])
    assert shown == notes.replace("\r\n", "\n").rstrip("\n")


def test_no_notes_no_notes_slide_and_a_notes_section_is_not_shown_twice(tmp_path: Path) -> None:
    noted = Section(key="notes", title="Notes", sentences=(Sentence("Approve two hires.", "note"),))
    assert titles(render(tmp_path, sample_pack(sections=(), notes_markdown=""))) == ["Engineering board pack"]
    prs = render(tmp_path, sample_pack(sections=(noted,), notes_markdown="Approve two hires."))
    assert titles(prs) == ["Engineering board pack", "Notes"]
    prs = render(tmp_path, sample_pack(sections=(noted,), notes_markdown=""))
    assert titles(prs) == ["Engineering board pack", "Notes"]
    assert "the user's own note, as written" in speaker_notes(prs.slides[1])


def test_a_section_without_charts_or_tables_makes_no_empty_slide(tmp_path: Path) -> None:
    summary = Section(key="summary", title="Executive summary", sentences=(FAILURE_SENTENCE,))
    prs = render(tmp_path, sample_pack(sections=(summary, people_section()), notes_markdown=""))
    assert titles(prs) == ["Engineering board pack", "Executive summary", "People"]
    for slide in prs.slides:
        assert texts(slide), f"slide {slide.shapes.title.text!r} shows nothing but its title"


def test_a_chart_or_table_with_nothing_in_it_makes_no_slide(tmp_path: Path) -> None:
    empty = (
        Chart("No months", "column", (), (Series("a", ()),)),
        Chart("All missing", "line", ("2025-10", "2025-11"), (Series("a", (None, None)),)),
    )
    no_rows = Table("Nothing", ("Repository", "Changes"), ())
    section = Section("entropy", "Tech debt", (HEADCOUNT,), charts=(*empty, DEPLOY_CHART), tables=(no_rows,))
    prs = render(tmp_path, sample_pack(sections=(section,), notes_markdown=""))
    assert titles(prs) == ["Engineering board pack", "Tech debt", "Tech debt: Deployments per day by month"]


def test_the_themes_colours_font_and_logo_are_in_the_file(tmp_path: Path) -> None:
    logo = write_png(tmp_path / "logo.png", rgb=(200, 10, 10))
    theme = Theme(name="Acme Corp", logo=logo, font="Trebuchet MS", colours=BRAND)
    path = write_pptx(sample_pack(), tmp_path / "brand.pptx", theme)
    with zipfile.ZipFile(path) as archive:
        slides = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("ppt/slides/slide"))
        charts = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("ppt/charts/chart"))
    for colour in ("0B3D91", "222233", "FDFCF7", "118844", "DD9900", "CC1122"):
        assert f'<a:srgbClr val="{colour}"/>' in slides, colour
    assert 'typeface="Trebuchet MS"' in slides and 'typeface="Trebuchet MS"' in charts
    assert '<a:srgbClr val="0B3D91"/>' in charts and '<a:srgbClr val="F2A900"/>' in charts  # series 1 and 2
    prs = Presentation(str(path))
    accent = next(shape for shape in prs.slides[0].shapes if shape.name == "Accent")  # the rule under the title
    assert str(accent.fill.fore_color.rgb) == "F2A900"
    for slide in prs.slides:
        pictures = [shape for shape in slide.shapes if shape.name == "Logo"]
        assert len(pictures) == 1 and pictures[0].image.blob == logo.read_bytes()


def test_the_default_theme_has_no_logo(tmp_path: Path) -> None:
    prs = render(tmp_path)
    assert not [shape for slide in prs.slides for shape in slide.shapes if shape.shape_type == 13]


def test_a_file_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(QuarterdeckError, match=re.escape(f"{tmp_path / 'missing' / 'b.pptx'}: cannot write")):
        write_pptx(sample_pack(), tmp_path / "missing" / "b.pptx", DEFAULT_THEME)


def test_many_figures_and_sentences_are_shared_evenly_over_slides(tmp_path: Path) -> None:
    figures = tuple(dataclasses.replace(DEPLOYS, key=f"f{i}", label=f"Figure {i}") for i in range(10))
    sentences = tuple(Sentence(f"Sentence {i}.", "level", (f"f{i}",)) for i in range(8))
    section = Section("delivery", "Delivery", figures=figures, sentences=sentences)
    prs = render(tmp_path, sample_pack(sections=(section,), notes_markdown=""))
    assert titles(prs)[1:] == [
        "Delivery (1 of 2)",
        "Delivery (2 of 2)",
        "Delivery: in brief (1 of 2)",
        "Delivery: in brief (2 of 2)",
    ]
    cards = [[s.name for s in slide.shapes if s.name.startswith("Figure ")] for slide in list(prs.slides)[1:3]]
    assert cards == [[f"Figure f{i}" for i in range(5)], [f"Figure f{i}" for i in range(5, 10)]]
    bullets = [texts(slide)[0].split("\n") for slide in list(prs.slides)[3:]]
    assert bullets == [[f"Sentence {i}." for i in range(4)], [f"Sentence {i}." for i in range(4, 8)]]


def test_long_values_and_titles_get_smaller_type(tmp_path: Path) -> None:
    values = {"4.25": 30, "1,190,478": 30, "1,190,478.5": 24, "1,190,478,000 €": 18}
    figures = tuple(dataclasses.replace(DEPLOYS, key=t, text=t, unit="") for t in values)
    long_title = "Plans: acme three-year plan: the organization, P10 / P50 / P90 per quarter"  # 74 characters
    prs = render(tmp_path, sample_pack(sections=(Section("money", long_title, figures=figures),), notes_markdown=""))
    slide = prs.slides[1]
    assert slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size.pt == 20
    sizes = {
        shape.text_frame.text: shape.text_frame.paragraphs[0].runs[0].font.size.pt
        for shape in slide.shapes
        if shape.has_text_frame and shape.text_frame.text in values
    }
    assert sizes == values
    assert render(tmp_path).slides[1].shapes.title.text_frame.paragraphs[0].runs[0].font.size.pt == 28


def big_pack():
    """Eight sections of eight figures, eight sentences, two 36-month charts and a 60-row table."""
    sections = []
    for number in range(8):
        figures = tuple(dataclasses.replace(DEPLOYS, key=f"f{number}-{i}", label=f"Figure {i}") for i in range(8))
        sentences = tuple(Sentence(f"Sentence {i} of {number}.", "level", (f"f{number}-{i}",)) for i in range(8))
        months = tuple(f"2023-{m:02d}" for m in range(1, 13)) * 3
        charts = tuple(
            Chart(f"Chart {c}", kind, months, (Series("a", tuple(range(36))), Series("b", (None,) * 36)))
            for c, kind in enumerate(("line", "stacked_column"))
        )
        sections.append(Section(f"s{number}", f"Section {number}", figures, sentences, charts, (long_table(60),)))
    return sample_pack(sections=tuple(sections))


def test_every_shape_lies_on_its_slide(tmp_path: Path) -> None:
    logo = write_png(tmp_path / "wide.png", size=(2000, 40))
    prs = render(tmp_path, big_pack(), Theme(logo=logo))
    for slide in prs.slides:
        for shape in slide.shapes:
            where = f"{shape.name} on {slide.shapes.title.text!r}"
            assert shape.left >= 0 and shape.top >= 0, where
            assert shape.left + shape.width <= prs.slide_width, where
            assert shape.top + shape.height <= prs.slide_height, where


def test_a_big_pack_is_written_in_seconds(tmp_path: Path) -> None:
    started = time.perf_counter()
    prs = render(tmp_path, big_pack())
    elapsed = time.perf_counter() - started
    assert len(prs.slides) == 1 + 8 * (1 + 2 + 2 + 5) + 1  # title; per section 1+2+2+5; notes
    assert elapsed < 10, f"{elapsed:.1f} s"


def test_a_theme_file_styles_the_slides(tmp_path: Path) -> None:
    write_png(tmp_path / "logo.png")
    (tmp_path / "theme.yaml").write_text(
        'name: Acme Corp\nlogo: logo.png\nfont: Georgia\ncolours:\n  primary: "#0B3D91"\n  bad: "#cc1122"\n', "utf-8"
    )
    path = write_pptx(sample_pack(), tmp_path / "board.pptx", read_theme(tmp_path / "theme.yaml"))
    prs = Presentation(str(path))
    heading = prs.slides[1].shapes.title.text_frame.paragraphs[0].runs[0].font
    assert (str(heading.color.rgb), heading.name) == ("0B3D91", "Georgia")
    bar = next(s for s in prs.slides[1].shapes if s.name == "Status red")
    assert str(bar.fill.fore_color.rgb) == "CC1122"
    assert sum(shape.name == "Logo" for slide in prs.slides for shape in slide.shapes) == len(prs.slides)
