"""The board pack as a PowerPoint file (docs/decisions/0075, docs/board-pack-formats.md).

Drawn from the :class:`BoardPack` alone, so it holds the same numbers and sentences as the
HTML page and the PDF. In order:

- a title slide: the pack's title, quarter and window, scope, generated date, the note that
  the quarter runs past the data when it does, and the theme's logo;
- per section: its key figures as cards (value, unit, status colour, change on the quarter
  and the year) and its sentences as bullets, on one slide when they fit; each chart as a
  native, editable chart; each table as a native table (over several slides when long). A
  part a section does not have makes no slide, so no slide is ever empty;
- the user's notes on "Notes" slides, as written;
- a last slide saying what the pack was built from, when the pack says.

Every slide's speaker notes hold the evidence behind it: for each figure and each sentence,
the metric, scope, window, value and the command that gives the same number.
"""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches

from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.reports.board_model import BoardPack
from quarterdeck.reports.board_pptx_charts import add_chart_slides
from quarterdeck.reports.board_pptx_figures import add_section_summary
from quarterdeck.reports.board_pptx_style import (
    BODY_BOTTOM,
    BODY_TOP,
    BODY_WIDTH,
    MARGIN,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    add_logo,
    add_text,
    bullet,
    muted,
    new_slide,
    paint_background,
    rgb,
    set_notes,
    style_paragraphs,
)
from quarterdeck.reports.board_pptx_tables import add_notes_slides, add_table_slides
from quarterdeck.reports.theme import DEFAULT_THEME, Theme

_TITLE_LAYOUT = 0


def write_pptx(pack: BoardPack, path: Path, theme: Theme = DEFAULT_THEME) -> Path:
    """Write ``pack`` as a PowerPoint file at ``path`` (its folder must exist) and return it."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    prs.core_properties.title = f"{pack.title}, {pack.quarter}"
    prs.core_properties.subject = pack.scope_name
    prs.core_properties.author = "Quarterdeck"
    _title_slide(prs, pack, theme)
    figures = pack.figures()
    notes = pack.notes_markdown.replace("\r\n", "\n")
    for section in pack.sections:
        if section.key == "notes" and notes.strip():
            continue  # the notes file is shown as written, below
        add_section_summary(prs, section, figures, theme)
        add_chart_slides(prs, section, theme)
        add_table_slides(prs, section, theme)
    if notes.strip():
        add_notes_slides(prs, notes, theme)
    if pack.sources:
        _sources_slide(prs, pack, theme)
    path = Path(path)
    try:
        prs.save(str(path))
    except OSError as exc:
        raise QuarterdeckError(f"{path}: cannot write the PowerPoint file ({exc.strerror or exc})") from None
    return path


def _title_slide(prs: Presentation, pack: BoardPack, theme: Theme) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[_TITLE_LAYOUT])
    paint_background(slide, theme)
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    title.left, title.top, title.width, title.height = MARGIN, Inches(2.0), BODY_WIDTH, Inches(1.4)
    title.text_frame.text = pack.title
    style_paragraphs(title.text_frame, theme, size=40, colour=theme.colours.primary, bold=True, align=PP_ALIGN.LEFT)
    rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Inches(3.42), Inches(2.5), Inches(0.06))
    rule.name = "Accent"
    rule.fill.solid()
    rule.fill.fore_color.rgb = rgb(theme.colours.accent)
    rule.line.fill.background()
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(3.55), BODY_WIDTH, Inches(1.1)
    window = f"{pack.quarter}: {pack.start.isoformat()} to {pack.end.isoformat()}"
    subtitle.text_frame.text = f"{window}\n{pack.scope_name}"
    style_paragraphs(subtitle.text_frame, theme, size=22, colour=theme.colours.text, align=PP_ALIGN.LEFT)
    small = [f"Generated {pack.generated.isoformat()} by Quarterdeck"]
    if pack.open_window:
        small.insert(0, pack.open_window)
    add_text(slide, (MARGIN, Inches(4.8), BODY_WIDTH, Inches(1.2)), small, theme, size=14, colour=muted(theme))
    if theme.logo:
        add_logo(slide, theme, right=SLIDE_WIDTH - MARGIN, top=Inches(0.6), height=Inches(1.0), max_width=Inches(5))
    notes = [f"{pack.title} for {pack.scope_name} ({pack.scope}), {window}."]
    if pack.open_window:
        notes.append(pack.open_window)
    notes.append(f"{len(pack.figures())} figures, {len(pack.sentences())} sentences; each slide's notes say where.")
    set_notes(slide, notes)


def _sources_slide(prs: Presentation, pack: BoardPack, theme: Theme) -> None:
    slide = new_slide(prs, "Where these numbers come from", theme)
    box = (MARGIN, BODY_TOP, BODY_WIDTH, Emu(BODY_BOTTOM - BODY_TOP))
    frame = add_text(slide, box, pack.sources, theme, size=16, name="Sources")
    for paragraph in frame.paragraphs:
        bullet(paragraph)
    set_notes(slide, ["Every figure can be checked with the command in its slide's notes."])
