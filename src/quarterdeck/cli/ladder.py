"""``quarterdeck ladder``: the career ladder, promotion readiness and promotions."""

from __future__ import annotations

from pathlib import Path

import click

from quarterdeck.cli.context import db_options, format_option, open_for_reading, resolve_settings
from quarterdeck.cli.output import emit
from quarterdeck.config.ladder_file import default_ladder
from quarterdeck.metrics.ladder import SHOW_COLUMNS, current_ladder, expectation_rows, ladder_summary


@click.group()
def ladder() -> None:
    """The career ladder, who is ready for the next level, and promotions (docs/ladders.md).

    \b
    Examples:
      quarterdeck ladder show
      quarterdeck ladder show --format json
      quarterdeck ingest ladder ladder.yaml
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
