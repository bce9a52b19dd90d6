"""``quarterdeck targets``: record each target's monthly status, and show where targets stand."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, format_option, open_for_reading, open_for_writing, resolve_settings
from quarterdeck.cli.output import emit
from quarterdeck.config import Settings
from quarterdeck.config.targets import (
    Targets,
    default_targets_path,
    load_targets,
    load_targets_if_present,
    normal_scope,
)
from quarterdeck.core.clock import now, today
from quarterdeck.core.errors import ConfigError
from quarterdeck.metrics import MetricQuery, catalog
from quarterdeck.metrics.data_end import data_end
from quarterdeck.metrics.query import settings_query_fields
from quarterdeck.metrics.target_history import DataMonths, data_months, record_targets
from quarterdeck.metrics.target_status import TargetStatus, period_name, target_statuses
from quarterdeck.store.target_history import read_history

SPARKS = "▁▂▃▄▅▆▇█"


def targets_option(fn: Any) -> Any:
    return click.option(
        "--targets", "targets_file", type=click.Path(dir_okay=False, path_type=Path),
        help="The targets file (default: targets.yaml beside the warehouse; docs/targets.md).",
    )(fn)  # fmt: skip


@click.group()
def targets() -> None:
    """Targets and accountability: each target's red/amber/green history per month.

    \b
    Examples:
      quarterdeck targets record                 record every whole month not yet recorded
      quarterdeck targets record --recompute     recompute recorded months with today's file
      quarterdeck targets status                 each target, its owner, status, trend, misses
      quarterdeck targets status --format json
      quarterdeck targets history deployment_frequency --scope team:payments

    A month is recorded once, with the target in force then; a month the data has not
    finished (past the end of the data) is never recorded (docs/targets.md).
    """


def read_targets(path: Path | None, db: Path) -> Targets:
    """The targets file named, or the one beside the warehouse; none at all is an error."""
    known = {m.name: m.good_direction for m in catalog().values()}
    found = load_targets(path, known) if path else load_targets_if_present(default_targets_path(db), known)
    if not len(found):
        where = path or default_targets_path(db)
        raise ConfigError(f"{where}: no targets (write a 'targets:' list there or name a file with --targets)")
    return found


def months_of(warehouse: Any, settings: Settings) -> DataMonths:
    return data_months(warehouse, data_end(warehouse, today(), settings.timezone), settings.timezone)


def _month(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise click.BadParameter(
            f"expected a month as YYYY-MM, such as 2025-01, not {text!r}", param_hint="--since"
        ) from None


def data_note(months: DataMonths) -> str:
    """Where the data ends, and which month is still open."""
    note = f"The data ends on {months.ends.isoformat()}"
    if months.last is None:
        return note + "; no month is whole yet, so none is recorded."
    note += f"; the last whole month is {months.last:%Y-%m}"
    if months.open_month is not None:
        note += f" ({months.open_month:%Y-%m} is still open and is not recorded)"
    return note + "."


@targets.command()
@targets_option
@click.option("--recompute", is_flag=True, help="Recompute months already recorded, with the targets file of today.")
@click.option("--since", metavar="YYYY-MM", help="The first month to record (default: the first month of the data).")
@db_options
def record(
    targets_file: Path | None, recompute: bool, since: str | None, db: Path | None, config_file: Path | None
) -> None:
    """Record each target's value and status for every whole month of the data.

    Each month's value is the dashboard tile's (and 'metrics show's) for that month and
    scope; its status is judged against the target in force now. A month recorded before
    keeps what was recorded, unless --recompute.

    \b
    Examples:
      quarterdeck targets record
      quarterdeck targets record --targets q3-targets.yaml --recompute
      quarterdeck targets record --since 2025-01
    """
    first = _month(since) if since else None
    settings = resolve_settings(db, config_file)
    chosen = read_targets(targets_file, settings.db)
    base = MetricQuery(**settings_query_fields(settings))
    with open_for_writing(settings) as warehouse:
        months = months_of(warehouse, settings)
        if first is not None:
            months = DataMonths(first, months.last if months.last and months.last >= first else None, months.ends)

        def progress(target: Any) -> None:
            click.echo(f"recording {target.metric} at {target.scope} ...", err=True)

        done = record_targets(warehouse, chosen, months, base, now(), recompute, progress)
    click.echo(
        f"{len(chosen)} targets, {len(months.starts())} whole months each: {done.added} months recorded, "
        f"{done.kept} kept as recorded before, {done.replaced} recomputed."
    )
    click.echo(data_note(months))


@targets.command()
@targets_option
@format_option
@db_options
def status(targets_file: Path | None, output_format: str, db: Path | None, config_file: Path | None) -> None:
    """Each target: owner, latest value and status, trend, periods missed.

    A period is a month, or a quarter for a target reviewed quarterly (judged by the
    quarter's last month). Missed means amber or red; 'in a row' counts back from the latest
    period, 'of last 12' over the last 12 periods. Run 'quarterdeck targets record' first.

    \b
    Examples:
      quarterdeck targets status
      quarterdeck targets status --format json
    """
    settings = resolve_settings(db, config_file)
    chosen = read_targets(targets_file, settings.db)
    with open_for_reading(settings) as warehouse:
        months = months_of(warehouse, settings)
        statuses = target_statuses(warehouse, chosen)
    if output_format == "json":
        payload = {**data_json(months), "targets": [s.as_json() for s in statuses]}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    columns = ["metric", "scope", "owner", "review", "period", "value", "target", "status", "trend",
               "missed in a row", "missed of last 12"]  # fmt: skip
    rows = [_status_row(s, output_format) for s in statuses]
    note = data_note(months)
    if not any(s.periods for s in statuses):
        note += " Nothing recorded yet: run 'quarterdeck targets record'."
    emit(columns, rows, output_format, note=note if output_format == "table" else None)


def data_json(months: DataMonths) -> dict[str, Any]:
    return {
        "data_end": months.ends.isoformat(),
        "last_whole_month": f"{months.last:%Y-%m}" if months.last else None,
        "open_month": f"{months.open_month:%Y-%m}" if months.open_month else None,
    }


def _status_row(status: TargetStatus, output_format: str) -> list[Any]:
    latest = status.latest
    values = [p.value for p in status.trend]
    trend = sparkline(values) if output_format == "table" else " ".join("" if v is None else repr(v) for v in values)
    return [
        status.target.metric, status.target.scope, status.target.owner, status.target.review,
        period_name(latest) if latest else None, _shown(status.value, latest.hidden if latest else None),
        latest.target if latest else status.target.target, status.status, trend,
        status.missed_in_a_row, status.missed_of_last_12,
    ]  # fmt: skip


def _shown(value: float | None, hidden: str | None) -> Any:
    return hidden if hidden is not None else value


def sparkline(values: list[float | None]) -> str:
    """The values as block characters, lowest to highest (a space where there is none)."""
    numbers = [v for v in values if v is not None]
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    span = high - low
    return "".join(
        " " if v is None else SPARKS[0 if span == 0 else round((v - low) / span * (len(SPARKS) - 1))] for v in values
    )


@targets.command()
@click.argument("metric")
@click.option("--scope", default="org", show_default=True, help="org, unit:<id>, team:<id> or service:<id>.")
@format_option
@db_options
def history(metric: str, scope: str, output_format: str, db: Path | None, config_file: Path | None) -> None:
    """One target's recorded months: value, the target and amber edge in force, status.

    \b
    Examples:
      quarterdeck targets history deployment_frequency
      quarterdeck targets history change_failure_rate --scope team:payments --format csv
    """
    normal = normal_scope(scope)
    if normal is None:
        raise click.BadParameter(
            f"must be org, unit:<id>, team:<id> or service:<id>, not {scope!r}", param_hint="--scope"
        )
    settings = resolve_settings(db, config_file)
    with open_for_reading(settings) as warehouse:
        months = months_of(warehouse, settings)
        records = read_history(warehouse, metric, normal)
    columns = ["month", "value", "target", "amber_edge", "direction", "status", "owner", "review", "recorded_at"]
    rows = [
        [f"{r.month:%Y-%m}", _shown(r.value, r.hidden), r.target, r.amber_edge, r.direction, r.status, r.owner,
         r.review, r.recorded_at]
        for r in records
    ]  # fmt: skip
    if output_format == "json":
        payload = {**data_json(months), "metric": metric, "scope": normal, "months": _records_json(columns, rows)}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    note = data_note(months)
    if not records:
        note += f" No month of {metric} at {normal} is recorded ('quarterdeck targets record' records them)."
    emit(columns, rows, output_format, note=note if output_format == "table" else None)


def _records_json(columns: list[str], rows: list[list[Any]]) -> list[dict[str, Any]]:
    return [
        {c: (v.isoformat() if hasattr(v, "isoformat") else v) for c, v in zip(columns, row, strict=True)}
        for row in rows
    ]
