"""Running a metric: resolving its window, binding parameters, explaining its SQL.

Windows follow the product's rules: ``--since``/``--until`` are inclusive whole days in
the organization's time zone; without ``--until`` the window ends on the last day of the
data (``metrics.data_end``: the latest event in the warehouse, not today), and without
``--since`` it starts the metric's default number of days earlier. ``--grain window`` makes
the whole window one period: each statistic is over all of the window's events.

Groupings: an organization metric is always grouped (``--by``, default its first
grouping). A metric that has its own ungrouped query (commits, churn, active_contributors:
per repository or per period) runs it unless ``--by`` or ``--unit`` is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from quarterdeck.config import Settings
from quarterdeck.config.standards import Standards
from quarterdeck.core.clock import today
from quarterdeck.core.errors import MetricError
from quarterdeck.metrics.bug_rules import BugRules
from quarterdeck.metrics.catalog import Metric
from quarterdeck.metrics.data_end import data_end
from quarterdeck.metrics.org_dates import evaluation_dates
from quarterdeck.metrics.privacy import DEFAULT_MIN_GROUP_SIZE, mask_small_groups
from quarterdeck.store import Warehouse

GRAINS = ("week", "month", "quarter", "window")
#: Each grain's period ($period) and a day its periods start from ($period_origin; a Monday
#: for weeks, a 1 January for months and quarters). ``window``: one period, the whole window.
_PERIODS = {"week": ("7 days", date(2000, 1, 3)), "month": ("1 month", date(2000, 1, 1)),
            "quarter": ("3 months", date(2000, 1, 1))}  # fmt: skip
#: The DORA reports whose performance bands dora_performance applies.
DORA_REPORTS = ("2023", "2021")
_PARAMETER = re.compile(r"\$([a-z_]+)\b")


@dataclass(frozen=True)
class MetricQuery:
    """What the user asked for; unset fields take the metric's defaults."""

    repositories: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    grain: str | None = None  # None: the metric's default grain (its first of -- grains:, else week)
    include_bots: bool = False
    limit: int = 20
    timezone: str = "UTC"
    at: date | None = None  # organization metrics: one date ...
    by: str | None = None  # ... grouped by org, team, unit, level, ...
    unit: str | None = None  # ... within one unit of the org tree
    owner_unit: str | None = None  # repository and SLO metrics: only those the teams of this unit's subtree own
    services: tuple[str, ...] = ()  # ... or only these services' (the dashboard's service scope)
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    report: str = "2023"  # dora_performance: which DORA report's bands
    critical_severity: int = 2  # open_critical_incidents: severity ranks 1..N are critical
    blocked_statuses: tuple[str, ...] = ()  # waits: issue statuses that mean waiting (lower case)
    working_minutes: tuple[int, int] = (9 * 60, 17 * 60)  # waits: the working day, minutes after midnight
    working_days: tuple[int, ...] = (1, 2, 3, 4, 5)  # waits: ISO day numbers
    bug_rules: BugRules = field(default_factory=BugRules)  # critical bugs: which tracker issues count
    currency: str = "USD"  # money: the reporting currency every amount is converted to
    people_currency: str = ""  # money: the people export's currency ("": the reporting currency)
    cost_multipliers: tuple[tuple[str, float], ...] = ()  # money: loaded-cost multiplier by location ("*": others)
    standards: Standards = field(default_factory=Standards)  # stack_off_standard: the standards file's rules


def settings_query_fields(settings: Settings) -> dict[str, Any]:
    """The fields of a MetricQuery that come from the settings rather than from flags."""
    return {
        "timezone": settings.timezone,
        "min_group_size": settings.min_group_size,
        "critical_severity": settings.critical_severity,
        "blocked_statuses": settings.blocked_statuses,
        "working_minutes": settings.working_minutes(),
        "working_days": settings.working_day_numbers(),
        "bug_rules": BugRules.of(settings),
        "currency": settings.reporting_currency,
        "people_currency": settings.people_cost_currency,
        "cost_multipliers": settings.loaded_cost_multipliers,
    }


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
    data_ends: date | None = None  # the window ends here because no end was asked for


def default_end(warehouse: Warehouse, query: MetricQuery) -> date | None:
    """The day a query that names no end (no --until, no --at) ends on: the end of the data."""
    if query.until is not None or query.at is not None:
        return None
    return data_end(warehouse, today(), query.timezone)


def ending_on(metric: Metric, query: MetricQuery, ends: date | None) -> MetricQuery:
    """``query`` ending on ``ends`` (None: as it is): an organization metric is measured on
    that date, any other metric's window ends that day."""
    if ends is None:
        return query
    point = "at" in metric.parameters and query.since is None
    return replace(query, at=ends) if point else replace(query, until=ends)


def resolve_window(metric: Metric, query: MetricQuery) -> Window:
    until = query.until or today()  # run_metric and the callers that read the data give the end
    since = query.since or (until - timedelta(days=max(metric.default_window_days, 1) - 1))
    if since > until:
        raise MetricError(f"--since {since} is after --until {until}")
    zone = ZoneInfo(query.timezone)
    start = datetime.combine(since, time.min, tzinfo=zone)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
    return Window(since, until, start, end, query.timezone)


def parameters_for(metric: Metric, query: MetricQuery, window: Window) -> dict[str, Any]:
    """Values of the ``$parameters`` the metric's SQL refers to."""
    grain = grain_of(metric, query)
    if query.limit < 1:
        raise MetricError("--limit must be at least 1")
    if query.report not in DORA_REPORTS:
        raise MetricError(f"--report must be one of {', '.join(DORA_REPORTS)}, not {query.report!r}")
    values: dict[str, Any] = {
        "since": window.start,
        "until_end": window.end,
        "timezone": window.timezone,
        "repositories": list(query.repositories),
        "include_bots": query.include_bots,
        "grain": grain,
        **period_of(grain, window),
        "limit": query.limit,
        "unit": (query.unit or "").lower(),
        "services": list(query.services),
        "owner_unit": owner_unit(metric, query),
        "report": query.report,
        "critical_severity": query.critical_severity,
        "blocked_statuses": [s.lower() for s in query.blocked_statuses],
        "work_start_minute": query.working_minutes[0],
        "work_end_minute": query.working_minutes[1],
        "working_days": list(query.working_days),
        **query.bug_rules.parameters(),
        **money_parameters(query),
        **query.standards.parameters(),
    }
    used = set(_PARAMETER.findall(metric_sql(metric, query)))
    if "by" in used:
        values["by"] = grouping(metric, query)
    if "dates" in used:
        pairs = evaluation_dates(query.at, query.since, query.until, today())
        values.update(dates=[d for d, _ in pairs], window_starts=[s for _, s in pairs])
    return {name: value for name, value in values.items() if name in used}


def grain_of(metric: Metric, query: MetricQuery) -> str:
    """The query's grain: ``--grain``, else the metric's default (the first of its grains)."""
    grain = query.grain or (metric.grains[0] if metric.grains else "week")
    if grain not in GRAINS:
        raise MetricError(f"--grain must be one of {', '.join(GRAINS)}, not {grain!r}")
    if metric.grains and grain not in metric.grains:
        raise MetricError(f"metric {metric.name} is reported per {' or '.join(metric.grains)}, not per {grain}")
    return grain


def money_parameters(query: MetricQuery) -> dict[str, Any]:
    """The reporting currency, the people export's currency and the loaded-cost multipliers
    (locations in lower case, '*' last: the multiplier of every other location, 1 unless set)."""
    multipliers = {location.lower(): factor for location, factor in query.cost_multipliers}
    others = multipliers.pop("*", 1.0)
    return {
        "currency": query.currency,
        "people_currency": query.people_currency or query.currency,
        "multiplier_locations": [*multipliers, "*"],
        "multiplier_values": [float(v) for v in multipliers.values()] + [float(others)],
    }


def owner_unit(metric: Metric, query: MetricQuery) -> str:
    """The unit whose teams' repositories and SLOs the rows keep: ``owner_unit``, or the
    ``--unit`` of a metric that has no groupings (bus factor, code age, hotspots, error
    budgets); '' for all of them."""
    unit = query.owner_unit or ("" if metric.groupings else query.unit)
    return (unit or "").lower()


def period_of(grain: str, window: Window) -> dict[str, Any]:
    """The ``$period`` and ``$period_origin`` of a grain: ``window`` is one period as long
    as the window, from its first day, so a statistic over it is over all its events."""
    if grain == "window":
        return {"period": f"{(window.until - window.since).days + 1} days", "period_origin": window.since}
    period, origin = _PERIODS[grain]
    return {"period": period, "period_origin": origin}


def grouping(metric: Metric, query: MetricQuery) -> str | None:
    """What the metric's rows are grouped by: ``--by``, else the metric's default; None for
    a metric with an ungrouped query of its own when neither --by nor --unit is given."""
    if metric.grouped_body is not None and query.by is None and not query.unit:
        return None
    by = query.by or (metric.groupings[0] if metric.groupings else "org")
    if metric.groupings and by not in metric.groupings:
        raise MetricError(
            f"metric {metric.name} cannot be grouped --by {by}; choose from {', '.join(metric.groupings)}"
        )
    return by


def metric_sql(metric: Metric, query: MetricQuery) -> str:
    """The SQL the query runs: the metric's grouped query when it is grouped and has one."""
    grouped = metric.grouped_body is not None and grouping(metric, query) is not None
    return metric.compiled_sql(grouped=grouped)


def run_metric(warehouse: Warehouse, metric: Metric, query: MetricQuery) -> MetricResult:
    """Run a metric against the warehouse; values about too few people come back hidden."""
    check_repositories(warehouse, query.repositories)
    check_unit(warehouse, query.unit)
    check_unit(warehouse, query.owner_unit)
    ends = default_end(warehouse, query)
    query = ending_on(metric, query, ends)
    window = resolve_window(metric, query)
    params = parameters_for(metric, query, window)
    sql = written_sql(metric, query, params)  # the text --explain prints, run as is
    cursor = execute(warehouse, metric, sql)
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    if not rows and "at" in metric.parameters:
        explain_no_organization(warehouse, query)
    private = metric.private_columns(params.get("by"))
    rows = mask_small_groups(columns, rows, metric.group_size, private, query.min_group_size)
    return MetricResult(metric, window, columns, rows, sql, params, ends)


def execute(warehouse: Warehouse, metric: Metric, sql: str) -> Any:
    """Run a metric's SQL; what its own checks raise (SQL ``error('...')``, such as a missing
    exchange rate) comes back as a MetricError naming the metric, not a DuckDB traceback."""
    try:
        return warehouse.con.execute(sql)
    except duckdb.InvalidInputException as exc:
        text = str(exc).removeprefix("Invalid Input Error: ")
        raise MetricError(f"metric {metric.name}: {text}") from None


def explain_no_organization(warehouse: Warehouse, query: MetricQuery) -> None:
    """An organization metric came back empty: say why when the reason is the data's span."""
    first = warehouse.value("SELECT min(as_of) FROM people_snapshots")
    if first is None:
        raise MetricError("no people imported yet: run quarterdeck ingest org PEOPLE.csv (see docs/org-inputs.md)")
    last_asked = query.at or query.until or today()
    if last_asked < first:
        raise MetricError(
            f"no organization data on {last_asked}: the first people export imported is of {first} "
            f"(nothing is known about who was employed before it)"
        )


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
    return "\n".join(header) + "\n" + written_sql(metric, query, params) + ";\n"


def written_sql(metric: Metric, query: MetricQuery, params: dict[str, Any]) -> str:
    """The metric's SQL with the values of its parameters written in as literals: what
    run_metric runs and --explain prints, so the explained SQL is the SQL that ran."""
    return _PARAMETER.sub(lambda m: sql_literal(params[m[1]]) if m[1] in params else m[0], metric_sql(metric, query))


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
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        first = value[0] if value else ""
        whole = isinstance(first, int) and not isinstance(first, bool)
        kind = "DATE[]" if isinstance(first, date) else "BIGINT[]" if whole else "VARCHAR[]"
        kind = "DOUBLE[]" if isinstance(first, float) else kind
        return "CAST([" + ", ".join(sql_literal(v) for v in value) + f"] AS {kind})"
    return "'" + str(value).replace("'", "''") + "'"
