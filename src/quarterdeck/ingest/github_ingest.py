"""Ingesting a GitHub repository's pull requests and reviews, incrementally.

A sync reads the pull requests updated since the repository's cursor (its latest
``updated_at`` stored; ``--since`` for a first run), and the reviews of each, then writes
them and advances the cursor in one transaction. A run that stops half-way (an error, a
rate limit it will not wait out, Ctrl-C) stores nothing and leaves the cursor where it was,
so the next run reads the same pull requests again: nothing lost, nothing twice (rows are
keyed by repository and number, reviews by id). Pull requests updated exactly at the cursor
are read again, since several can share one second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from quarterdeck.config import Settings
from quarterdeck.connectors.github.actions import ci_run_record, workflow_runs
from quarterdeck.connectors.github.pulls import pull_requests, reviews
from quarterdeck.connectors.http.client import HttpClient
from quarterdeck.ingest.delivery import load_records
from quarterdeck.store import Warehouse

SOURCE = "github"


@dataclass
class GithubReport:
    repository: str
    pull_requests: int = 0
    reviews: int = 0
    requests: int = 0
    cursor_before: str | None = None
    cursor_after: str | None = None


def ingest_pull_requests(
    warehouse: Warehouse, client: HttpClient, repository: str, since: datetime | None, loaded_at: datetime
) -> GithubReport:
    """Sync one repository's pull requests and reviews; returns what was read."""
    report = GithubReport(repository)
    report.cursor_before = stored_cursor(warehouse, repository)
    start = datetime.fromisoformat(report.cursor_before) if report.cursor_before else since
    pulls = list(pull_requests(client, repository, start))
    found = [review for pull in pulls for review in reviews(client, repository, pull["number"])]
    report.pull_requests, report.reviews, report.requests = len(pulls), len(found), client.requests
    newest = max((p["updated_at"] for p in pulls), default=None)
    with warehouse.transaction():
        _upsert(warehouse, "pull_requests", pulls, repository, loaded_at, client.http.base_url)
        _upsert(warehouse, "pr_reviews", found, repository, loaded_at, None)
        if newest is not None and (start is None or newest >= start):
            report.cursor_after = newest.isoformat()
            warehouse.con.execute(
                "INSERT OR REPLACE INTO source_cursors VALUES (?, ?, 'pull_requests', ?, ?)",
                [SOURCE, repository, report.cursor_after, loaded_at],
            )
    report.cursor_after = report.cursor_after or report.cursor_before
    return report


def stored_cursor(warehouse: Warehouse, repository: str, resource: str = "pull_requests") -> str | None:
    return warehouse.value(
        "SELECT cursor FROM source_cursors WHERE source = ? AND scope = ? AND resource = ?",
        [SOURCE, repository, resource],
    )


def _upsert(
    warehouse: Warehouse, table: str, records: list[dict[str, Any]], repository: str, loaded_at: datetime, url: Any
) -> None:
    """Insert or replace by primary key; a record given twice is stored once."""
    if not records:
        return
    unique = list({tuple(r[k] for k in ("number", "review_id") if k in r): r for r in records}.values())
    constants: dict[str, Any] = {"source": SOURCE, "repository": repository, "loaded_at": loaded_at}
    if url is not None:
        constants["repository_url"] = f"{str(url).rstrip('/')}/repos/{repository}"
    warehouse.insert_arrow(table, pa.Table.from_pylist(unique), constants, replace=True)


@dataclass
class ActionsReport:
    repository: str
    runs_read: int = 0
    runs_stored: int = 0
    runs_unfinished: int = 0
    cursor_after: str | None = None


def ingest_workflow_runs(
    warehouse: Warehouse,
    settings: Settings,
    client: HttpClient,
    repository: str,
    since: datetime | None,
    loaded_at: datetime,
) -> ActionsReport:
    """Sync a repository's finished Actions runs into the CI runs, through the same loader as
    CI files. The cursor (creation time of the oldest run still unfinished, else of the newest
    run) is advanced only after the runs are committed, so an unfinished run is read again
    until it has a result."""
    report = ActionsReport(repository)
    cursor = stored_cursor(warehouse, repository, "workflow_runs") or (since.date().isoformat() if since else None)
    runs = list(workflow_runs(client, repository, cursor))
    converted = [(run, ci_run_record(repository, run)) for run in runs]
    records = [record for _, record in converted if record is not None]
    report.runs_read, report.runs_unfinished = len(runs), len(runs) - len(records)
    if records:
        loaded = load_records(warehouse, settings, "ci_runs", records, f"github:{repository}")
        report.runs_stored = loaded.loaded + loaded.replaced + loaded.unchanged
    unfinished = [run["created_at"] for run, record in converted if record is None]
    newest = max((run["created_at"] for run in runs), default=None)
    report.cursor_after = min(unfinished) if unfinished else newest
    if report.cursor_after is not None:
        with warehouse.transaction():
            warehouse.con.execute(
                "INSERT OR REPLACE INTO source_cursors VALUES (?, ?, 'workflow_runs', ?, ?)",
                [SOURCE, repository, report.cursor_after, loaded_at],
            )
    return report
