"""``quarterdeck ingest``: bring an organization's data into the warehouse."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from quarterdeck.cli.context import db_options, format_option, open_for_writing, resolve_settings
from quarterdeck.cli.delivery import delivery_command
from quarterdeck.cli.github import ingest_github
from quarterdeck.cli.gitlab import ingest_gitlab
from quarterdeck.cli.incident_sources import ingest_opsgenie, ingest_pagerduty
from quarterdeck.cli.ingest_all import ingest_all
from quarterdeck.cli.jenkins import ingest_jenkins
from quarterdeck.cli.jira import ingest_jira
from quarterdeck.cli.output import emit
from quarterdeck.cli.progress import TerminalProgress
from quarterdeck.cli.prometheus import ingest_prometheus
from quarterdeck.config import Settings
from quarterdeck.connectors.git.discovery import discover
from quarterdeck.connectors.git.refs import normalize_ref_patterns
from quarterdeck.connectors.org.files import KINDS
from quarterdeck.connectors.org.people_csv import ColumnMapping, load_mapping
from quarterdeck.core.clock import now, today
from quarterdeck.core.errors import QuarterdeckError, RepositoryError
from quarterdeck.ingest.git_ingest import GitIngestion
from quarterdeck.ingest.git_report import GitIngestOptions, IngestReport
from quarterdeck.ingest.org_ingest import OrgImportOptions, OrgImportReport, ingest_org, org_totals
from quarterdeck.ingest.progress import NoProgress
from quarterdeck.store.warehouse import remove_warehouse


@click.group()
def ingest() -> None:
    """Bring data into the warehouse (incremental: only what is new is read)."""


@ingest.command("git")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--refs",
    "refs",
    multiple=True,
    metavar="PATTERN",
    help="Refs whose history to ingest (repeatable, or comma-separated): a prefix such as "
    "refs/heads, or a git for-each-ref glob; 'refs/pull/*' means every ref under refs/pull. "
    "Default: refs/heads, refs/tags and refs/remotes. Example: --refs refs/heads --refs refs/pull.",
)
@click.option("--jobs", type=int, help="Git processes to run at once (default: number of cores).")
@db_options
@format_option
def ingest_git(
    paths: tuple[Path, ...],
    refs: tuple[str, ...],
    jobs: int | None,
    db: Path | None,
    config_file: Path | None,
    output_format: str,
) -> None:
    """Ingest the history of git repositories.

    Each PATH is a repository (bare or with a work tree) or a folder searched
    recursively for repositories. Every commit reachable from the chosen refs is
    stored with its per-file line counts (renames detected); a second run reads only
    new commits, and an unchanged repository costs milliseconds.

    \b
    Examples:
      quarterdeck ingest git .
      quarterdeck ingest git ~/src/our-org --jobs 8
      quarterdeck ingest git mirror.git --refs refs/heads --refs refs/tags
    """
    patterns = tuple(p.strip() for value in refs for p in value.split(",") if p.strip())
    settings = resolve_settings(db, config_file, jobs=jobs, git_refs=patterns or None)
    report = run_git_ingest(settings, list(paths), show_progress=output_format == "table")
    print_ingest_report(report, output_format)
    if report.failures:
        sys.exit(1)


def run_git_ingest(settings: Settings, paths: list[Path], *, show_progress: bool) -> IngestReport:
    """Find repositories, then ingest them; nothing is written if none can be used."""
    if shutil.which("git") is None:
        raise QuarterdeckError("git is not installed or not on PATH; Quarterdeck reads history with git")
    found = discover(paths)
    if not found.repositories:
        path, why = found.problems[0] if found.problems else (" ".join(map(str, paths)), "nothing to ingest")
        raise RepositoryError(f"{path}: {why}")
    options = GitIngestOptions(
        refs=normalize_ref_patterns(settings.git_refs),
        jobs=settings.jobs,
        batch_commits=settings.batch_commits,
        bot_patterns=settings.all_bot_patterns(),
        link_by_name=settings.link_identities_by_name,
        production_environments=settings.production_environments,
        incident_window_days=settings.incident_window_days,
    )
    existed = settings.db.exists()
    with open_for_writing(settings) as warehouse:
        if show_progress and sys.stderr.isatty():
            with TerminalProgress() as progress:
                report = GitIngestion(warehouse, options, progress).run(found)
        else:
            report = GitIngestion(warehouse, options, NoProgress()).run(found)
    if report.status == "failed" and not existed:
        remove_warehouse(settings.db)  # this run created it and stored nothing
    return report


def print_ingest_report(report: IngestReport, output_format: str) -> None:
    columns = [
        "repository",
        "status",
        "new_commits",
        "new_file_changes",
        "now_unreachable",
        "missing_blobs",
        "seconds",
        "path",
        "message",
    ]
    rows = [
        [
            o.name,
            o.status,
            o.commits_added,
            o.files_added,
            o.commits_unreachable,
            o.missing_blobs,
            round(o.seconds, 2),
            o.path,
            o.message or None,
        ]
        for o in report.outcomes
    ]
    rows += [[Path(p).name, "failed", 0, 0, 0, 0, 0.0, p, why] for p, why in report.problems]
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    for failure in report.failures:
        err.print(f"[red]error:[/red] {failure}")
    if output_format != "table":
        meta = {"run_id": report.run_id, "status": report.status, "seconds": round(report.seconds, 3)}
        emit(columns, rows, output_format, meta=meta if output_format == "json" else None)
        return
    console = Console()
    shown = [r[:7] for r in rows]
    emit(columns[:7], shown, "table", title="Git ingest", console=console)
    for outcome in report.outcomes:
        if outcome.missing_blobs:
            err.print(
                f"[yellow]note:[/yellow] {outcome.name}: partial clone, {outcome.missing_blobs:,} objects "
                f"absent; {outcome.commits_with_missing_blobs:,} new commits stored without line counts "
                "for the files whose blobs are absent (see table git_missing_blobs)"
            )
    counts = {s: sum(1 for o in report.outcomes if o.status == s) for s in ("ingested", "unchanged")}
    failed = len(report.failures)
    rate = report.commits_added / report.seconds if report.seconds > 0 else 0.0
    noun = "repository" if len(rows) == 1 else "repositories"
    console.print(
        f"{len(rows)} {noun}: {counts['ingested']} ingested, {counts['unchanged']} unchanged, "
        f"{failed} failed; {report.commits_added:,} new commits in {report.seconds:.1f} s "
        f"({rate:,.0f} commits/s)"
    )


@ingest.command("org")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Date the files describe (default: a snapshot_date column, a date in the file name, the earliest "
    "date of the import's other files, or today).",
)
@click.option("--kind", type=click.Choice(KINDS), help="What the files are (default: recognised from their content).")
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Column mapping for a people export whose columns have other names (YAML or TOML).",
)
@click.option("--repo", "repository", metavar="NAME", help="Repository a CODEOWNERS file belongs to.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid rows and report the others (default: any problem imports nothing).",
)
@db_options
@format_option
def ingest_org_command(
    paths: tuple[Path, ...],
    as_of: Any,
    kind: str | None,
    mapping: Path | None,
    repository: str | None,
    skip_invalid: bool,
    db: Path | None,
    config_file: Path | None,
    output_format: str,
) -> None:
    """Ingest the organization: people, teams, services, ownership.

    Each FILE is a people export from the HR system (CSV), an org file (YAML with
    teams:), a Backstage catalog (catalog-info.yaml), a CODEOWNERS file (with --repo)
    or an identity mapping (CSV with identity,person_id). Each import is a dated
    snapshot; from all snapshots Quarterdeck keeps who was on which team, under which
    manager, at which level, on every date. See docs/org-inputs.md.

    \b
    Examples:
      quarterdeck ingest org hr/people-2026-*.csv org.yaml catalog-info.yaml
      quarterdeck ingest org export.csv --mapping workday.yaml --as-of 2026-10-31
      quarterdeck ingest org identities.csv
    """
    settings = resolve_settings(db, config_file)
    options = OrgImportOptions(
        as_of=as_of.date() if as_of else None,
        today=today(),
        kind=kind,
        mapping=load_mapping(mapping) if mapping else ColumnMapping(),
        skip_invalid=skip_invalid,
        repository=repository,
        link_by_name=settings.link_identities_by_name,
    )
    existed = settings.db.exists()
    try:
        with open_for_writing(settings) as warehouse:
            report = ingest_org(warehouse, list(paths), options, now())
            totals = org_totals(warehouse)
    except QuarterdeckError:
        if not existed:
            remove_warehouse(settings.db)  # this run created it and stored nothing
        raise
    print_org_report(report, totals, output_format)


def print_org_report(report: OrgImportReport, totals: dict[str, Any], output_format: str) -> None:
    columns = ["file", "kind", "first_date", "last_date", "snapshots", "rows", "skipped"]
    rows = [[f.path, f.kind, min(f.dates), max(f.dates), len(f.dates), f.rows, f.skipped] for f in report.files]
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    for problem in report.skipped:
        err.print(f"[yellow]skipped:[/yellow] {problem}")
    for warning in report.warnings:
        err.print(f"[yellow]note:[/yellow] {warning}")
    if output_format != "table":
        meta = {"seconds": round(report.seconds, 3), **totals}
        emit(columns, rows, output_format, meta=meta if output_format == "json" else None)
        return
    console = Console()
    emit(columns, rows, "table", title="Organization import", console=console)
    console.print(
        f"{totals['people']:,} people on {totals['latest']} in {totals['teams']:,} teams; "
        f"{totals['services']:,} services; {totals['linked_identities']:,} of {totals['identities']:,} git identities "
        f"linked to people ({report.seconds:.1f} s)"
    )


for _kind in ("deployments", "incidents", "ci_runs", "availability", "slos"):
    ingest.add_command(delivery_command(_kind))
for _connector in (
    ingest_all,
    ingest_github,
    ingest_gitlab,
    ingest_jira,
    ingest_jenkins,
    ingest_pagerduty,
    ingest_opsgenie,
    ingest_prometheus,
):
    ingest.add_command(_connector)
