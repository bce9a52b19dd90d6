"""``quarterdeck ingest``: bring an organization's data into the warehouse."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click
from rich.console import Console

from quarterdeck.cli.context import db_options, format_option, open_for_writing, resolve_settings
from quarterdeck.cli.lazy import LazyGroup
from quarterdeck.cli.output import emit
from quarterdeck.cli.progress import TerminalProgress
from quarterdeck.config import Settings
from quarterdeck.core.errors import QuarterdeckError, RepositoryError
from quarterdeck.ingest.git_ingest import GitIngestion
from quarterdeck.ingest.git_report import GitIngestOptions, IngestReport
from quarterdeck.ingest.progress import NoProgress, ProgressSink
from quarterdeck.sources.git.discovery import discover
from quarterdeck.sources.git.refs import normalize_ref_patterns
from quarterdeck.store.warehouse import remove_warehouse


@click.group(cls=LazyGroup)
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
@click.option(
    "--stack/--no-stack",
    default=True,
    help="Read each repository's tech-stack inventory at HEAD: languages, dependencies, frameworks, "
    "CI, containers, licences (default: on; docs/tech-stack.md).",
)
@db_options
@format_option
def ingest_git(
    paths: tuple[Path, ...],
    refs: tuple[str, ...],
    jobs: int | None,
    stack: bool,
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
      quarterdeck ingest git ~/src/our-org --no-stack     (history only, no inventory)
    """
    patterns = tuple(p.strip() for value in refs for p in value.split(",") if p.strip())
    settings = resolve_settings(db, config_file, jobs=jobs, git_refs=patterns or None)
    report = run_git_ingest(settings, list(paths), show_progress=output_format == "table", stack=stack)
    print_ingest_report(report, output_format)
    if report.failures:
        sys.exit(1)


def run_git_ingest(
    settings: Settings,
    paths: list[Path],
    *,
    show_progress: bool,
    progress: ProgressSink | None = None,
    stack: bool = True,
) -> IngestReport:
    """Find repositories, then ingest them; nothing is written if none can be used.
    ``progress``: where to tell how far it is (default: a live display on a terminal)."""
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
        stack_inventory=stack,
    )
    existed = settings.db.exists()
    with open_for_writing(settings) as warehouse:
        if progress is not None:
            report = GitIngestion(warehouse, options, progress).run(found)
        elif show_progress and sys.stderr.isatty():
            with TerminalProgress() as terminal:
                report = GitIngestion(warehouse, options, terminal).run(found)
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


ingest.add_lazy(
    "all",
    "quarterdeck.cli.ingest_all",
    "ingest_all",
    "Sync every source listed in the project file (quarterdeck.yaml).",
)  # type: ignore[attr-defined]


def _add_declared_sources() -> None:
    """A command per declared source (built in, or from an installed package's entry point)."""
    from quarterdeck.sources import declared

    for name, source in declared().sources.items():
        if name in ingest.commands:
            continue  # git: defined above, with what its loading shares with `quarterdeck run`
        ingest.add_lazy(name, "quarterdeck.cli.source_command", "source_command", source.summary, name)  # type: ignore[attr-defined]


_add_declared_sources()
