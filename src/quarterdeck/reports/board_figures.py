"""The figures of a board pack: one metric's value over the quarter for the pack's scope, with
the quarter before and the same quarter a year before, its target and colour, and the
``quarterdeck metrics show`` command that gives the same value.

A figure's value is what ``quarterdeck metrics show NAME --since START --until END --grain
window`` gives for the scope (the whole quarter as one period: each statistic over all of its
events), read as the metric's tile reads its rows (``tile_reduce``: incidents of every
severity summed, availability as good over total); an organization metric is measured on the
quarter's last day (``--at``), a metric of repositories or files as of it (``--until``). A
unit's figure is the ``--by unit --unit ID`` row of that unit (``metrics.money.quarter_query``
is the same rule for the money lines).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import duckdb

from quarterdeck.config.targets import Targets, judge
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.core.formats import format_number
from quarterdeck.metrics import MetricQuery, get_metric, run_metric
from quarterdeck.metrics.catalog import Metric
from quarterdeck.metrics.money import Quarter, reduce_rows
from quarterdeck.reports.board_model import Figure
from quarterdeck.store import Warehouse


@dataclass(frozen=True)
class Span:
    """Whole days ``start`` .. ``end``, both included (a quarter, or its part up to the data's end)."""

    start: date
    end: date


@dataclass(frozen=True)
class Windows:
    """The pack's quarter (cut at the data's end when it runs past it), the quarter before it
    and the same quarter a year before."""

    quarter: Quarter
    current: Span
    previous: Span
    year_ago: Span
    open_window: str = ""
    first: date | None = None  # the data's first day: a window ending before it has no values

    @classmethod
    def of(cls, quarter: Quarter, data_ends: date, data_starts: date | None = None) -> Windows:
        end = min(quarter.end, data_ends)
        year_ago = Quarter(quarter.year - 1, quarter.number)
        open_window = ""
        if end < quarter.end:
            open_window = (
                f"{quarter} is not over in the data: its figures run from {quarter.start} to {end}, the last day "
                f"of the data, not to {quarter.end}; the quarter before and a year before are whole quarters"
            )
        return cls(quarter, Span(quarter.start, end), Span(quarter.previous.start, quarter.previous.end),
                   Span(year_ago.start, year_ago.end), open_window, data_starts)  # fmt: skip


@dataclass(frozen=True)
class FigureContext:
    """What every figure of one pack shares: the warehouse, the settings' query, the scope
    (None: the organization; else a unit's id), the windows and the targets."""

    warehouse: Warehouse
    base: MetricQuery
    unit: str | None
    windows: Windows
    targets: Targets
    #: Rows already computed, by (metric, since, until, at): figures that read one metric's
    #: rows several ways (each category, planned and actual) run its query once.
    cache: dict[tuple[Any, ...], Any] = field(default_factory=dict, compare=False)
    evidence: dict[tuple[str, ...], bool] = field(default_factory=dict, compare=False)

    @property
    def scope(self) -> str:
        return f"unit:{self.unit}" if self.unit else "org"


#: The tables whose rows a metric counts: with all of them empty it has no data (its zeros
#: would say "nothing happened" where nothing is known), and its figure is left out.
EVIDENCE = {
    "deployment_frequency": ("deployments",),
    "lead_time_for_changes": ("deployments",),
    "change_failure_rate": ("deployments",),
    "time_to_restore": ("incidents",),
    "incidents": ("incidents",),
    "open_critical_incidents": ("incidents",),
    "availability": ("availability_windows",),
    "error_budget_remaining": ("slos",),
    "dora_performance": ("deployments", "incidents"),
    "open_critical_bugs": ("issues",),
    "critical_bug_escape_rate": ("issues",),
    "pr_pickup_time": ("pull_requests",),
    "pr_review_time": ("pull_requests",),
    "engineer_hours_waiting": ("pull_requests", "issue_transitions", "ci_runs"),
    "issue_blocked_time": ("issue_transitions",),
    "bus_factor": ("commits",),
    "hotspots": ("commits",),
    "code_age": ("commits",),
    "headcount": ("people_snapshots",),
    "attrition_rate": ("people_snapshots",),
    "span_of_control": ("people_snapshots",),
    "budget_vs_actual": ("budget_lines",),
    "investment_allocation": ("investment_rules",),
    "capitalizable_cost": ("capitalization_policy",),
}


#: The day column of each evidence table: a window that ends before its first row knows nothing.
FIRST_DAY = {
    "deployments": "finished_at",
    "incidents": "created_at",
    "availability_windows": "window_start",
    "pull_requests": "created_at",
    "ci_runs": "finished_at",
    "commits": "committer_time",
    "people_snapshots": "as_of",
    "budget_lines": "month",
}
#: Metrics over a whole window that take no --grain (their window is the quarter's).
WHOLE_WINDOW = ("dora_performance",)


def evidence_starts(ctx: FigureContext, metric: Metric) -> date | None:
    """The first day of the metric's evidence (the earliest of its tables' first rows), or None."""
    tables = tuple(t for t in EVIDENCE.get(metric.name, ()) if t in FIRST_DAY)
    if not tables or not has_data(ctx, metric):
        return None
    key = ("first", tables)
    if key not in ctx.cache:
        days = [
            f"SELECT min(CAST({FIRST_DAY[t]} AS DATE)) AS d FROM {t}"
            if FIRST_DAY[t] in ("as_of", "month")
            else f"SELECT min(CAST(timezone($timezone, {FIRST_DAY[t]}) AS DATE)) AS d FROM {t}"
            for t in tables
        ]
        sql = f"SELECT min(d) FROM ({' UNION ALL '.join(days)})"
        first = ctx.warehouse.value(sql, {"timezone": ctx.base.timezone} if "$timezone" in sql else None)
        ctx.cache[key] = first if isinstance(first, date) else None
    return ctx.cache[key]


def has_data(ctx: FigureContext, metric: Metric) -> bool:
    """Whether any table the metric counts (EVIDENCE) has a row; a metric not listed: yes."""
    tables = EVIDENCE.get(metric.name)
    if not tables:
        return True
    if tables not in ctx.evidence:
        listed = "SELECT table_name FROM information_schema.tables"
        present = {r[0] for r in ctx.warehouse.con.execute(listed).fetchall()}
        ctx.evidence[tables] = any(
            t in present and ctx.warehouse.value(f'SELECT EXISTS (SELECT 1 FROM "{t}")') for t in tables
        )
    return ctx.evidence[tables]


def applies(metric: Metric, unit: str | None) -> bool:
    """Whether the metric has a figure for the scope: one of its groupings, or a metric of
    repositories, files or SLOs (no groupings: narrowed to a unit by the teams that own them)."""
    if not metric.groupings:
        return True
    return ("unit" if unit else "org") in metric.groupings


def figure_query(base: MetricQuery, metric: Metric, span: Span, unit: str | None) -> MetricQuery:
    """The query of the metric over ``span`` for the scope (``metrics.money.quarter_query``'s rule)."""
    by = ("unit" if unit else "org") if metric.groupings else None
    scoped = replace(base, by=by, unit=unit)
    if "grain" in metric.parameters:
        grain = "window" if not metric.grains or "window" in metric.grains else "quarter"
        return replace(scoped, since=span.start, until=span.end, grain=grain, at=None)
    if "at" in metric.parameters:
        return replace(scoped, since=None, until=None, at=span.end)
    if metric.name in WHOLE_WINDOW:
        return replace(scoped, since=span.start, until=span.end)
    return replace(scoped, since=None, until=span.end)


def command_of(metric: Metric, query: MetricQuery, extra: tuple[str, ...] = ()) -> str:
    """The ``quarterdeck metrics show`` command that runs ``query``."""
    words = ["quarterdeck", "metrics", "show", metric.name]
    if query.since is not None:
        words += ["--since", query.since.isoformat()]
    if query.until is not None:
        words += ["--until", query.until.isoformat()]
    if query.at is not None:
        words += ["--at", query.at.isoformat()]
    if query.grain is not None and "grain" in metric.parameters:
        words += ["--grain", query.grain]
    if query.by is not None and metric.groupings:
        words += ["--by", query.by]
    if query.unit:
        words += ["--unit", query.unit]
    return " ".join([*words, *extra])


def metric_rows(ctx: FigureContext, metric: Metric, query: MetricQuery) -> list[dict[str, Any]] | None:
    """The metric's rows for the scope (a unit's own row), or None when it cannot be computed."""
    key = (metric.name, query)
    if not has_data(ctx, metric):
        return None
    if key not in ctx.cache:
        ctx.cache[key] = scope_rows(ctx.warehouse, ctx.unit, metric, query)
    return ctx.cache[key]


def combinable(metric: Metric) -> bool:
    """A metric reported per period that takes calendar quarters: its values over the quarter
    before and a year before come from one query (``--grain quarter`` from the year-ago quarter
    to the quarter before), each quarter's rows as ``--grain window`` over that quarter alone
    gives them (whole calendar quarters both ways). The pack's own quarter runs as its
    figure's command says."""
    allowed = not metric.grains or "quarter" in metric.grains
    return "grain" in metric.parameters and allowed and metric.name not in WHOLE_WINDOW


def span_query(ctx: FigureContext, metric: Metric, span: Span) -> tuple[MetricQuery, date | None]:
    """The query whose rows give ``span``'s, and the ``period_start`` of the rows to keep (None: all)."""
    windows = ctx.windows
    if span != windows.current and combinable(metric):
        before = Span(windows.year_ago.start, windows.previous.end)
        return replace(figure_query(ctx.base, metric, before, ctx.unit), grain="quarter"), span.start
    return figure_query(ctx.base, metric, span, ctx.unit), None


def span_rows(ctx: FigureContext, metric: Metric, span: Span) -> list[dict[str, Any]] | None:
    """The metric's rows for the scope over ``span`` (one of the pack's three quarters)."""
    query, period = span_query(ctx, metric, span)
    rows = metric_rows(ctx, metric, query)
    if rows is None or period is None:
        return rows
    if all("period_start" in r for r in rows):
        return [r for r in rows if r["period_start"] == period]
    return metric_rows(ctx, metric, figure_query(ctx.base, metric, span, ctx.unit))


def first_day(ctx: FigureContext, metric: Metric) -> date | None:
    """The first day the metric knows anything about: a window ending before it has no value."""
    return evidence_starts(ctx, metric) or ctx.windows.first


def scope_rows(warehouse: Warehouse, unit: str | None, metric: Metric, query: MetricQuery) -> list[dict] | None:
    """The query's rows (a unit's own row when ``unit``), or None when it cannot be computed."""
    try:
        result = run_metric(warehouse, metric, query)
    except (QuarterdeckError, duckdb.Error):
        return None
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    if unit is not None and "group" in result.columns:
        rows = [r for r in rows if r["group"] == unit]
    return rows


@dataclass(frozen=True)
class Reading:
    """How a metric's rows give one number: the reduction and column (``metrics.tiles``), and
    only the rows whose column ``only[0]`` holds ``only[1]`` (one category of several)."""

    reduce: str
    column: str
    threshold: float | None = None
    only: tuple[str, Any] | None = None

    def of(self, rows: list[dict[str, Any]]) -> float | str | None:
        if self.only is not None:
            rows = [r for r in rows if r.get(self.only[0]) == self.only[1]]
        return reduce_rows(rows, self.reduce, self.column, self.threshold)


def metric_figure(
    ctx: FigureContext,
    name: str,
    *,
    label: str | None = None,
    unit: str | None = None,
    reduce: str | None = None,
    column: str | None = None,
    threshold: float | None = None,
    only: tuple[str, Any] | None = None,
    key: str | None = None,
    good_direction: str | None = None,
) -> Figure | None:
    """The figure of metric ``name`` (read as its tile reads it unless told otherwise), or
    None when the metric has no value for the quarter at this scope."""
    metric = get_metric(name)
    spec = metric.tile
    read = Reading(
        reduce or (spec.reduce if spec else "value"),
        column or (spec.column if spec else None) or metric.value,
        threshold if threshold is not None else (spec.threshold if spec else None),
        only,
    )
    return computed_figure(
        ctx,
        name,
        read.of,
        label=label or (spec.title if spec and spec.title else metric.title),
        unit=unit or (spec.unit if spec and spec.unit else metric.unit),
        key=key,
        good_direction=good_direction or direction_of(metric, read),
    )


def direction_of(metric: Metric, read: Reading) -> str:
    """Which way the figure is better: the metric's, turned round for a count of rows at or
    below a threshold (repositories whose bus factor is 1: fewer is better)."""
    if read.reduce == "count_at_most":
        return {"up": "down", "down": "up"}.get(metric.good_direction, "neither")
    return metric.good_direction


def computed_figure(
    ctx: FigureContext,
    name: str,
    compute: Callable[[list[dict[str, Any]]], float | str | None],
    *,
    label: str,
    unit: str,
    key: str | None = None,
    good_direction: str | None = None,
) -> Figure | None:
    """The figure ``compute`` gives of metric ``name``'s rows for the scope in each window, or
    None when there is no value for the quarter."""
    metric = get_metric(name)
    if not applies(metric, ctx.unit):
        return None
    windows = ctx.windows
    first = first_day(ctx, metric)

    def over(span: Span) -> float | str | None:
        if first is not None and span.end < first:
            return None  # wholly before the data: nothing is known, not zero
        rows = span_rows(ctx, metric, span)
        return None if rows is None else compute(rows)

    value = over(windows.current)
    if value is None:
        return None
    hidden = isinstance(value, str)
    number = None if hidden else float(value)
    target = ctx.targets.for_metric(name, ctx.scope)
    query = figure_query(ctx.base, metric, windows.current, ctx.unit)
    return Figure(
        key=key or f"{name}@{ctx.scope}",
        label=label,
        value=number,
        text=str(value) if hidden else format_number(number, unit),
        unit=unit,
        metric=name,
        scope=ctx.scope,
        start=windows.current.start,
        end=windows.current.end,
        previous=_number(over(windows.previous)),
        year_ago=_number(over(windows.year_ago)),
        target=None if target is None else target.target,
        status=judge(number, target),
        command=command_of(metric, query),
        good_direction=good_direction or metric.good_direction,
        target_direction=None if target is None else target.direction,
    )


def _number(value: float | str | None) -> float | None:
    return None if value is None or isinstance(value, str) else float(value)


def present(*figures: Figure | None) -> tuple[Figure, ...]:
    """The figures that have a value (a section shows only those)."""
    return tuple(f for f in figures if f is not None)
