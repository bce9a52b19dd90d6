"""What every section builder of the board pack shares: a section only when it has something
to show, and the chart of a figure's quarters (a year before, the quarter before, this one)."""

from __future__ import annotations

from collections.abc import Sequence

from quarterdeck.core.formats import format_number
from quarterdeck.metrics.money import Quarter
from quarterdeck.reports.board_figures import Windows
from quarterdeck.reports.board_model import Chart, Figure, Section, Series, Table


def section_of(
    key: str,
    title: str,
    figures: Sequence[Figure],
    tables: Sequence[Table] = (),
    charts: Sequence[Chart] = (),
) -> Section | None:
    """The section, or None when it has neither a figure nor a table (never an empty section)."""
    if not figures and not tables:
        return None
    return Section(key, title, tuple(figures), charts=tuple(charts), tables=tuple(tables))


def quarter_labels(windows: Windows) -> tuple[str, str, str]:
    """The year-ago quarter, the quarter before and the pack's quarter."""
    quarter = windows.quarter
    return (str(Quarter(quarter.year - 1, quarter.number)), str(quarter.previous), str(quarter))


def quarters_chart(figure: Figure, windows: Windows, title: str | None = None) -> Chart | None:
    """A column chart of the figure over three quarters; None when only this quarter has a value."""
    values = (figure.year_ago, figure.previous, figure.value)
    if sum(v is not None for v in values) < 2:
        return None
    return Chart(
        title or f"{figure.label}, {figure.unit}",
        "column",
        quarter_labels(windows),
        (Series(figure.label, values),),
        figure.unit,
    )


def charts_of(*charts: Chart | None) -> tuple[Chart, ...]:
    return tuple(c for c in charts if c is not None)


def figures_table(title: str, figures: Sequence[Figure], windows: Windows, note: str = "") -> Table | None:
    """A table of figures: this quarter, the quarter before, a year before, the target."""
    if not figures:
        return None
    year_ago, previous, current = quarter_labels(windows)
    rows = tuple(
        (f.label, f.text, _shown(f.previous, f), _shown(f.year_ago, f), _shown(f.target, f), f.status) for f in figures
    )
    return Table(title, ("Metric", current, previous, year_ago, "Target", "Status"), rows, note)


def _shown(value: float | None, figure: Figure) -> str:
    return "—" if value is None else format_number(value, figure.unit)


def tables_of(*tables: Table | None) -> tuple[Table, ...]:
    return tuple(t for t in tables if t is not None)
