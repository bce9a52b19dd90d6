"""``quarterdeck report diligence``: a due-diligence report on a target company's code."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import click

from quarterdeck.cli.context import open_for_reading, open_for_writing, resolve_settings
from quarterdeck.cli.ingest import run_git_ingest
from quarterdeck.config import Settings
from quarterdeck.core.clock import now, today
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.core.head_scan import HeadScan
from quarterdeck.ingest.head_scan import scan_head
from quarterdeck.ingest.org_ingest import OrgImportOptions, ingest_org
from quarterdeck.metrics import MetricQuery
from quarterdeck.metrics.query import settings_query_fields
from quarterdeck.reports.diligence import build_report
from quarterdeck.reports.diligence_html import render_html
from quarterdeck.reports.diligence_model import DiligenceReport
from quarterdeck.sources.git.discovery import discover
from quarterdeck.sources.org.people_csv import ColumnMapping
from quarterdeck.store.warehouse import remove_warehouse

FORMATS = ("html", "pdf", "json")


def parse_formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(p.strip().lower() for p in value.split(",") if p.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"choose from {', '.join(FORMATS)} (comma-separated), not {value!r}", param_hint="--format"
        )
    return chosen


@click.command("diligence")
@click.option(
    "--repos",
    "repos",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder holding the target's repositories (searched recursively, as ingest git does).",
)
@click.option(
    "--org",
    "org_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The target's HR export and org files (repeatable), as ingest org reads them.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("diligence"),
    show_default=True,
    help="Folder the report is written to.",
)
@click.option(
    "--format",
    "formats",
    default="html,pdf",
    show_default=True,
    help="Comma-separated: html, pdf, json (json is printed to standard output).",
)
@click.option("--title", default="Technical due diligence", show_default=True, help="The report's title.")
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    help="Keep the warehouse in this file (default: a temporary one under --out, removed after).",
)
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Project config file.")
def diligence(
    repos: Path,
    org_files: tuple[Path, ...],
    out: Path,
    formats: str,
    title: str,
    db: Path | None,
    config_file: Path | None,
) -> None:
    """A due-diligence report on a target company's repositories and, when given, its HR export.

    Every repository under --repos is ingested (all its history), the HR export with --org,
    into a warehouse of its own (temporary unless --db), with the tech-stack inventory
    (languages, dependencies, licences); the files at HEAD are searched for secret-like
    patterns, which are COUNTED, never shown.
    The report: size and languages, activity per quarter, contributors and key-person risk,
    code age and hotspots, tests and CI, dependencies and licence, secrets, delivery (when
    deployments are in the warehouse), a graded red-flag list with the rule and numbers behind
    each flag, and a summary. See docs/due-diligence.md.

    \b
    Examples:
      quarterdeck report diligence --repos ~/target/repos --out dd/
      quarterdeck report diligence --repos ~/target/repos --org hr/people.csv --org org.yaml --format html,pdf,json
      quarterdeck report diligence --repos ~/target/repos --format json > findings.json
    """
    chosen = parse_formats(formats)
    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".diligence-", dir=out) as scratch:
        settings = resolve_settings(db or Path(scratch) / "warehouse.duckdb", config_file)
        existed = settings.db.exists()
        try:
            report = gather(settings, repos, org_files, title)
        except (QuarterdeckError, click.ClickException):
            if not existed:
                remove_warehouse(settings.db)  # this run created it: it leaves nothing behind
            raise
    written = write_outputs(report, chosen, out)
    if "json" in chosen:
        sys.stdout.write(json.dumps(report.as_json(), indent=2) + "\n")
    else:
        print_summary(report, written)
    say(f"done in {time.monotonic() - started:.1f} s")


def say(text: str) -> None:
    """Progress on standard error, so standard output stays the report (or its JSON)."""
    click.echo(f"diligence: {text}", err=True)


def gather(settings: Settings, repos: Path, org_files: tuple[Path, ...], title: str) -> DiligenceReport:
    found = discover([repos])
    if not found.repositories:
        raise QuarterdeckError(f"{repos}: no git repository found under it")
    if org_files:  # first: a bad HR file stops the run before anything else is stored
        say(f"reading the HR export ({len(org_files)} files)")
        options = OrgImportOptions(
            as_of=None,
            today=today(),
            kind=None,
            mapping=ColumnMapping(),
            skip_invalid=False,
            repository=None,
            link_by_name=settings.link_identities_by_name,
        )
        with open_for_writing(settings) as warehouse:
            ingest_org(warehouse, list(org_files), options, now())
    say(f"reading the history of {len(found.repositories)} repositories")
    ingested = run_git_ingest(settings, [repos], show_progress=True)  # a live display on a terminal
    if ingested.failures:
        raise QuarterdeckError("could not read every repository: " + "; ".join(map(str, ingested.failures)))
    say("reading the files at HEAD (licence, manifests, secret-like patterns)")
    scans: list[HeadScan] = [scan_head(repo) for repo in found.repositories]
    say("computing the report")
    base = MetricQuery(**settings_query_fields(settings))
    with open_for_reading(settings) as warehouse:
        return build_report(warehouse, scans, base, title)


def write_outputs(report: DiligenceReport, chosen: tuple[str, ...], out: Path) -> list[Path]:
    written: list[Path] = []
    if "html" in chosen or "pdf" in chosen:
        html = out / "diligence.html"
        html.write_text(render_html(report), encoding="utf-8")
        if "html" in chosen:
            written.append(html)
        if "pdf" in chosen:
            from quarterdeck.reports.pdf import html_to_pdf

            say("printing the PDF")
            written.append(html_to_pdf(html, out / "diligence.pdf"))
            if "html" not in chosen:
                html.unlink()
    return written


def print_summary(report: DiligenceReport, written: list[Path]) -> None:
    click.echo(report.title)
    for sentence in report.summary:
        click.echo(f"  {sentence.text}")
    for flag in report.red_flags:
        where = f" [{flag.repository}]" if flag.repository else ""
        click.echo(f"  {flag.grade.upper():8} {flag.title}{where}")
    for note in report.notes:
        click.echo(f"  note: {note}")
    for path in written:
        click.echo(f"wrote {path}")
