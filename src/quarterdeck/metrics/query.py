"""Running a metric: resolving its window, binding parameters, explaining its SQL.

Windows follow the product's rules: ``--since``/``--until`` are inclusive whole days in
the organization's time zone; without ``--until`` the window ends today, and without
``--since`` it starts the metric's default number of days earlier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from quarterdeck.core.clock import today
from quarterdeck.core.errors import MetricError
from quarterdeck.metrics.catalog import Metric
from quarterdeck.metrics.org_dates import evaluation_dates
from quarterdeck.metrics.privacy import DEFAULT_MIN_GROUP_SIZE, mask_small_groups
from quarterdeck.store import Warehouse

GRAINS = ("week", "month")
_PARAMETER = re.compile(r"\$([a-z_]+)\b")


@dataclass(frozen=True)
class MetricQuery:
    """What the user asked for; unset fields take the metric's defaults."""

    repositories: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    grain: str = "week"
    include_bots: bool = False
    limit: int = 20
    timezone: str = "UTC"
    at: date | None = None  # organization metrics: one date ...
    by: str | None = None  # ... grouped by org, team, unit, level, ...
    unit: str | None = None  # ... within one unit of the org tree
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE


@dataclass(frozen=True)
class Window:
    """Whole days ``since``..``until`` (inclusive) and the instants that bound them."""

    since: date
    until: date
    start: datetime
    end: datetime  # exclusive: midnight after ``until``
    timezone: str


@dataclass
class MetricResult:
    metric: Metric
    window: Window
    columns: list[str]
    rows: list[tuple[Any, ...]]
    sql: str
    parameters: dict[str, Any] = field(default_factory=dict)


def resolve_window(metric: Metric, query: MetricQuery) -> Window:
    until = query.until or today()
    since = query.since or (until - timedelta(days=max(metric.default_window_days, 1) - 1))
    if since > until:
        raise MetricError(f"--since {since} is after --until {until}")
    zone = ZoneInfo(query.timezone)
    start = datetime.combine(since, time.min, tzinfo=zone)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
    return Window(since, until, start, end, query.timezone)


def parameters_for(metric: Metric, query: MetricQuery, window: Window) -> dict[str, Any]:
    """Values of the ``$parameters`` the metric's SQL refers to."""
    if query.grain not in GRAINS:
        raise MetricError(f"--grain must be one of {', '.join(GRAINS)}, not {query.grain!r}")
    if query.limit < 1:
        raise MetricError("--limit must be at least 1")
    values: dict[str, Any] = {
        "since": window.start,
        "until_end": window.end,
        "timezone": window.timezone,
        "repositories": list(query.repositories),
        "include_bots": query.include_bots,
        "grain": query.grain,
        "limit": query.limit,
    }
    used = set(_PARAMETER.findall(metric.compiled_sql()))
    if "dates" in used or "by" in used:
        values.update(_org_parameters(metric, query))
    return {name: value for name, value in values.items() if name in used}


def _org_parameters(metric: Metric, query: MetricQuery) -> dict[str, Any]:
    """Dates, grouping and unit of an organization metric."""
    by = query.by or (metric.groupings[0] if metric.groupings else "org")
    if metric.groupings and by not in metric.groupings:
        raise MetricError(
            f"metric {metric.name} cannot be grouped --by {by}; choose from {', '.join(metric.groupings)}"
        )
    pairs = evaluation_dates(query.at, query.since, query.until, today())
    return {
        "dates": [d for d, _ in pairs],
        "window_starts": [s for _, s in pairs],
        "by": by,
        "unit": (query.unit or "").lower(),
    }


def run_metric(warehouse: Warehouse, metric: Metric, query: MetricQuery) -> MetricResult:
    """Run a metric against the warehouse; values about too few people come back hidden."""
    check_repositories(warehouse, query.repositories)
    check_unit(warehouse, query.unit)
    window = resolve_window(metric, query)
    params = parameters_for(metric, query, window)
    sql = metric.compiled_sql()
    cursor = warehouse.con.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    private = metric.private_columns(params.get("by"))
    rows = mask_small_groups(columns, rows, metric.group_size, private, query.min_group_size)
    return MetricResult(metric, window, columns, rows, sql, params)


def check_unit(warehouse: Warehouse, unit: str | None) -> None:
    if not unit:
        return
    known = {r[0] for r in warehouse.con.execute("SELECT alias FROM team_aliases").fetchall()}
    if unit.lower() not in known:
        listing = ", ".join(sorted(known)[:15]) or "none yet: run quarterdeck ingest org"
        raise MetricError(f"unknown unit {unit!r} (teams known by id, name or alias: {listing})")


def check_repositories(warehouse: Warehouse, names: tuple[str, ...]) -> None:
    if not names:
        return
    known = {r[0] for r in warehouse.con.execute("SELECT name FROM repositories").fetchall()}
    unknown = [n for n in names if n not in known]
    if unknown:
        listing = ", ".join(sorted(known)) or "none yet"
        raise MetricError(f"unknown repository {', '.join(map(repr, unknown))} (known: {listing})")


def explain(metric: Metric, query: MetricQuery) -> str:
    """The metric's SQL with its parameter values written in, ready to run in DuckDB."""
    window = resolve_window(metric, query)
    params = parameters_for(metric, query, window)
    header = [
        f"-- metric: {metric.name} ({metric.title})",
        f"-- window: {window.since} .. {window.until} inclusive, time zone {window.timezone}"
        if "since" in metric.parameters
        else f"-- as of the end of {window.until}, time zone {window.timezone}",
        *(f"-- ${name} = {sql_literal(value)}" for name, value in params.items()),
    ]
    sql = _PARAMETER.sub(lambda m: sql_literal(params[m[1]]) if m[1] in params else m[0], metric.compiled_sql())
    return "\n".join(header) + "\n" + sql + ";\n"


def sql_literal(value: Any) -> str:
    """A value written as a DuckDB SQL literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return f"TIMESTAMPTZ '{value.isoformat()}'"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, list):
        kind = "DATE[]" if value and isinstance(value[0], date) else "VARCHAR[]"
        return "CAST([" + ", ".join(sql_literal(v) for v in value) + f"] AS {kind})"
    return "'" + str(value).replace("'", "''") + "'"
