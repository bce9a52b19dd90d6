"""``quarterdeck ladder``: the career ladder, promotion readiness and promotions."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, format_option, open_for_reading, resolve_settings
from quarterdeck.cli.output import emit
from quarterdeck.config.ladder_file import default_ladder
from quarterdeck.metrics.ladder import SHOW_COLUMNS, current_ladder, expectation_rows, ladder_summary
from quarterdeck.metrics.org_design import import_dates
from quarterdeck.metrics.promotions import CALIBRATION_COLUMNS, PROMOTION_COLUMNS, calibration, promotion_rates
from quarterdeck.metrics.readiness import COLUMNS, readiness


@click.group()
def ladder() -> None:
    """The career ladder, promotion readiness and promotions (docs/ladders.md).

    \b
    Examples:
      quarterdeck ladder show
      quarterdeck ingest ladder ladder.yaml
      quarterdeck ingest assessments assessments.csv
      quarterdeck ladder readiness --format csv
      quarterdeck ladder promotions --view calibration
    """


@ladder.command()
@format_option
@db_options
def show(output_format: str, db: Path | None, config_file: Path | None) -> None:
    """The ladder: each level of each track, what it expects of each competency (in words) and
    the rating that meets it. The imported ladder (quarterdeck ingest ladder FILE), else the
    built-in engineering ladder (also shown when there is no warehouse yet).

    \b
    Examples:
      quarterdeck ladder show
      quarterdeck ladder show --format csv > ladder.csv
    """
    settings = resolve_settings(db, config_file)
    if Path(settings.db).exists():
        with open_for_reading(settings) as warehouse:
            found = current_ladder(warehouse)
    else:  # no warehouse yet: the ladder Quarterdeck would use
        found = default_ladder()
    summary = ladder_summary(found)
    scale = ", ".join(f"{k} {v}" for k, v in found.scale.items())
    mapped = ", ".join(f"{k} -> {v}" for k, v in found.hr_levels.items()) or "each the ladder level of the same id"
    note = f"Scale: {scale}. HR levels: {mapped}."
    emit(SHOW_COLUMNS, expectation_rows(found), output_format, title=found.name, meta=summary, note=note)


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: expected a date as YYYY-MM-DD", param_hint=name) from None


def _context(db: Path | None, config_file: Path | None, at: str | None) -> tuple[Any, Any, date]:
    settings = resolve_settings(db, config_file)
    warehouse = open_for_reading(settings)
    day = _day(at, "--at") or import_dates(warehouse)[1]
    return settings, warehouse, day


@ladder.command(name="readiness")
@click.option("--at", metavar="DATE", help="The day (default: the latest organization import).")
@click.option("--team", metavar="TEAM", help="Only the people of this team (its id).")
@format_option
@db_options
def readiness_command(at: str | None, team: str | None, output_format: str, db: Path | None,
                      config_file: Path | None) -> None:  # fmt: skip
    """Who is ready for the next level: per person employed on the day, their ladder level, the
    unbroken run at it (time in level, from the HR history), the share of the next level's
    competencies their latest ratings meet, and the promotion pipeline: ready now, within 6
    or 12 months, later, unknown. The months are an ESTIMATE: the largest rating gap left,
    divided by the person's pace (rating points gained per month over their assessments).

    \b
    Examples:
      quarterdeck ladder readiness
      quarterdeck ladder readiness --at 2026-06-30 --team payments --format csv
    """
    _, warehouse, day = _context(db, config_file, at)
    with warehouse:
        rows = [r.row() for r in readiness(warehouse, current_ladder(warehouse), day) if team in (None, r.team_id)]
    note = ("Pipeline months are an estimate from each person's pace of rating gains (docs/ladders.md); "
            "per-person data: share it with the person's leaders only.")  # fmt: skip
    emit(COLUMNS, rows, output_format, title=f"Promotion readiness on {day}", meta={"at": day}, note=note)


@ladder.command()
@click.option("--at", metavar="DATE", help="The day (default: the latest organization import).")
@click.option("--since", metavar="DATE", help="The window's first day (default: one year before --at).")
@click.option(
    "--view", type=click.Choice(("rates", "calibration")), default="rates", show_default=True,
    help="rates: promotion rate and time to promotion; calibration: ratings per team and level on --at.",
)  # fmt: skip
@format_option
@db_options
def promotions(at: str | None, since: str | None, view: str, output_format: str, db: Path | None,
               config_file: Path | None) -> None:  # fmt: skip
    """Promotions by level and team from the HR history: the people at each level in the
    window, the person-years spent there, promotions out of it (a move up the same track),
    the rate per person-year and the median months at the level before promotion. With
    --view calibration: the mean of the latest ratings per team and level against the
    organization's at the same level (the drift). Groups under the minimum group size
    ([privacy] min_group_size) are hidden.

    \b
    Examples:
      quarterdeck ladder promotions
      quarterdeck ladder promotions --since 2025-01-01 --at 2025-12-31 --format json
      quarterdeck ladder promotions --view calibration
    """
    settings, warehouse, day = _context(db, config_file, at)
    start = _day(since, "--since") or (day - timedelta(days=365))
    least = settings.min_group_size
    with warehouse:
        ladder_now = current_ladder(warehouse)
        if view == "calibration":
            rows, columns = calibration(warehouse, ladder_now, day, least), CALIBRATION_COLUMNS
        else:
            rows = promotion_rates(warehouse, ladder_now, start, day + timedelta(days=1), least)
            columns = PROMOTION_COLUMNS
    note = f"Empty rows: groups of fewer than {least} people are hidden ([privacy] min_group_size)."
    meta = {"at": day, "since": start, "min_group_size": least, "view": view}
    emit(columns, rows, output_format, title=f"Promotions ({view}) to {day}", meta=meta, note=note)
