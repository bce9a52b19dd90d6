"""A board pack chart as a native PowerPoint chart: its data lives in the slide (with the
embedded workbook PowerPoint opens with "Edit Data"), so the VP can restyle or re-cut it."""

from __future__ import annotations

from pptx.chart.chart import Chart as PptxChart
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.presentation import Presentation
from pptx.util import Emu, Pt

from quarterdeck.reports.board_model import CHART_KINDS, Chart, Section
from quarterdeck.reports.board_pptx_style import (
    BODY_BOTTOM,
    BODY_TOP,
    BODY_WIDTH,
    MARGIN,
    muted,
    new_slide,
    rgb,
    set_notes,
)
from quarterdeck.reports.board_text import number
from quarterdeck.reports.theme import Theme

CHART_TYPES = {
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "stacked_column": XL_CHART_TYPE.COLUMN_STACKED,
}
assert set(CHART_TYPES) == set(CHART_KINDS), "every chart kind of the model has a PowerPoint chart type"


def chart_title(chart: Chart) -> str:
    return f"{chart.title} ({chart.unit})" if chart.unit else chart.title


def add_chart_slides(prs: Presentation, section: Section, theme: Theme) -> None:
    """One slide per chart of ``section``, titled "section: chart"; a chart with no value to
    draw (no category, or every value missing) makes no slide."""
    for chart in section.charts:
        if not has_values(chart):
            continue
        slide = new_slide(prs, f"{section.title}: {chart.title}", theme)
        data = CategoryChartData()
        data.categories = list(chart.categories)
        for series in chart.series:
            data.add_series(series.name, [None if v is None else float(v) for v in series.values])
        if chart.kind not in CHART_TYPES:
            raise ValueError(f"chart {chart.title!r}: kind {chart.kind!r} is not one of {', '.join(CHART_KINDS)}")
        box = (MARGIN, BODY_TOP, BODY_WIDTH, Emu(BODY_BOTTOM - BODY_TOP))
        frame = slide.shapes.add_chart(CHART_TYPES[chart.kind], *box, data)
        frame.name = f"Chart {chart.title}"
        _style(frame.chart, chart, theme)
        set_notes(slide, _chart_notes(chart))


def has_values(chart: Chart) -> bool:
    return bool(chart.categories) and any(v is not None for series in chart.series for v in series.values)


def _style(native: PptxChart, chart: Chart, theme: Theme) -> None:
    native.font.name = theme.font
    native.font.size = Pt(14)
    native.font.color.rgb = rgb(theme.colours.text)
    native.has_title = True
    native.chart_title.text_frame.text = chart_title(chart)
    title_font = native.chart_title.text_frame.paragraphs[0].runs[0].font
    title_font.name, title_font.size, title_font.bold = theme.font, Pt(16), True
    title_font.color.rgb = rgb(theme.colours.primary)
    native.has_legend = len(chart.series) > 1
    if native.has_legend:
        native.legend.position = XL_LEGEND_POSITION.BOTTOM
        native.legend.include_in_layout = False
    colours = theme.series_colours()
    for index, series in enumerate(native.plots[0].series):
        colour = rgb(colours[index % len(colours)])
        if chart.kind == "line":
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(2.5)
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = colour
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour
    if chart.kind == "bar":  # first category on top, as it is read (and listed on the page)
        native.category_axis.reverse_order = True
        native.category_axis.crosses = XL_AXIS_CROSSES.MAXIMUM  # keeps the value axis at the bottom
    native.value_axis.major_gridlines.format.line.color.rgb = rgb("#d9dee5")
    native.value_axis.tick_labels.font.color.rgb = rgb(muted(theme))
    native.category_axis.tick_labels.font.color.rgb = rgb(muted(theme))


def _chart_notes(chart: Chart) -> list[str]:
    lines = [f"Chart: {chart_title(chart)}, {chart.kind.replace('_', ' ')} chart; the data behind it:"]
    for series in chart.series:
        points = ", ".join(
            f"{category} {number(value) if value is not None else 'no data'}"
            for category, value in zip(chart.categories, series.values, strict=False)
        )
        lines.append(f"- {series.name}: {points}")
    return lines
