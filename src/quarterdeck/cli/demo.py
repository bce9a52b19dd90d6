"""``quarterdeck demo``: a simulated organization, ingested through every input, summarized.

The demo feeds Quarterdeck only what a real organization would: it simulates one into a
folder (``quarterdeck simulate``), then imports the git repositories, the HR and org
files, the skills inventory, the succession file, the money files (budget, software
contracts, company figures), the delivery files, and the GitHub and Jira answers (served on 127.0.0.1 and read by
the real connectors, as ``quarterdeck ingest all`` does), and prints the organization and
its headline metrics.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import open_for_reading, open_for_writing
from quarterdeck.cli.demo_progress import DemoProgress
from quarterdeck.cli.demo_reports import record_demo_targets, report_lines, write_demo_pack
from quarterdeck.cli.ingest import run_git_ingest
from quarterdeck.cli.output import emit
from quarterdeck.cli.serve import run_server
from quarterdeck.config import Settings
from quarterdeck.core.clock import now, today
from quarterdeck.core.errors import ConfigError, QuarterdeckError
from quarterdeck.ingest.accounts import refresh_accounts
from quarterdeck.ingest.delivery import load_files
from quarterdeck.ingest.org_ingest import OrgImportOptions, ingest_org
from quarterdeck.metrics import MetricQuery, get_metric, run_metric
from quarterdeck.metrics.query import settings_query_fields
from quarterdeck.metrics.stack import summary as stack_summary
from quarterdeck.pipeline.run import run_source
from quarterdeck.simulation.org_params import OrgParams
from quarterdeck.simulation.replay_server import serve_api
from quarterdeck.simulation.run import SimulationParams, simulate
from quarterdeck.sources.project_file import load_sources, one_off
from quarterdeck.sources.reading import SyncContext
from quarterdeck.web.auth import TokenSet

DELIVERY_FILES = (
    ("deployments", "deployments.csv"),
    ("incidents", "incidents.ndjson"),
    ("ci_runs", "ci-runs.csv"),
    ("availability", "availability.csv"),
    ("slos", "slos.yaml"),
)
#: The money files under ``finance/``, each read by its source (``quarterdeck ingest KIND FILE``).
MONEY_FILES = (
    ("budget", "budget.csv"),
    ("tools", "tools.csv"),
    ("finance", "company.csv"),
    ("cloud-costs", "focus.csv"),
    ("cloud-allocation", "cloud-allocation.yaml"),
    ("investment-rules", "investment-rules.yaml"),
    ("capitalization-policy", "capitalization-policy.yaml"),
)
#: The example plan files under ``plans/`` (no ingest: commands read them), what to try on
#: each and its dashboard page.
PLAN_FILES = (
    ("plan.yaml", "quarterdeck plan run", "/plans/plan/"),
    ("build-vs-buy.yaml", "quarterdeck decide build-vs-buy", "/plans/decision/"),
    ("proposed-org.yaml", "quarterdeck org what-if", "/plans/org/"),
)
#: The organization on the last day simulated (at), then the headline metrics over the last
#: whole quarter simulated.
ORGANIZATION = ("headcount", "attrition_rate")
HEADLINES = (
    "deployment_frequency",
    "lead_time_for_changes",
    "change_failure_rate",
    "time_to_restore",
    "pr_pickup_time",
    "pr_review_time",
    "engineer_hours_waiting",
    "issue_blocked_time",
)


@dataclass(frozen=True)
class DemoRun:
    folder: Path
    db: Path
    first_day: date
    last_day: date


@click.command("demo")
@click.option(
    "--engineers", type=click.IntRange(5, 2000), default=60, show_default=True, help="Engineers at the start."
)
@click.option("--years", type=click.IntRange(1, 5), default=2, show_default=True, help="Years simulated.")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives the same organization.")
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the simulated files and the warehouse in this folder (default: a temporary folder, removed).",
)
@click.option("--no-serve", is_flag=True, help="Print the summary and stop, without serving the dashboard.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port of the dashboard on 127.0.0.1 (0: any free port).")  # fmt: skip
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table for people, json or csv for scripts.")  # fmt: skip
def demo(
    engineers: int, years: int, seed: int, keep: Path | None, no_serve: bool, port: int, output_format: str
) -> None:
    """See Quarterdeck work on a simulated organization, with one command.

    Simulates an organization (about 60 engineers over 2 years by default), ingests it
    through every input real users give Quarterdeck (git, HR and org files, the skills
    inventory, budget, software contracts, company figures, the cloud bill and its allocation
    rules, delivery files, and GitHub and Jira answers served on 127.0.0.1), prints the organization and
    its headline metrics over the last quarter simulated (delivery, waiting, blocked work),
    records the example targets' months and writes that quarter's board pack (board/: HTML,
    PowerPoint, and PDF when Chromium is installed), then serves the dashboard on
    http://127.0.0.1:8000/ until Ctrl-C (--no-serve: stop after the summary). Without
    --keep the files are removed when it stops.

    \b
    Examples:
      quarterdeck demo                                  # then open http://127.0.0.1:8000/
      quarterdeck demo --no-serve --format json
      quarterdeck demo --engineers 200 --years 3 --keep demo-org
      quarterdeck metrics show pr_pickup_time --by team --db demo-org/demo.duckdb
    """
    if keep is not None and keep.exists() and any(keep.iterdir()):
        raise ConfigError(f"{keep}: the folder is not empty; give a new or empty folder to --keep")
    with tempfile.TemporaryDirectory(prefix="quarterdeck-demo-") as scratch:
        folder = keep or Path(scratch)
        with DemoProgress() as progress:
            run = build_demo(folder, engineers, years, seed, progress)
            progress.step("recording each target's months")
            goals = record_demo_targets(folder / "sim", Settings(db=run.db))
            progress.step("writing the board pack")
            quarter, written, no_pdf = write_demo_pack(folder / "board", Settings(db=run.db), goals)
            progress.step("headline metrics")
            rows = headline_rows(run)
            progress.finish()
        emit(["metric", "value", "unit", "window", "meaning"], rows, output_format,
             title=f"Simulated organization ({engineers} engineers, {years} years, seed {seed})")  # fmt: skip
        err = progress.console
        err.print(f"demo: done in {progress.seconds():.1f} s" + (f"; files and warehouse in {folder}" if keep else ""))
        plans = folder / "sim" / "plans"
        for line in plan_lines(plans, run.db, None if no_serve else port):
            err.print(line)
        for line in report_lines(run.db, quarter, written, no_pdf, None if no_serve else port):
            err.print(line)
        err.print(stack_line(run.db))
        if not no_serve:
            err.print(f"demo: the dashboard is at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
            settings = Settings(db=run.db, plans_folder=plans.resolve())
            run_server("127.0.0.1", port, settings, TokenSet([]), goals, announce=False)


def stack_line(db: Path) -> str:
    """The tech stack the inventory read at HEAD, in one line (docs/tech-stack.md)."""
    settings = Settings(db=db)
    with open_for_reading(settings) as warehouse:
        found = stack_summary(warehouse, MetricQuery(**settings_query_fields(settings)))
    return f"demo: stack: {found.line()} (quarterdeck stack languages --db {db})"


def plan_lines(plans: Path, db: Path, port: int | None) -> list[str]:
    """Where the example plan files are, the command to try on each and its dashboard page."""
    lines = []
    for name, command, page in PLAN_FILES:
        lines.append(f"demo: plans/{name}: {command} {plans / name} --db {db}")
        if port is not None:
            lines.append(f"demo: plans/{name} on the dashboard: http://127.0.0.1:{port}{page}{name}")
    return lines


def build_demo(folder: Path, engineers: int, years: int, seed: int, progress: DemoProgress) -> DemoRun:
    """Simulate into ``folder/sim`` and ingest everything into ``folder/demo.duckdb``."""
    sim, db = folder / "sim", folder / "demo.duckdb"
    org = OrgParams(engineers=engineers, years=years)
    tell = progress.step
    if not progress.live:
        tell("simulating the organization")

    def written(done: int, total: int) -> None:
        if done == 1:
            progress.count("repositories written", total)
        progress.advance()

    # zlib level 0: the demo's repositories are written and read once, about a fifth faster
    simulate(
        SimulationParams(org=org),
        seed,
        sim,
        workers=os.cpu_count() or 1,
        compression=0,
        step=tell if progress.live else None,
        written=written,
    )
    settings = Settings(db=db)
    tell("ingesting git")
    run_git_ingest(settings, [sim / "git"], show_progress=False, progress=progress)
    tell("ingesting the organization")
    org_files = sorted((sim / "hr").glob("*.csv")) + sorted((sim / "org").glob("*.yaml"))
    with open_for_writing(settings) as warehouse:
        ingest_org(warehouse, org_files, OrgImportOptions(as_of=None, today=today()), now())
        _ingest_file(warehouse, settings, "skills", sim / "people" / "skills.csv")  # the skills inventory
        _ingest_file(warehouse, settings, "succession", sim / "people" / "succession.csv")  # the talent review
        _ingest_file(warehouse, settings, "assessments", sim / "people" / "assessments.csv")  # built-in ladder
        _ingest_file(warehouse, settings, "positions", sim / "people" / "requisitions.csv")  # filled: no forecast
        _ingest_file(warehouse, settings, "hiring", sim / "people" / "hiring.csv")  # the hiring pipeline
        _ingest_surveys(warehouse, settings, sim / "survey")
        tell("ingesting the money files (budget, software, company, cloud bill, investment rules)")
        _ingest_money(warehouse, settings, sim / "finance")
        tell("ingesting deployments, incidents, CI runs, availability and SLOs")
        for kind, name in DELIVERY_FILES:
            load_files(warehouse, settings, kind, [sim / "delivery" / name])
        tell("reading GitHub and Jira through their connectors")
        _sync_apis(warehouse, settings, sim / "api", progress)
    manifest = json.loads((sim / "simulation.json").read_text(encoding="utf-8"))
    last_day = date.fromisoformat(manifest["end"]) - timedelta(days=1)  # the world's end is exclusive
    return DemoRun(folder, db, date.fromisoformat(manifest["start"]), last_day)


def _ingest_money(warehouse: Any, settings: Settings, finance: Path) -> None:
    """Each money file through its source, as ``quarterdeck ingest budget|tools|finance FILE``
    reads it; a file refused stops the demo, naming it."""
    for kind, name in MONEY_FILES:
        _ingest_file(warehouse, settings, kind, finance / name)


def _ingest_file(warehouse: Any, settings: Settings, kind: str, path: Path) -> None:
    """One file through its source, as ``quarterdeck ingest KIND FILE`` reads it; a file
    refused stops the demo, naming it."""
    results = run_source(warehouse, settings, one_off(kind, (str(path),)), SyncContext(None, now()))
    failed = next((r.error for r in results if r.error is not None), None)
    if failed is not None:
        raise QuarterdeckError(f"demo: {kind} {path}: {failed}")


def _ingest_surveys(warehouse: Any, settings: Settings, folder: Path) -> None:
    """Each quarter's survey export with its mapping, as ``quarterdeck ingest survey FILE
    --mapping FILE-mapping.yaml`` reads it."""
    for export in sorted(folder.glob("devex-*.csv")):
        mapping = export.with_name(f"{export.stem}-mapping.yaml")
        config = one_off("survey", (str(export),), mapping=str(mapping))
        results = run_source(warehouse, settings, config, SyncContext(None, now()))
        failed = next((r.error for r in results if r.error is not None), None)
        if failed is not None:
            raise QuarterdeckError(f"demo: survey {export}: {failed}")


def _sync_apis(warehouse: Any, settings: Settings, api: Path, progress: DemoProgress) -> None:
    """Read the simulated GitHub and Jira through their connectors, from a replay server in a
    process of its own (as a real API is elsewhere: the connectors have this one to themselves)."""
    with serve_api(api, process=True) as server:
        project = server.write_project_file(api.parent / "quarterdeck.yaml")
        sources = load_sources(project)
        progress.count("sources read", len(sources))
        for source in sources:
            run_source(warehouse, settings, source, SyncContext(None, now(), on_progress=progress.items_read))
            progress.advance()
    refresh_accounts(warehouse, settings, now())


def headline_rows(run: DemoRun) -> list[list[Any]]:
    """Each headline metric for the organization over the last whole quarter simulated."""
    first, last = last_whole_quarter(run.last_day)
    settings = Settings(db=run.db)
    fields = settings_query_fields(settings)
    asked = [(n, MetricQuery(at=run.last_day, by="org", **fields), f"on {run.last_day}") for n in ORGANIZATION]
    asked += [
        (n, MetricQuery(since=first, until=last, grain="quarter", by="org", **fields), f"{first} .. {last}")
        for n in HEADLINES
    ]
    with open_for_reading(settings) as warehouse:
        return [_headline(warehouse, name, query, window) for name, query, window in asked]


def last_whole_quarter(day: date) -> tuple[date, date]:
    """The first and last day of the last calendar quarter that ends on or before ``day``."""
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    following = date(start.year + (start.month == 10), (start.month + 3 - 1) % 12 + 1, 1)
    if following - timedelta(days=1) != day:
        following, start = start, date(start.year - (start.month == 1), (start.month - 3 - 1) % 12 + 1, 1)
    return start, following - timedelta(days=1)


def _headline(warehouse: Any, name: str, query: MetricQuery, window: str) -> list[Any]:
    metric = get_metric(name)
    try:
        result = run_metric(warehouse, metric, query)
    except QuarterdeckError as exc:
        return [name, None, metric.unit, window, f"not computed: {exc}"]
    values = [dict(zip(result.columns, r, strict=True)) for r in result.rows]
    return [name, values[0].get(metric.value) if values else None, metric.unit, window, metric.title]
