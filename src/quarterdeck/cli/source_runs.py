"""Running API syncs from the command line: one source (``ingest github --repo ...``) or all
of a project file (``ingest all``), with progress on a terminal, a summary row per resource,
and the records that could not be stored listed on stderr (exit status 3 when there are any,
as for files). A resource that failed is named on stderr with its error (exit status 1); the
other resources of its scope were read and stored."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import click
from rich.console import Console
from rich.status import Status

from quarterdeck.cli.context import open_for_writing
from quarterdeck.cli.output import emit
from quarterdeck.config import Settings
from quarterdeck.config.sources import SourceConfig
from quarterdeck.core.clock import now
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.ingest.accounts import refresh_accounts
from quarterdeck.pipeline.run import run_source
from quarterdeck.sources.reading import SyncContext, SyncResult

PROBLEMS_SHOWN = 20


def since_option(fn: Any) -> Any:
    return click.option(
        "--since",
        type=click.DateTime(["%Y-%m-%d"]),
        help="First run only: read what changed on or after this day (default: everything; "
        "later runs go on from where the last one stopped).",
    )(fn)


def run_sources(
    settings: Settings, sources: list[SourceConfig], since: date | None, output_format: str, title: str
) -> None:
    """Sync each source in turn. With several sources, one that fails is reported and the
    others still run (exit status 1 at the end)."""
    err = Console(stderr=True, highlight=False)
    for source in sources:
        if source.token_env and source.token() is None:
            err.print(f"note: {source.token_env} is not set: reading {source.name} without a token")
    results: list[SyncResult] = []
    failures: list[str] = []
    status = Status("starting", console=err) if err.is_terminal else None
    with open_for_writing(settings) as warehouse:
        if status is not None:
            status.start()
        try:
            for source in sources:
                context = _context(settings, source, since, err, status)
                try:
                    results += run_source(warehouse, settings, source, context)
                except QuarterdeckError as exc:
                    if len(sources) == 1:
                        raise
                    failures.append(f"{source.name}: {exc}")
                    err.print(f"error: {exc}", markup=False, soft_wrap=True)
            if results:
                refresh_accounts(warehouse, settings, now())
        finally:
            if status is not None:
                status.stop()
    emit(SyncResult.COLUMNS, [r.row() for r in results], output_format, title=title)
    _report_problems(err, results)
    failures += _report_failures(err, results)
    if failures:
        raise click.exceptions.Exit(1)
    if any(r.problems for r in results):
        raise click.exceptions.Exit(3)


def _context(
    settings: Settings, source: SourceConfig, since: date | None, err: Console, status: Status | None
) -> SyncContext:
    first_day = since or source.since
    start = datetime.combine(first_day, time(), tzinfo=ZoneInfo(settings.timezone)) if first_day else None

    def on_wait(_: float, why: str) -> None:
        err.print(f"note: {why}")

    def on_progress(what: str, count: int) -> None:
        if status is not None:
            status.update(f"{what}: {count:,} read")

    return SyncContext(start, now(), on_wait, on_progress)


def _report_failures(err: Console, results: list[SyncResult]) -> list[str]:
    """Print each resource that failed (those read together, with one error, on one line)."""
    failed: dict[tuple[str, str, str], list[str]] = {}
    for r in results:
        if r.error is not None:
            failed.setdefault((r.source, r.scope, r.error), []).append(r.resource)
    lines = [f"{source} {scope} {', '.join(names)}: {error}" for (source, scope, error), names in failed.items()]
    for line in lines:
        err.print(f"error: {line}", markup=False, soft_wrap=True)  # one line, however long
    if lines:
        err.print(
            "the resources named stored nothing this run and their cursors stay where they were; "
            "the others were stored; run again to read the failed ones",
            markup=False,
        )
    return lines


def _report_problems(err: Console, results: list[SyncResult]) -> None:
    problems = [p for r in results for p in r.problems]
    for problem in problems[:PROBLEMS_SHOWN]:
        err.print(f"skipped: {problem}", markup=False)
    if len(problems) > PROBLEMS_SHOWN:
        err.print(f"... and {len(problems) - PROBLEMS_SHOWN} more (quarterdeck data-quality --check source_records)")
    if problems:
        err.print(
            f"{len(problems)} record(s) could not be stored; the rest was, and the next run reads those again",
            markup=False,
        )
