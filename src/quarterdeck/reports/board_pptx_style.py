"""Drawing helpers for the board pack's slides: the page, its title, text in the theme's font
and colours, the logo. Shared by the figure, chart, table and notes slides."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.presentation import Presentation
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Paragraph
from pptx.util import Emu, Inches, Pt

from quarterdeck.reports.theme import Theme

#: 16:9, the shape of every projector and video call.
SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
TITLE_TOP = Inches(0.3)
TITLE_HEIGHT = Inches(0.9)
#: Where a slide's content starts and ends (below the title, above the footer).
BODY_TOP = Inches(1.35)
BODY_BOTTOM = Inches(6.95)
BODY_WIDTH = Emu(SLIDE_WIDTH - 2 * MARGIN)
LOGO_HEIGHT = Inches(0.45)

_TITLE_ONLY_LAYOUT = 5
_MUTED = "#5b6675"


def rgb(colour: str) -> RGBColor:
    """``#rrggbb`` as python-pptx's colour."""
    return RGBColor.from_string(colour.lstrip("#").upper())


def new_slide(prs: Presentation, title: str, theme: Theme) -> Slide:
    """A slide with the theme's background, ``title`` in its title placeholder (so outline
    view and screen readers see it) and the logo in the top right corner."""
    slide = prs.slides.add_slide(prs.slide_layouts[_TITLE_ONLY_LAYOUT])
    paint_background(slide, theme)
    heading = slide.shapes.title
    logo_room = Inches(2.7) if theme.logo else 0
    heading.left, heading.top = MARGIN, TITLE_TOP
    heading.width, heading.height = Emu(BODY_WIDTH - logo_room), TITLE_HEIGHT
    frame = heading.text_frame
    frame.text = title
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    size = 28 if len(title) <= 50 else 24 if len(title) <= 70 else 20  # two lines at most
    style_paragraphs(frame, theme, size=size, colour=theme.colours.primary, bold=True, align=PP_ALIGN.LEFT)
    if theme.logo:
        add_logo(slide, theme, right=SLIDE_WIDTH - MARGIN, top=Inches(0.45), height=LOGO_HEIGHT)
    return slide


def paint_background(slide: Slide, theme: Theme) -> None:
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = rgb(theme.colours.background)


def add_logo(slide: Slide, theme: Theme, right: int, top: int, height: int, max_width: int = Inches(2.5)) -> None:
    """The theme's logo, ``height`` high (less when that would make it wider than
    ``max_width``), its right edge at ``right``."""
    assert theme.logo is not None
    picture = slide.shapes.add_picture(str(theme.logo), 0, top, height=height)
    if picture.width > max_width:
        picture.height = int(picture.height * max_width / picture.width)
        picture.width = max_width
    picture.left = int(right - picture.width)
    picture.name = "Logo"


def add_text(
    slide: Slide,
    box: tuple[int, int, int, int],
    lines: Iterable[str],
    theme: Theme,
    size: int = 18,
    colour: str | None = None,
    bold: bool = False,
    name: str = "",
) -> TextFrame:
    """A text box at ``box`` (left, top, width, height) holding one paragraph per line."""
    shape = slide.shapes.add_textbox(*box)
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    frame.text = "\n".join(lines)
    style_paragraphs(frame, theme, size=size, colour=colour or theme.colours.text, bold=bold)
    return frame


def style_paragraphs(
    frame: TextFrame,
    theme: Theme,
    size: int,
    colour: str,
    bold: bool = False,
    align: PP_ALIGN | None = None,
) -> None:
    """Every run of ``frame`` in the theme's font, ``size`` points, ``colour``."""
    for paragraph in frame.paragraphs:
        if align is not None:
            paragraph.alignment = align
        for run in paragraph.runs:
            run.font.name = theme.font
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = rgb(colour)


def muted(theme: Theme) -> str:
    """The colour of small print: the dashboard's muted grey (the theme's text on a dark page)."""
    background = theme.colours.background.lstrip("#")
    light = sum(int(background[i : i + 2], 16) for i in (0, 2, 4)) > 384
    return _MUTED if light else theme.colours.text


def set_notes(slide: Slide, lines: Iterable[str]) -> None:
    """The slide's speaker notes: what the presenter reads, here the evidence behind it."""
    text = "\n".join(lines).strip()
    if text:
        slide.notes_slide.notes_text_frame.text = text


def bullet(paragraph: _Paragraph, indent: int = Inches(0.35)) -> None:
    """Make ``paragraph`` a real bullet point (editable as one in PowerPoint)."""
    properties = paragraph._p.get_or_add_pPr()
    properties.set("marL", str(int(indent)))
    properties.set("indent", str(-int(indent)))
    etree.SubElement(properties, qn("a:buChar")).set("char", "•")
