"""The key-figure and narrative slides of a section: figure cards (value, unit, status colour,
change on the quarter and the year, target) and the sentences as bullets, each slide's
speaker notes holding the evidence behind what it shows."""

from __future__ import annotations

from collections.abc import Sequence

from pptx.enum.shapes import MSO_SHAPE
from pptx.presentation import Presentation
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from quarterdeck.reports.board_model import Figure, Section, Sentence
from quarterdeck.reports.board_pptx_style import (
    BODY_BOTTOM,
    BODY_TOP,
    BODY_WIDTH,
    MARGIN,
    add_text,
    bullet,
    muted,
    new_slide,
    rgb,
    set_notes,
    style_paragraphs,
)
from quarterdeck.reports.board_text import STATUS_WORDS, changes_line, figure_evidence, number, sentence_evidence
from quarterdeck.reports.theme import Theme

CARDS_PER_ROW = 4
CARDS_PER_SLIDE = 8
BULLETS_PER_SLIDE = 7
SENTENCES_UNDER_CARDS = 3
_GAP = Inches(0.25)
_CARD_HEIGHT = Inches(2.45)
_STATUS_BAR = Inches(0.12)


def chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def balanced(items: Sequence, most: int) -> list[Sequence]:
    """``items`` over as few slides as hold ``most`` each, shared out evenly (9 cards of at
    most 8 a slide: 5 and 4, not 8 and 1)."""
    if not items:
        return []
    slides = -(-len(items) // most)
    return chunks(items, -(-len(items) // slides))


def numbered(title: str, index: int, count: int) -> str:
    """``title`` with "(2 of 3)" when the content runs over several slides."""
    return title if count == 1 else f"{title} ({index + 1} of {count})"


def add_section_summary(prs: Presentation, section: Section, figures: dict[str, Figure], theme: Theme) -> None:
    """The section's key figures and its sentences: on one slide when they fit (up to four
    figures and three sentences, the sentences under the cards), else figure slides of eight
    cards and sentence slides of seven bullets. Nothing when the section has neither."""
    together = 0 < len(section.figures) <= CARDS_PER_ROW and 0 < len(section.sentences) <= SENTENCES_UNDER_CARDS
    if together:
        slide = _figure_slide(prs, section.title, section.figures, theme)
        top = BODY_TOP + _CARD_HEIGHT + Inches(0.35)
        _bullets(slide, (MARGIN, top, BODY_WIDTH, Emu(BODY_BOTTOM - top)), section.sentences, theme, size=18)
        set_notes(slide, _figure_notes(section.figures) + _sentence_notes(section.sentences, figures))
        return
    groups = balanced(section.figures, CARDS_PER_SLIDE)
    for index, group in enumerate(groups):
        slide = _figure_slide(prs, numbered(section.title, index, len(groups)), group, theme)
        set_notes(slide, _figure_notes(group))
    title = f"{section.title}: in brief" if section.figures else section.title
    add_bullet_slides(prs, title, section.sentences, figures, theme)


def _figure_slide(prs: Presentation, title: str, group: Sequence[Figure], theme: Theme) -> Slide:
    """A slide of up to eight figure cards, four to a row."""
    slide = new_slide(prs, title, theme)
    width = Emu(int((BODY_WIDTH - (CARDS_PER_ROW - 1) * _GAP) / CARDS_PER_ROW))
    for row_index, row in enumerate(chunks(group, CARDS_PER_ROW)):
        top = BODY_TOP + row_index * (_CARD_HEIGHT + _GAP)
        for column, figure in enumerate(row):
            left = MARGIN + column * (width + _GAP)
            _add_card(slide, figure, theme, (left, top, width, _CARD_HEIGHT))
    return slide


def _figure_notes(group: Sequence[Figure]) -> list[str]:
    return ["Where each figure comes from:", *(f"- {figure_evidence(f)}" for f in group)]


def _sentence_notes(group: Sequence[Sentence], figures: dict[str, Figure]) -> list[str]:
    notes = ["", "What each sentence is based on:"]
    for sentence in group:
        notes += ["", *sentence_evidence(sentence, figures)]
    return notes


def _add_card(slide: Slide, figure: Figure, theme: Theme, box: tuple[int, int, int, int]) -> None:
    left, top, width, height = box
    card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
    card.name = f"Figure {figure.key}"
    card.fill.solid()
    card.fill.fore_color.rgb = rgb(theme.colours.background)
    card.line.color.rgb = rgb("#d9dee5")
    card.shadow.inherit = False
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, _STATUS_BAR, height)
    bar.name = f"Status {figure.status}"
    bar.fill.solid()
    bar.fill.fore_color.rgb = rgb(theme.status_colour(figure.status))
    bar.line.fill.background()
    inner = (left + _STATUS_BAR + Inches(0.12), top + Inches(0.08), width - _STATUS_BAR - Inches(0.2), height)
    _card_text(slide, figure, theme, inner)


def value_size(text: str) -> int:
    """The value's type size: 30 points, smaller for long values so one line holds them."""
    return 30 if len(text) <= 9 else 24 if len(text) <= 12 else 18


def _card_text(slide: Slide, figure: Figure, theme: Theme, box: tuple[int, int, int, int]) -> None:
    left, top, width, _ = box
    small = muted(theme)
    add_text(slide, (left, top, width, Inches(0.55)), [figure.label], theme, size=13, colour=small)
    size = value_size(figure.text)
    value = add_text(slide, (left, top + Inches(0.55), width, Inches(0.8)), [figure.text], theme, size=size, bold=True)
    if figure.unit:
        run = value.paragraphs[0].add_run()
        run.text = f" {figure.unit}"
        run.font.name, run.font.size, run.font.bold = theme.font, Pt(13), False
        run.font.color.rgb = rgb(small)
    lines = [changes_line(figure)]
    status = STATUS_WORDS.get(figure.status, figure.status)
    lines.append(f"Target {number(figure.target)}: {status}" if figure.target is not None else status.capitalize())
    frame = add_text(slide, (left, top + Inches(1.4), width, Inches(0.9)), [x for x in lines if x], theme, size=12)
    style_paragraphs(frame, theme, size=12, colour=small)
    frame.paragraphs[-1].runs[0].font.color.rgb = rgb(theme.status_colour(figure.status))
    frame.paragraphs[-1].runs[0].font.bold = True


def add_bullet_slides(
    prs: Presentation, title: str, sentences: Sequence[Sentence], figures: dict[str, Figure], theme: Theme
) -> None:
    """``sentences`` as bullets, seven to a slide; speaker notes give each sentence's rule
    and the figures behind it."""
    groups = balanced(sentences, BULLETS_PER_SLIDE)
    for index, group in enumerate(groups):
        slide = new_slide(prs, numbered(title, index, len(groups)), theme)
        _bullets(slide, (MARGIN, BODY_TOP, BODY_WIDTH, Emu(BODY_BOTTOM - BODY_TOP)), group, theme, size=20)
        set_notes(slide, _sentence_notes(group, figures)[1:])


def _bullets(
    slide: Slide, box: tuple[int, int, int, int], sentences: Sequence[Sentence], theme: Theme, size: int
) -> None:
    frame = add_text(slide, box, [s.text for s in sentences], theme, size=size, name="Narrative")
    for paragraph in frame.paragraphs:
        paragraph.space_after = Pt(10)
        bullet(paragraph)
