"""``quarterdeck money``: the quarter's money summary, one line per money metric."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, open_for_reading, resolve_settings
from quarterdeck.cli.metrics import currency_field
from quarterdeck.core.clock import today
from quarterdeck.core.errors import MetricError
from quarterdeck.core.formats import format_number
from quarterdeck.metrics import MetricQuery
from quarterdeck.metrics.data_end import data_end
from quarterdeck.metrics.money import MoneyLine, Quarter, money_metrics, summary
from quarterdeck.metrics.query import check_unit, settings_query_fields
from quarterdeck.store import Warehouse


@click.command()
@click.option(
    "--quarter",
    metavar="YEARQN",
    help="The quarter, such as 2026Q3 (default: the last whole quarter at the end of the data).",
)
@click.option("--unit", metavar="TEAM", help="Only this unit of the org tree (id, name or alias) and what is under it.")
@click.option(
    "--currency",
    metavar="CODE",
    help="Report in this currency, such as EUR (default: the reporting currency of the settings, [money] "
    "reporting_currency); amounts in other currencies need rates (quarterdeck ingest rates FILE).",
)
@click.option(
    "--format", "output_format", type=click.Choice(("text", "json")), default="text", show_default=True,
    help="text for people, json for scripts.",
)  # fmt: skip
@db_options
def money(
    quarter: str | None,
    unit: str | None,
    currency: str | None,
    output_format: str,
    db: Path | None,
    config_file: Path | None,
) -> None:
    """The quarter's money summary: what engineering costs and what it returns.

    One line per money metric (each metric file whose header says '-- tile: money'): its
    value over the whole quarter (as 'metrics show NAME --since START --until END --grain
    window' gives it) with its unit, and the command that explains it: its definition and
    SQL. A metric without its inputs says which import would give them:

    \b
      quarterdeck ingest budget FILE            budget lines, planned and actual
      quarterdeck ingest tools FILE             software spend and seats
      quarterdeck ingest finance FILE           revenue, ARR, customers, cash
      quarterdeck ingest cloud-costs FILE       cloud bills (FOCUS)
      quarterdeck ingest rates FILE             currency rates
      quarterdeck ingest investment-rules FILE  what counts as new capability, tech debt...

    \b
    Examples:
      quarterdeck money
      quarterdeck money --quarter 2026Q3 --unit platform
      quarterdeck money --currency EUR --format json
      quarterdeck metrics show budget_vs_actual --explain

    The same numbers are on the dashboard's Money area (/money) and in its JSON
    (/api/v1/money), for admins and leaders (docs/dashboard.md).
    """
    settings = resolve_settings(db, config_file)
    try:
        asked = Quarter.parse(quarter) if quarter else None
    except MetricError as exc:
        raise click.BadParameter(str(exc).removeprefix("quarter: "), param_hint="--quarter") from None
    base = MetricQuery(**{**settings_query_fields(settings), **currency_field(currency)})
    with open_for_reading(settings) as warehouse:
        chosen = asked or Quarter.last_full(data_end(warehouse, today(), settings.timezone))
        ident = team_of(warehouse, unit)
        lines = summary(warehouse, base, chosen, "unit" if ident else "org", ident)
    if output_format == "json":
        sys.stdout.write(json.dumps(summary_json(chosen, ident, base.currency, lines), indent=2) + "\n")
        return
    print_summary(chosen, ident, base.currency, lines)


def team_of(warehouse: Warehouse, unit: str | None) -> str | None:
    """The id of the unit given by id, name or alias (an error naming the known ones if none)."""
    if not unit:
        return None
    check_unit(warehouse, unit)
    return warehouse.value("SELECT team_id FROM team_aliases WHERE alias = ?", [unit.lower()])


def summary_json(quarter: Quarter, unit: str | None, currency: str, lines: list[MoneyLine]) -> dict[str, Any]:
    return {
        "quarter": str(quarter),
        "since": quarter.start.isoformat(),
        "until": quarter.end.isoformat(),
        "unit": unit,
        "currency": currency,
        "metrics": [line.as_json() for line in lines],
    }


def print_summary(quarter: Quarter, unit: str | None, currency: str, lines: list[MoneyLine]) -> None:
    """One line per metric (title, value, unit, the command that explains it), and under a
    metric without a value, why and the imports that would give it one; never wrapped mid-way."""
    scope = f"unit {unit}" if unit else "the whole organization"
    click.echo(f"Money, {quarter} ({quarter.start} .. {quarter.end}), {scope}, amounts in {currency}")
    if not money_metrics():
        click.echo("No money metrics in the catalog yet (a metric file whose header says '-- tile: money').")
        return
    shown = [(line.title, format_number(line.value, line.unit) if line.problem is None else "—") for line in lines]
    titles = max((len(t) for t, _ in shown), default=0)
    values = max((len(v) for _, v in shown), default=0)
    units = max((len(line.unit) for line in lines), default=0)
    click.echo("")
    for line, (title, value) in zip(lines, shown, strict=True):
        click.echo(f"  {title:<{titles}}  {value:>{values}}  {line.unit:<{units}}  {line.explain}")
        if line.problem is not None:
            click.echo(f"  {'':<{titles}}  {line.problem}")
        for command in line.inputs:
            click.echo(f"  {'':<{titles}}  import: {command}")
    click.echo("")
    click.echo("Each value is over the whole quarter; its definition and SQL: quarterdeck metrics show NAME --explain.")
