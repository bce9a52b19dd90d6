"""A board pack table as a native PowerPoint table, split over slides when it is long (the
header row repeated on each), and the notes slide with the user's notes as written."""

from __future__ import annotations

from pptx.presentation import Presentation
from pptx.table import _Cell
from pptx.util import Emu, Inches, Pt

from quarterdeck.reports.board_model import Section, Table
from quarterdeck.reports.board_pptx_figures import chunks, numbered
from quarterdeck.reports.board_pptx_style import (
    BODY_BOTTOM,
    BODY_TOP,
    BODY_WIDTH,
    MARGIN,
    add_text,
    muted,
    new_slide,
    rgb,
    set_notes,
)
from quarterdeck.reports.theme import Theme

ROWS_PER_SLIDE = 12
NOTE_LINES_PER_SLIDE = 18
_ROW_HEIGHT = Inches(0.38)


def add_table_slides(prs: Presentation, section: Section, theme: Theme) -> None:
    """Each table of ``section`` that has rows (a table without rows makes no slide)."""
    for table in section.tables:
        if table.rows:
            add_table(prs, f"{section.title}: {table.title}", table, theme)


def add_table(prs: Presentation, title: str, table: Table, theme: Theme) -> None:
    """``table`` on as many slides as it needs, twelve rows to a slide."""
    groups = chunks(table.rows, ROWS_PER_SLIDE)
    for index, rows in enumerate(groups):
        slide = new_slide(prs, numbered(title, index, len(groups)), theme)
        height = Emu(_ROW_HEIGHT * (len(rows) + 1))
        frame = slide.shapes.add_table(len(rows) + 1, len(table.columns), MARGIN, BODY_TOP, BODY_WIDTH, height)
        frame.name = f"Table {table.title}"
        grid = frame.table
        for column, width in zip(grid.columns, column_widths(table, BODY_WIDTH), strict=True):
            column.width = width
        for column, name in enumerate(table.columns):
            _fill(grid.cell(0, column), name, theme, header=True)
        for row_index, row in enumerate(rows, start=1):
            for column in range(len(table.columns)):
                text = row[column] if column < len(row) else ""
                _fill(grid.cell(row_index, column), text, theme, header=False, shade=row_index % 2 == 0)
        if table.note:
            below = BODY_TOP + height + Inches(0.15)
            add_text(slide, (MARGIN, below, BODY_WIDTH, Inches(0.5)), [table.note], theme, size=12, colour=muted(theme))
        if len(groups) > 1:
            first = index * ROWS_PER_SLIDE + 1
            set_notes(slide, [f"{table.title}: rows {first} to {first + len(rows) - 1} of {len(table.rows)}."])


def column_widths(table: Table, total: int) -> list[Emu]:
    """Widths in proportion to each column's longest text (over all rows, so a table split over
    slides keeps its columns), none under half an equal share; they add up to ``total``."""
    count = len(table.columns)
    longest = [max([len(table.columns[c])] + [len(row[c]) for row in table.rows if c < len(row)]) for c in range(count)]
    weights = [max(length, sum(longest) / count / 2, 1) for length in longest]
    widths = [Emu(int(total * weight / sum(weights))) for weight in weights]
    widths[-1] = Emu(total - sum(widths[:-1]))
    return widths


def _fill(cell: _Cell, text: str, theme: Theme, header: bool, shade: bool = False) -> None:
    cell.text = text
    cell.fill.solid()
    if header:
        cell.fill.fore_color.rgb = rgb(theme.colours.primary)
    else:
        cell.fill.fore_color.rgb = rgb("#f2f4f7" if shade else theme.colours.background)
    for paragraph in cell.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.name, run.font.size, run.font.bold = theme.font, Pt(13), header
            run.font.color.rgb = rgb(theme.colours.background if header else theme.colours.text)


def add_notes_slides(prs: Presentation, notes: str, theme: Theme) -> None:
    """The user's notes (asks, decisions) on "Notes" slides, exactly as written: every line a
    paragraph, nothing reworded; a long text runs over several slides."""
    lines = notes.strip("\n").split("\n")
    groups = chunks(lines, NOTE_LINES_PER_SLIDE)
    for index, group in enumerate(groups):
        slide = new_slide(prs, numbered("Notes", index, len(groups)), theme)
        box = (MARGIN, BODY_TOP, BODY_WIDTH, Emu(BODY_BOTTOM - BODY_TOP))
        add_text(slide, box, group, theme, size=18, name="Notes")
        set_notes(slide, ["The presenter's own notes, as written in the notes file; no number here is computed."])
