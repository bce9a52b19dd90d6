"""``quarterdeck run``: the main job: ingest, then print the metric summary."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quarterdeck.cli.context import db_options, format_option, open_for_reading, resolve_settings
from quarterdeck.cli.ingest import print_ingest_report, run_git_ingest
from quarterdeck.cli.metrics import print_summary
from quarterdeck.metrics import MetricQuery
from quarterdeck.metrics.summary import summarize


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--jobs", type=int, help="Git processes to run at once (default: number of cores).")
@db_options
@format_option
def run(
    paths: tuple[Path, ...], jobs: int | None, db: Path | None, config_file: Path | None, output_format: str
) -> None:
    """Ingest git repositories, then print the metric summary.

    PATHS are repositories or folders holding them; without any, the repository in
    the current folder is used. Running it again only reads what is new.
    """
    settings = resolve_settings(db, config_file, jobs=jobs)
    report = run_git_ingest(settings, list(paths) or [Path.cwd()], show_progress=output_format == "table")
    if output_format == "table":
        print_ingest_report(report, output_format)
    with open_for_reading(settings) as warehouse:
        summary = summarize(warehouse, MetricQuery(timezone=settings.timezone))
    print_summary(summary, output_format)
    if report.failures:
        sys.exit(1)
