"""``quarterdeck metrics``: list, show and explain metrics; print the summary."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from quarterdeck.cli.context import db_options, format_option, open_for_reading, resolve_settings
from quarterdeck.cli.output import emit
from quarterdeck.core.formats import column_unit
from quarterdeck.metrics import MetricQuery, catalog, explain, get_metric, run_metric
from quarterdeck.metrics.catalog import GROUPINGS
from quarterdeck.metrics.query import DORA_REPORTS, GRAINS, default_end, ending_on, grain_of, settings_query_fields
from quarterdeck.metrics.summary import Summary, summarize


@click.group()
def metrics() -> None:
    """Engineering health metrics, each with a written definition and its SQL."""


@metrics.command("list")
@format_option
def metrics_list(output_format: str) -> None:
    """List every metric with its unit, grain and which direction is good."""
    columns = [
        "name",
        "title",
        "unit",
        "grain",
        "good_direction",
        "options",
        "default_window_days",
        "description",
    ]
    rows = [
        [
            m.name,
            m.title,
            m.unit,
            m.grain,
            m.good_direction,
            _flags(m.parameters),
            m.default_window_days,
            m.description,
        ]
        for m in catalog().values()
    ]
    if output_format == "table":
        emit(columns[:6], [r[:6] for r in rows], "table", title="Metrics")
        Console().print("Definitions: quarterdeck metrics show NAME --explain, or docs/metrics.md")
        return
    emit(columns, rows, output_format)


def query_options(fn: Any) -> Any:
    """Window, scope and bot options shared by metric commands."""
    options = [
        click.option(
            "--repo",
            "repositories",
            multiple=True,
            metavar="NAME",
            help="Only this repository (repeatable). Default: all.",
        ),
        click.option(
            "--since",
            type=click.DateTime(["%Y-%m-%d"]),
            help="First day of the window, inclusive (YYYY-MM-DD).",
        ),
        click.option(
            "--until",
            type=click.DateTime(["%Y-%m-%d"]),
            help="Last day of the window, inclusive (default: the last day of the data, which the output "
            "names: 'data ends YYYY-MM-DD').",
        ),
        click.option("--include-bots", is_flag=True, help="Count bots' work too (excluded by default)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@metrics.command("show")
@click.argument("name")
@query_options
@click.option(
    "--grain",
    type=click.Choice(GRAINS),
    help="Period for metrics reported per period (default: week; money metrics: month); 'window': one row per "
    "group for the whole window, each statistic over all of its events (the median of every change, not a "
    "median of monthly medians).",
)
@click.option("--limit", type=int, default=20, show_default=True, help="Rows for ranked metrics.")
@click.option(
    "--at",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Organization metrics: the date to measure on (default: the last day of the data; --since/--until give a "
    "monthly series).",
)
@click.option(
    "--by",
    type=click.Choice(GROUPINGS),
    help="Group by org, team, unit (a team and everything under it), level, location, role or employment_type "
    "(organization metrics); commits, churn and active_contributors take org, team or unit: each commit counts "
    "for its author's team at its author time; delivery, reliability and wait metrics take org, team (the "
    "service's owner, or the author's team, on the day) and unit, and service, repository, and workflow for CI. "
    "'metrics list' shows what each metric takes.",
)
@click.option(
    "--unit",
    metavar="TEAM",
    help="Only this unit of the org tree (id, name or alias) and what is under it on each day: its people, the "
    "commits of its teams, the deployments, incidents and CI runs of the services they own, their waits.",
)
@click.option(
    "--report",
    type=click.Choice(DORA_REPORTS),
    default="2023",
    show_default=True,
    help="dora_performance: the DORA report whose performance bands to apply.",
)
@click.option(
    "--currency",
    metavar="CODE",
    help="Money metrics: the currency to report in (ISO code such as EUR; default: the setting "
    "money.reporting_currency, USD unless set). Other currencies are converted with the imported rates "
    "(quarterdeck ingest rates).",
)
@click.option(
    "--explain",
    "show_sql",
    is_flag=True,
    help="Print the SQL that computes the metric (values filled in) instead of running it.",
)
@db_options
@format_option
def metrics_show(
    name: str,
    repositories: tuple[str, ...],
    since: Any,
    until: Any,
    include_bots: bool,
    grain: str | None,
    limit: int,
    at: Any,
    by: str | None,
    unit: str | None,
    report: str,
    currency: str | None,
    show_sql: bool,
    db: Path | None,
    config_file: Path | None,
    output_format: str,
) -> None:
    """Compute one metric.

    \b
    Examples:
      quarterdeck metrics show churn --repo api --since 2026-01-01
      quarterdeck metrics show active_contributors --grain month --format csv
      quarterdeck metrics show bus_factor --explain
      quarterdeck metrics show deployment_frequency --by team --grain month
      quarterdeck metrics show dora_performance --since 2026-07-01 --until 2026-09-30 --report 2021

    \b
    One row per group for a whole window (--grain window):
      median lead time last quarter:
        quarterdeck metrics show lead_time_for_changes --since 2026-07-01 --until 2026-09-30 --grain window
      deployments since June 1:
        quarterdeck metrics show deployment_frequency --since 2026-06-01 --grain window

    Without --until the window ends on the last day of the data (the latest event in the
    warehouse, not today), and the output says so: "data ends 2026-09-30".
    """
    settings = resolve_settings(db, config_file)
    metric = get_metric(name)
    reject_unused_options(metric.name, metric.parameters)
    query = MetricQuery(
        repositories=repositories,
        since=_day(since),
        until=_day(until),
        grain=grain,
        include_bots=include_bots,
        limit=limit,
        at=_day(at),
        by=by,
        unit=unit,
        report=report,
        **{**settings_query_fields(settings), **currency_field(currency)},
    )
    if show_sql:
        click.echo(explain(metric, _ending(settings, metric, query)), nl=False)
        return
    with open_for_reading(settings) as warehouse:
        result = run_metric(warehouse, metric, query)
    window = result.window
    meta = {
        "metric": {
            k: getattr(metric, k) for k in ("name", "title", "description", "unit", "grain", "good_direction", "value")
        },
        "window": {
            "since": window.since,
            "until": window.until,
            "timezone": window.timezone,
            "data_ends": result.data_ends,  # set when no --until (or --at) was given
        },
        "parameters": {
            "repositories": list(repositories),
            "include_bots": include_bots,
            "grain": grain_of(metric, query),
            "limit": limit,
            "by": result.parameters.get("by"),
            "unit": unit,
            "dates": result.parameters.get("dates"),
        },
        "min_group_size": settings.min_group_size,
    }
    if "at" in metric.parameters:
        dates = result.parameters.get("dates", [])
        span = f"on {dates[0]}" if len(dates) == 1 else f"monthly, {dates[0]} .. {dates[-1]}"
    elif "since" in metric.parameters:
        whole = ", the whole window" if grain_of(metric, query) == "window" and "grain" in metric.parameters else ""
        span = f"{window.since} .. {window.until}{whole}"
    else:
        span = f"as of {window.until}"
    title = f"{metric.title} ({metric.unit}), {span}"
    units = [column_unit(c, metric.unit, metric.value) for c in result.columns]
    note = data_ends_note(result.data_ends)
    emit(result.columns, result.rows, output_format, title=title, meta=meta, units=units, note=note)


def data_ends_note(ends: date | None) -> str | None:
    """The line a table ends with when its window ends where the data does."""
    if ends is None:
        return None
    return f"data ends {ends} (no --until given: the window ends on the latest day of the data; see docs/metrics.md)"


def _ending(settings: Any, metric: Any, query: MetricQuery) -> MetricQuery:
    """``query`` ending where the data does when no end is given, as running it would."""
    if query.until is not None or query.at is not None or not settings.db.exists():
        return query
    with open_for_reading(settings) as warehouse:
        ends = default_end(warehouse, query)
    return ending_on(metric, query, ends)


@metrics.command("summary")
@click.option(
    "--until", type=click.DateTime(["%Y-%m-%d"]), help="Day the summary ends (default: the last day of the data)."
)
@click.option("--repo", "repositories", multiple=True, metavar="NAME", help="Only this repository.")
@click.option("--include-bots", is_flag=True, help="Count bots' work too.")
@db_options
@format_option
def metrics_summary(
    until: Any,
    repositories: tuple[str, ...],
    include_bots: bool,
    db: Path | None,
    config_file: Path | None,
    output_format: str,
) -> None:
    """The first screen: recent activity, knowledge risk, code age and hotspots."""
    settings = resolve_settings(db, config_file)
    base = MetricQuery(
        repositories=repositories, until=_day(until), include_bots=include_bots, timezone=settings.timezone
    )
    with open_for_reading(settings) as warehouse:
        summary = summarize(warehouse, base)
    print_summary(summary, output_format)


def print_summary(summary: Summary, output_format: str) -> None:
    columns = ["repository", "commits_12w", "churn_12w", "bus_factor_12m", "lines", "code_older_than_1y"]
    rows = [
        [
            s.repository,
            s.commits,
            s.churn,
            s.bus_factor,
            s.lines,
            None if s.old_code_share is None else round(s.old_code_share, 4),
        ]
        for s in summary.repositories
    ]
    if output_format != "table":
        meta = {
            "until": summary.until,
            "recent_since": summary.recent_since,
            "year_since": summary.year_since,
            "weekly_active_contributors": [
                {"week_start": w, "active_contributors": n} for w, n in summary.weekly_contributors
            ],
            "hotspots": [dict(zip(summary.hotspots.columns, r, strict=True)) for r in summary.hotspots.rows],
        }
        emit(columns, rows, output_format, meta=meta if output_format == "json" else None)
        return
    console = Console()
    weeks = summary.weekly_contributors
    recent = ", ".join(f"{n}" for _, n in weeks[-4:])
    average = sum(n for _, n in weeks) / len(weeks) if weeks else 0
    console.print(
        f"[bold]Quarterdeck summary[/bold] up to {summary.until} (bots excluded; definitions: quarterdeck metrics list)"
    )
    console.print(
        f"Active contributors per week, last 4 weeks: {recent or 'none'} "
        f"(12-week average {average:.1f})  [dim]metric active_contributors[/dim]"
    )
    shown = [[r[0], r[1], r[2], r[3], r[4], None if r[5] is None else f"{r[5]:.0%}"] for r in rows]
    emit(
        columns,
        shown,
        "table",
        title=f"Repositories: last 12 weeks from {summary.recent_since}; "
        f"bus factor over 12 months (metrics commits, churn, bus_factor, code_age)",
        console=console,
    )
    hot = summary.hotspots
    keep = ["rank", "repository", "path", "changes", "lines", "hotspot_score"]
    index = [hot.columns.index(c) for c in keep]
    emit(
        keep,
        [[r[i] for i in index] for r in hot.rows],
        "table",
        title=f"Top hotspots since {summary.year_since} (metric hotspots)",
        console=console,
    )


#: command-line option -> the metric parameter it sets
_OPTION_PARAMETERS = {
    "repositories": ("--repo", "repositories"),
    "since": ("--since", "since"),
    "until": ("--until", "until"),
    "include_bots": ("--include-bots", "include_bots"),
    "grain": ("--grain", "grain"),
    "limit": ("--limit", "limit"),
    "at": ("--at", "at"),
    "by": ("--by", "by"),
    "unit": ("--unit", "unit"),
    "report": ("--report", "report"),
    "currency": ("--currency", "currency"),
}


def _flags(parameters: tuple[str, ...]) -> str:
    return " ".join(_OPTION_PARAMETERS[p][0] for p in parameters if p in _OPTION_PARAMETERS)


def reject_unused_options(metric: str, accepted: tuple[str, ...]) -> None:
    """An option the metric does not use is an error, not something silently ignored."""
    ctx = click.get_current_context()
    for option, (flag, parameter) in _OPTION_PARAMETERS.items():
        given = ctx.get_parameter_source(option) == click.core.ParameterSource.COMMANDLINE
        if given and parameter not in accepted:
            takes = ", ".join(_flags(accepted).split())
            raise click.UsageError(f"metric {metric} does not take {flag} (it takes: {takes})")


def currency_field(code: str | None) -> dict[str, str]:
    """``--currency``, checked: the MetricQuery field it sets (nothing when not given)."""
    if code is None:
        return {}
    if not re.fullmatch(r"[A-Za-z]{3}", code):
        raise click.BadParameter(
            f"expected a 3-letter ISO 4217 code such as EUR, got {code!r}", param_hint="--currency"
        )
    return {"currency": code.upper()}


def _day(value: Any) -> date | None:
    return value.date() if value is not None else None
