"""``quarterdeck ingest deployments|incidents|ci-runs|availability|slos``: delivery files."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from rich.console import Console

from quarterdeck.cli.context import db_options, format_option, open_for_writing, resolve_settings
from quarterdeck.cli.output import emit
from quarterdeck.core.errors import ConfigError
from quarterdeck.ingest.delivery import LoadReport, load_files
from quarterdeck.sources.delivery.files import FORMATS

#: How many problems are printed; all of them are kept for `quarterdeck data-quality`.
SHOWN_PROBLEMS = 20
#: Exit status of an import that loaded its valid rows but rejected others.
EXIT_REJECTED = 3

_HELP = {
    "deployments": (
        "Columns: id, service, environment, commit_sha, started_at, finished_at, result "
        "(+ repository, shipped_commits).",
        "quarterdeck ingest deployments deploys.csv",
    ),
    "incidents": (
        "Columns: id, service, severity, created_at, acknowledged_at, resolved_at "
        "(+ deployment_id, root_cause_sha, title).",
        "quarterdeck ingest incidents pagerduty-export.ndjson",
    ),
    "ci_runs": (
        "Columns: id, repository, workflow, commit_sha, queued_at, started_at, finished_at, result.",
        "quarterdeck ingest ci-runs actions-runs.csv",
    ),
    "availability": (
        "Columns: service, window_start, window_end, good, total (event counts), or service, start, end, status "
        "(probe intervals, up or down).",
        "quarterdeck ingest availability uptime-2026.csv",
    ),
    "slos": (
        "OpenSLO YAML (kind: SLO), or a CSV with id, service, target, time_window (+ name, description, "
        "budgeting_method, rolling).",
        "quarterdeck ingest slos slos/*.yaml",
    ),
}


def delivery_command(kind: str) -> click.Command:
    """The ingest command for one kind of delivery file (``ci_runs`` or its command's name ``ci-runs``)."""
    kind = kind.replace("-", "_")
    columns, example = _HELP[kind]

    @click.command(kind.replace("_", "-"))
    @click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option(
        "--timezone",
        metavar="ZONE",
        help="Zone of timestamps written without a UTC offset (IANA name, e.g. Europe/Berlin); "
        "without it such timestamps are rejected.",
    )
    @click.option("--input-format", type=click.Choice(FORMATS), help="File format (default: from the file name).")
    @click.option("--strict", is_flag=True, help="Load nothing if any row has a problem (exit status 1).")
    @db_options
    @format_option
    def command(
        paths: tuple[Path, ...],
        timezone: str | None,
        input_format: str | None,
        strict: bool,
        db: Path | None,
        config_file: Path | None,
        output_format: str,
    ) -> None:
        _check_zone(timezone)
        settings = resolve_settings(db, config_file)
        started = time.monotonic()
        err = Console(stderr=True)
        with open_for_writing(settings) as warehouse, err.status("importing") as status:
            report = load_files(
                warehouse,
                settings,
                kind,
                list(paths),
                input_format=input_format,
                timezone=timezone,
                strict=strict,
                step=lambda message: status.update(message) if err.is_terminal else None,
            )
        print_load_report(report, output_format, time.monotonic() - started)
        if report.problems:
            raise SystemExit(1 if strict or report.unreadable else EXIT_REJECTED)

    command.help = (
        f"Import {kind.replace('_', ' ')} from CSV, JSON or NDJSON files.\n\n{columns} Timestamps are ISO 8601 "
        "with a UTC offset. Valid rows are loaded and each bad row is reported as file:line: field: what was "
        "expected (exit status 3); re-importing a file changes nothing, a row with the same id and new values "
        f"replaces the old one. See docs/delivery-inputs.md.\n\n\b\nExamples:\n  {example}\n"
        f"  {example} --format json"
    )
    return command


def _check_zone(zone: str | None) -> None:
    if zone is None:
        return
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"--timezone: unknown time zone {zone!r} (expected an IANA name such as Europe/Berlin)"
        ) from None


def print_load_report(report: LoadReport, output_format: str, seconds: float) -> None:
    counts = {
        "kind": report.kind,
        "files": report.files,
        "rows_read": report.rows_read,
        "loaded": report.loaded,
        "replaced": report.replaced,
        "unchanged": report.unchanged,
        "duplicates": report.duplicates,
        "rejected": report.rejected,
        "seconds": round(seconds, 3),
    }
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    for problem in report.problems[:SHOWN_PROBLEMS]:
        err.print(f"[red]rejected:[/red] {problem}", markup=True)
    if len(report.problems) > SHOWN_PROBLEMS:
        err.print(f"... and {len(report.problems) - SHOWN_PROBLEMS:,} more problems: quarterdeck data-quality")
    for note in report.notes:
        err.print(f"[yellow]note:[/yellow] {note}")
    if output_format == "json":
        payload = {**counts, "problems": [_problem(p) for p in report.problems], "notes": report.notes}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    if output_format == "csv":
        emit(list(counts), [list(counts.values())], "csv")
        return
    Console(highlight=False).print(
        f"{report.kind.replace('_', ' ')}: {report.rows_read:,} rows read from {report.files} file(s): "
        f"{report.loaded:,} new, {report.replaced:,} replaced, {report.unchanged:,} unchanged, "
        f"{report.duplicates:,} duplicates, {report.rejected:,} rejected ({seconds:.1f} s)"
    )


def _problem(problem: Any) -> dict[str, Any]:
    return {
        "source": problem.source,
        "line": problem.line,
        "record_id": problem.record_id,
        "field": problem.field or None,
        "message": problem.message,
    }
