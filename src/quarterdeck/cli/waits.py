"""``quarterdeck waits``: where each team's engineers wait, and how that changed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, format_option, open_for_reading, resolve_settings
from quarterdeck.cli.output import emit
from quarterdeck.core.clock import today
from quarterdeck.metrics import MetricQuery, get_metric, run_metric
from quarterdeck.metrics.query import settings_query_fields

KINDS = {
    "pickup": "waiting for a first review",
    "review": "in review, until approved or merged",
    "ci": "waiting on CI (queue and run)",
    "deploy": "merged, waiting to be deployed",
    "blocked": "issues in a blocked or waiting status",
}
COLUMNS = ("team", "waiting_on", "hours", "previous_hours", "change", "share", "author_weeks", "hours_per_author_week")


@click.command()
@click.option("--team", "teams", multiple=True, metavar="TEAM", help="Only this team (repeatable; a team id).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day of the period (default: 28 days ago).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day of the period (default: today).")
@db_options
@format_option
def waits(
    teams: tuple[str, ...], since: Any, until: Any, db: Path | None, config_file: Path | None, output_format: str
) -> None:
    """Where engineers wait: per team, the working hours its authors spent waiting on
    review pickup, review, CI, deployment and blocked issues, biggest first, against the
    period of the same length just before.

    Hours are engineer_hours_waiting (docs/wait-ledger.md): waits cut to working hours
    (settings waits.working_hours and waits.working_days), an author's overlapping waits
    counted once in the total (the 'all' row) and once per kind in its row, so the kinds may
    add up to more than the total. hours_per_author_week divides the total by the weeks
    in which each author waited at all (author_weeks). A team with, in some week, fewer
    authors than privacy.min_group_size shows 'hidden' instead of hours.

    \b
    Examples:
      quarterdeck waits
      quarterdeck waits --team payments --since 2026-09-01 --until 2026-09-30
      quarterdeck waits --format json
    """
    settings = resolve_settings(db, config_file)
    last = until.date() if until else today()
    first = since.date() if since else last - timedelta(days=27)
    if first > last:
        raise click.UsageError("--since must not be after --until")
    length = (last - first).days + 1
    metric = get_metric("engineer_hours_waiting")
    with open_for_reading(settings) as warehouse:
        now = _totals(warehouse, metric, settings, first, last)
        before = _totals(warehouse, metric, settings, first - timedelta(days=length), first - timedelta(days=1))
    rows = ledger_rows(now, before, teams)
    emit(COLUMNS, rows, output_format, title=f"Waiting, {first} .. {last} against the {length} days before")


def _totals(warehouse: Any, metric: Any, settings: Any, first: date, last: date) -> dict[str, dict[str, Any]]:
    """Per team: authors and hours of each kind over the period (weeks summed)."""
    query = MetricQuery(since=first, until=last, grain="week", by="team", **settings_query_fields(settings))
    result = run_metric(warehouse, metric, query)
    totals: dict[str, dict[str, Any]] = {}
    for row in result.rows:
        record = dict(zip(result.columns, row, strict=True))
        team = totals.setdefault(record["group"], {"author_weeks": 0, "hidden": False})
        for kind in ("all", *KINDS):
            value = record["hours_waiting" if kind == "all" else f"{kind}_hours"]
            if isinstance(value, str):  # hidden: too few people
                team["hidden"] = True
            else:
                team[kind] = team.get(kind, 0.0) + (value or 0.0)
        team["author_weeks"] += record["authors_waiting"] or 0
    return totals


def ledger_rows(
    now: dict[str, dict[str, Any]], before: dict[str, dict[str, Any]], only: tuple[str, ...]
) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for team in sorted(now):
        if only and team not in only:
            continue
        current, previous = now[team], before.get(team, {})
        if current["hidden"]:
            rows.append([team, "all", "hidden", None, None, None, current["author_weeks"], None])
            continue
        total = current.get("all", 0.0)
        kinds = sorted(KINDS, key=lambda k: -current.get(k, 0.0))
        for kind in ("all", *kinds):
            hours = current.get(kind, 0.0)
            if kind != "all" and hours == 0 and not previous.get(kind):
                continue
            earlier = None if previous.get("hidden") else previous.get(kind, 0.0)
            rows.append(
                [
                    team,
                    "all" if kind == "all" else KINDS[kind],
                    round(hours, 2),
                    None if earlier is None else round(earlier, 2),
                    _change(hours, earlier),
                    round(hours / total, 3) if total and kind != "all" else None,
                    current["author_weeks"] if kind == "all" else None,
                    round(total / current["author_weeks"], 2) if kind == "all" and current["author_weeks"] else None,
                ]
            )
    return rows


def _change(hours: float, earlier: float | None) -> str | None:
    if earlier is None:
        return None
    if earlier == 0:
        return "new" if hours else "0%"
    return f"{(hours - earlier) / earlier:+.0%}"
