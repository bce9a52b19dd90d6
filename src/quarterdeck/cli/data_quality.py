"""``quarterdeck data-quality``: what the delivery data left out, and why."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from quarterdeck.cli.context import db_options, format_option, open_for_reading, resolve_settings
from quarterdeck.cli.output import emit
from quarterdeck.metrics.data_quality import COLUMNS, check_names, run_checks


@click.command("data-quality")
@click.option("--check", "only", type=click.Choice(check_names()), help="Only this check, every row of it.")
@click.option("--limit", type=int, default=10, show_default=True, help="Rows shown per check (table format).")
@db_options
@format_option
def data_quality(only: str | None, limit: int, db: Path | None, config_file: Path | None, output_format: str) -> None:
    """List what was rejected or left out of the delivery metrics, and why.

    Rejected rows (with file and line), duplicates, changes with negative lead times,
    deployments whose commit git does not know, incidents with no service or with no
    deployment to attribute them to. JSON and CSV give every row.

    \b
    Examples:
      quarterdeck data-quality
      quarterdeck data-quality --check unlinked_incidents
      quarterdeck data-quality --format json > data-quality.json
    """
    settings = resolve_settings(db, config_file)
    with open_for_reading(settings) as warehouse:
        results = run_checks(warehouse, only)
    rows = [(check.name, *row) for check, found in results for row in found]
    if output_format != "table":
        emit(list(COLUMNS), rows, output_format)
        return
    console = Console()
    summary = [(check.name, len(found), check.meaning) for check, found in results]
    emit(["check", "rows", "what it means"], summary, "table", title="Delivery data quality", console=console)
    shown = limit if only is None else None
    for check, found in results:
        if found:
            emit(list(COLUMNS[1:]), found[:shown], "table", title=check.name, console=console)
            if shown is not None and len(found) > shown:
                console.print(f"... {len(found) - shown:,} more: quarterdeck data-quality --check {check.name}")
