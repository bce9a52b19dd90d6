"""Ingesting a GitHub repository's deployments (as deployments) and releases incrementally.

Both are listed newest first and read down to their cursor, a creation time: the oldest
deployment still unfinished (else the newest deployment read), the oldest release still a
draft (else the newest release read). Items created at the cursor itself are read again.

- **Deployments** are read with their statuses (``connectors.github.deployments`` says how
  they become a result and a finish time), and stored through the same loader and checks as
  deployment files; the cursor is written after they are committed. A deployment that cannot
  be stored (an unknown status, a field missing, a row the loader rejects) is reported with
  its id and keeps the cursor at or before its creation.
- **Releases** are written with their cursor in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quarterdeck.config import Settings
from quarterdeck.connectors.github.deployments import deployment_items, deployment_record, outcome, status_items
from quarterdeck.connectors.github.releases import release_items, release_record
from quarterdeck.ingest.github_common import SOURCE, newest, parsed_cursor, problem_for, time_of
from quarterdeck.ingest.source_sync import (
    RecordProblem,
    SyncContext,
    SyncResult,
    convert,
    load_delivery_records,
    store_problems,
    stored_cursor,
    upsert,
    write_cursor,
)
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.store import Warehouse


def sync_deployments(
    warehouse: Warehouse,
    settings: Settings,
    client: HttpClient,
    repository: str,
    context: SyncContext,
    service: str | None,
) -> SyncResult:
    """Sync one repository's finished deployments; ``service`` is the service they deploy
    (default: the repository's name)."""
    result, first = SyncResult(SOURCE, repository, "deployments"), client.requests
    before = stored_cursor(warehouse, SOURCE, repository, "deployments")
    start = parsed_cursor(before) or context.since
    items = list(deployment_items(client, repository, start))
    service = service or repository.split("/", 1)[1]

    def read(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
        found = outcome(status_items(client, repository, item["id"]))
        return item, deployment_record(repository, item, *found, service) if found else None

    problem = problem_for(repository, "deployments", lambda item: f"github:{repository}:{item['id']}", "created_at")
    pairs = convert(items, read, problem, result.problems)
    context.progress(f"GitHub {repository} deployments", len(items))
    result.read, result.requests = len(items), client.requests - first
    load_delivery_records(warehouse, settings, "deployments", [r for _, r in pairs if r is not None], result)
    waiting = [time_of(item, "created_at") for item in _still_running(pairs)]
    cursor = _cursor(items, waiting, result.problems, {r["id"]: time_of(i, "created_at") for i, r in pairs if r})
    with warehouse.transaction():
        store_problems(warehouse, SOURCE, repository, "deployments", result.problems, context.loaded_at)
        if cursor is not None:
            result.cursor = cursor.isoformat()
            write_cursor(warehouse, SOURCE, repository, "deployments", result.cursor, context.loaded_at)
    result.cursor = result.cursor or before
    return result


def _still_running(pairs: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> list[dict[str, Any]]:
    """Unfinished deployments that may still finish: those with no newer finished deployment to
    the same environment (one that has is abandoned, and no longer holds the cursor back)."""
    finished: dict[Any, datetime] = {}
    for item, record in pairs:
        created = time_of(item, "created_at")
        if record is not None and created is not None:
            environment = item.get("environment")
            finished[environment] = max(created, finished.get(environment, created))
    running = []
    for item, record in pairs:
        created, latest = time_of(item, "created_at"), finished.get(item.get("environment"))
        if record is None and (created is None or latest is None or latest <= created):
            running.append(item)
    return running


def sync_releases(warehouse: Warehouse, client: HttpClient, repository: str, context: SyncContext) -> SyncResult:
    """Sync one repository's releases (drafts included)."""
    result, first = SyncResult(SOURCE, repository, "releases"), client.requests
    before = stored_cursor(warehouse, SOURCE, repository, "releases")
    start = parsed_cursor(before) or context.since
    items = list(release_items(client, repository, start))
    problem = problem_for(repository, "releases", lambda item: str(item["id"]), "created_at")
    records = convert(items, release_record, problem, result.problems)
    result.read, result.requests = len(items), client.requests - first
    drafts = [record["created_at"] for record in records if record["is_draft"]]
    cursor = _cursor(items, drafts, result.problems, {})
    with warehouse.transaction():
        constants = {"source": SOURCE, "repository": repository, "loaded_at": context.loaded_at}
        result.stored = upsert(warehouse, "releases", records, ("release_id",), constants)
        store_problems(warehouse, SOURCE, repository, "releases", result.problems, context.loaded_at)
        if cursor is not None:
            result.cursor = cursor.isoformat()
            write_cursor(warehouse, SOURCE, repository, "releases", result.cursor, context.loaded_at)
    result.cursor = result.cursor or before
    return result


def _cursor(
    items: list[Any],
    waiting: list[datetime | None],
    problems: list[RecordProblem],
    created: dict[str, datetime | None],
) -> datetime | None:
    """Where the next sync of a newest-first listing stops: the oldest item still waiting
    (unfinished, a draft) or not stored (a problem; ``created`` dates the problems that carry
    no time by their record id), else the newest item read. None keeps the cursor: nothing
    read, or an item not stored whose creation time is unknown."""
    held = list(waiting) + [p.updated_at or created.get(p.record_id) for p in problems]
    if any(t is None for t in held):
        return None
    return min(held) if held else newest(items, "created_at")  # type: ignore[type-var]  (no None left)
