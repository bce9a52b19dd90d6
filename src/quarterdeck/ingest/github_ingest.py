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

from quarterdeck.connectors.github.pulls import pull_requests, reviews
from quarterdeck.connectors.http.client import HttpClient
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


def stored_cursor(warehouse: Warehouse, repository: str) -> str | None:
    return warehouse.value(
        "SELECT cursor FROM source_cursors WHERE source = ? AND scope = ? AND resource = 'pull_requests'",
        [SOURCE, repository],
    )


def _upsert(
    warehouse: Warehouse, table: str, records: list[dict[str, Any]], repository: str, loaded_at: datetime, url: Any
) -> None:
    """Insert or replace by primary key; a record given twice is stored once."""
    if not records:
        return
    unique = list({tuple(r[k] for k in ("number", "review_id") if k in r): r for r in records}.values())
    rows = pa.Table.from_pylist(unique)
    constants: dict[str, Any] = {"source": SOURCE, "repository": repository, "loaded_at": loaded_at}
    if url is not None:
        constants["repository_url"] = f"{str(url).rstrip('/')}/repos/{repository}"
    names = ", ".join([*rows.column_names, *constants])
    values = ", ".join([*rows.column_names, *("?" for _ in constants)])
    warehouse.con.register("_quarterdeck_batch", rows)
    try:
        warehouse.con.execute(
            f"INSERT OR REPLACE INTO {table} ({names}) SELECT {values} FROM _quarterdeck_batch",
            list(constants.values()),
        )
    finally:
        warehouse.con.unregister("_quarterdeck_batch")
