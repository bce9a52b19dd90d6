"""Ingesting GitHub repositories incrementally: pull requests with their reviews, and
Actions runs as CI runs.

- **Pull requests** are read newest update first, down to the repository's cursor (the
  latest ``updated_at`` stored; ``--since`` for a first run), with the reviews of each; they
  are written, and the cursor advanced, in one transaction. A run that stops half-way (an
  error, a rate limit it will not wait out, Ctrl-C) stores nothing and leaves the cursor
  where it was, so the next run reads the same pull requests again: nothing lost, nothing
  twice (rows are keyed by repository and number, reviews by id). Pull requests updated
  exactly at the cursor are read again, since several can share one second.
- **Workflow runs** are read by creation time from the oldest run still unfinished; the
  cursor is written after the runs are committed.
- **Bad records** (a missing field, an unknown value) are reported with the repository and
  id; the rest is stored, and the cursor stops before the oldest record not stored.
"""

from __future__ import annotations

import re
from datetime import datetime

from quarterdeck.config import Settings
from quarterdeck.config.sources import SourceConfig
from quarterdeck.connectors.github.actions import ci_run_record, workflow_runs
from quarterdeck.connectors.github.pulls import github_client, pull_request_items, pull_request_record, reviews
from quarterdeck.connectors.http.client import HttpClient
from quarterdeck.core.errors import ConfigError
from quarterdeck.ingest.source_sync import (
    RecordProblem,
    SyncContext,
    SyncResult,
    convert,
    cursor_before_problems,
    load_delivery_records,
    store_problems,
    stored_cursor,
    upsert,
    write_cursor,
)
from quarterdeck.store import Warehouse

SOURCE = "github"
REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def sync_github(
    warehouse: Warehouse, settings: Settings, source: SourceConfig, context: SyncContext
) -> list[SyncResult]:
    """Every configured repository of one GitHub connection."""
    for repository in source.scopes:
        if not isinstance(repository, str) or not REPOSITORY.match(repository):
            raise ConfigError(
                f"{source.where()}: a repository must be OWNER/NAME, such as our-org/api, not {repository!r}"
            )
    results: list[SyncResult] = []
    with github_client(source.base_url or "", source.token(), on_wait=context.on_wait) as client:
        for repository in source.scopes:
            results.append(sync_pull_requests(warehouse, client, repository, context))
            results.append(sync_workflow_runs(warehouse, settings, client, repository, context))
    return results


def sync_pull_requests(warehouse: Warehouse, client: HttpClient, repository: str, context: SyncContext) -> SyncResult:
    """Sync one repository's pull requests and reviews."""
    result = SyncResult(SOURCE, repository, "pull_requests")
    before = stored_cursor(warehouse, SOURCE, repository, "pull_requests")
    start = datetime.fromisoformat(before) if before else context.since
    items = list(pull_request_items(client, repository, start))
    pulls = convert(items, pull_request_record, _problem(repository, "pull_requests"), result.problems)
    found = []
    for pull in pulls:
        found.extend(reviews(client, repository, pull["number"]))
        context.progress(f"GitHub {repository} pull requests", len(found) and len(pulls))
    result.read, result.requests = len(items), client.requests
    newest = cursor_before_problems(max((p["updated_at"] for p in pulls), default=None), result.problems)
    constants = {"source": SOURCE, "repository": repository, "loaded_at": context.loaded_at}
    url = f"{str(client.http.base_url).rstrip('/')}/repos/{repository}"
    with warehouse.transaction():
        result.stored = upsert(warehouse, "pull_requests", pulls, ("number",), {**constants, "repository_url": url})
        upsert(warehouse, "pr_reviews", found, ("review_id",), constants)
        store_problems(warehouse, SOURCE, repository, "pull_requests", result.problems, context.loaded_at)
        if newest is not None and (start is None or newest >= start):
            result.cursor = newest.isoformat()
            write_cursor(warehouse, SOURCE, repository, "pull_requests", result.cursor, context.loaded_at)
    result.cursor = result.cursor or before
    return result


def sync_workflow_runs(
    warehouse: Warehouse, settings: Settings, client: HttpClient, repository: str, context: SyncContext
) -> SyncResult:
    """Sync a repository's finished Actions runs into the CI runs, through the same loader as
    CI files. The cursor (creation time of the oldest run still unfinished, else of the newest
    run) is advanced only after the runs are committed, so an unfinished run is read again
    until it has a result."""
    result = SyncResult(SOURCE, repository, "workflow_runs")
    since = context.since.date().isoformat() if context.since else None
    cursor = stored_cursor(warehouse, SOURCE, repository, "workflow_runs") or since
    runs = list(workflow_runs(client, repository, cursor))
    converted = [(run, ci_run_record(repository, run)) for run in runs]
    records = [record for _, record in converted if record is not None]
    result.read, result.requests = len(runs), client.requests
    context.progress(f"GitHub {repository} workflow runs", len(runs))
    load_delivery_records(warehouse, settings, "ci_runs", records, result)
    unfinished = [run["created_at"] for run, record in converted if record is None]
    newest = max((run["created_at"] for run in runs), default=None)
    result.cursor = min(unfinished) if unfinished else newest
    if result.cursor is not None:
        with warehouse.transaction():
            write_cursor(warehouse, SOURCE, repository, "workflow_runs", result.cursor, context.loaded_at)
    return result


def _problem(repository: str, resource: str):
    def problem(item: dict, why: str) -> RecordProblem:
        number = item.get("number") if isinstance(item, dict) else None
        updated = item.get("updated_at") if isinstance(item, dict) else None
        try:
            at = datetime.fromisoformat(str(updated).replace("Z", "+00:00")) if updated else None
        except ValueError:
            at = None
        return RecordProblem(SOURCE, repository, resource, f"#{number}" if number else "", why, at)

    return problem
