"""Reading a GitHub repository's deployments (as deployments) and releases incrementally.

Both are listed newest first and read down to their cursor, a creation time: the oldest
deployment still unfinished (else the newest deployment read), the oldest release still a
draft (else the newest release read). Items created at the cursor itself are read again.

- **Deployments** are read with their statuses (``deployments`` says how they become a
  result and a finish time), and stored through the same loader and checks as deployment
  files; the cursor is written after they are committed. A deployment that cannot be stored
  (an unknown status, a field missing, a row the loader rejects) is reported with its id
  and keeps the cursor at or before its creation.
- **Releases** are stored with their cursor in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quarterdeck.sources.github.common import Reading, newest, parsed_cursor, problem_for, time_of
from quarterdeck.sources.github.deployments import deployment_items, deployment_record, outcome, status_items
from quarterdeck.sources.github.releases import release_items, release_record
from quarterdeck.sources.reading import Batch, Delivery, RecordProblem, Rows, StoredState, convert


def read_deployments(reading: Reading, repository: str, state: StoredState) -> Batch:
    """One repository's finished deployments, of the service ``services`` names for it
    (default: the repository's name)."""
    client, first = reading.client, reading.client.requests
    result = reading.result(repository, "deployments")
    before = state.cursor("deployments")
    items = list(deployment_items(client, repository, parsed_cursor(before) or reading.context.since))
    owner_less = repository.split("/", 1)[1]
    service = reading.services.get(repository) or reading.services.get(owner_less) or owner_less

    def read(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
        found = outcome(status_items(client, repository, item["id"]))
        return item, deployment_record(repository, item, *found, service) if found else None

    problem = problem_for(
        reading.source, repository, "deployments", lambda item: f"github:{repository}:{item['id']}", "created_at"
    )
    pairs = convert(items, read, problem, result.problems)
    reading.context.progress(f"GitHub {repository} deployments", len(items))
    result.read, result.requests = len(items), client.requests - first

    def after_delivery(batch: Batch) -> None:
        waiting = [time_of(item, "created_at") for item in _still_running(pairs)]
        created = {r["id"]: time_of(i, "created_at") for i, r in pairs if r}
        cursor = _cursor(items, waiting, result.problems, created)
        result.cursor = cursor.isoformat() if cursor is not None else before
        batch.problems["deployments"] = result.problems
        batch.cursors["deployments"] = cursor.isoformat() if cursor is not None else None

    records = [r for _, r in pairs if r is not None]
    return Batch([result], delivery=[Delivery("deployments", records, result)], after_delivery=after_delivery)


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


def read_releases(reading: Reading, repository: str, state: StoredState) -> Batch:
    """One repository's releases (drafts included)."""
    result, first = reading.result(repository, "releases"), reading.client.requests
    before = state.cursor("releases")
    items = list(release_items(reading.client, repository, parsed_cursor(before) or reading.context.since))
    problem = problem_for(reading.source, repository, "releases", lambda item: str(item["id"]), "created_at")
    records = convert(items, release_record, problem, result.problems)
    result.read, result.requests = len(items), reading.client.requests - first
    drafts = [record["created_at"] for record in records if record["is_draft"]]
    cursor = _cursor(items, drafts, result.problems, {})
    moved = cursor.isoformat() if cursor is not None else None
    result.cursor = moved or before
    rows = Rows("releases", records, reading.constants(repository=repository), result)
    return Batch([result], rows=[rows], problems={"releases": result.problems}, cursors={"releases": moved})


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
