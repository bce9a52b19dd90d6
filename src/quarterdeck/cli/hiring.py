"""``quarterdeck hiring``: where hiring is stuck (docs/hiring.md): time to fill, time in
stage, stage conversion, offer acceptance, the pipeline per open position and the open
requisitions, from an applicant tracking export (quarterdeck ingest hiring FILE)."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

import click

from quarterdeck.cli.context import db_options, open_for_reading, resolve_settings
from quarterdeck.cli.output import emit, plain
from quarterdeck.core.clock import today
from quarterdeck.core.errors import MetricError
from quarterdeck.metrics.data_end import data_end
from quarterdeck.metrics.hiring import GROUPINGS, SECTIONS, Section, has_hiring, hiring_report

DAY = click.DateTime(formats=["%Y-%m-%d"])


@click.command()
@click.option("--since", type=DAY, metavar="YYYY-MM-DD", help="First day counted (default: 365 days before --until).")
@click.option(
    "--until", type=DAY, metavar="YYYY-MM-DD", help="Last day counted, and the pipeline's day (default: today)."
)
@click.option("--by", type=click.Choice(GROUPINGS), default="org", show_default=True,
              help="Group by the requisition's team or level (its position's), or the candidate's source.")  # fmt: skip
@click.option("--show", "shown", type=click.Choice(("all", *SECTIONS)), default="all", show_default=True,
              help="One table only (needed with --format csv).")  # fmt: skip
@click.option("--format", "output_format", type=click.Choice(("table", "json", "csv")), default="table",
              show_default=True, help="table for people, json or csv for scripts.")  # fmt: skip
@db_options
def hiring(
    since: date | None,
    until: date | None,
    by: str,
    shown: str,
    output_format: str,
    db: Path | None,
    config_file: Path | None,
) -> None:
    """Where hiring is stuck: time to fill, time in stage, conversion, offer acceptance.

    From the applicant tracking export (quarterdeck ingest hiring FILE) and the positions
    (quarterdeck ingest positions FILE: each requisition's team, level and opening day).
    Each table's definition is in docs/hiring.md; the pipeline and the open requisitions
    are on --until.

    \b
    Examples:
      quarterdeck hiring
      quarterdeck hiring --since 2026-01-01 --until 2026-06-30 --by team
      quarterdeck hiring --by source --show conversion --format csv
      quarterdeck hiring --format json
    """
    settings = resolve_settings(db, config_file)
    if output_format == "csv" and shown == "all":
        raise click.UsageError("--format csv prints one table: choose it with --show (such as --show time_to_fill)")
    only = SECTIONS if shown == "all" else (shown,)
    with open_for_reading(settings) as warehouse:
        if not has_hiring(warehouse):
            raise click.ClickException(
                "no hiring data stored yet: quarterdeck ingest hiring FILE (docs/sources/hiring.md)"
            )
        last = until.date() if until else data_end(warehouse, today(), settings.timezone)
        first = since.date() if since else last - timedelta(days=365)
        try:
            sections = hiring_report(warehouse, first, last, by, only)
        except MetricError as exc:
            raise click.ClickException(str(exc)) from None
    if output_format == "json":
        payload = {"since": first, "until": last, "by": by} | {s.name: s.rows for s in sections}
        sys.stdout.write(json.dumps(plain(payload), indent=2, ensure_ascii=False) + "\n")
        return
    for item in sections:
        emit(item.columns, [list(row.values()) for row in item.rows], output_format, title=title(item, first, last))


def title(item: Section, first: date, last: date) -> str:
    span = f"on {last}" if item.name in ("pipeline", "requisitions") else f"{first} .. {last}"
    return f"{item.title}, {span}"
