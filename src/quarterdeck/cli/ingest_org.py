"""``quarterdeck ingest org``: people, teams, services and ownership from files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console

from quarterdeck.cli.context import db_options, format_option, open_for_writing, resolve_settings
from quarterdeck.cli.output import emit
from quarterdeck.core.clock import now, today
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.ingest.org_ingest import OrgImportOptions, OrgImportReport, ingest_org, org_totals
from quarterdeck.sources.org.files import KINDS
from quarterdeck.sources.org.people_csv import ColumnMapping, load_mapping
from quarterdeck.store.warehouse import remove_warehouse


@click.command("org")
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
