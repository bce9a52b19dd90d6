"""Ingesting a GitHub repository's review comments and issues incrementally.

Both are listed for the whole repository, oldest update first, from the cursor on (GitHub's
``since``: the latest ``updated_at`` stored, ``--since`` on a first run); items updated at
the cursor itself are read again, so a second run with nothing new makes one request each.
The records and the new cursor are written in one transaction; a record that cannot be
stored is reported with its id and keeps the cursor at or before its update.
"""

from __future__ import annotations

from datetime import datetime

from quarterdeck.connectors.github.issues import is_pull_request, issue_items, issue_record
from quarterdeck.connectors.github.timeline import comment_record, review_comment_items
from quarterdeck.ingest.github_common import SOURCE, newest, parsed_cursor, problem_for
from quarterdeck.ingest.source_sync import (
    RecordProblem,
    SyncContext,
    SyncResult,
    convert,
    cursor_before_problems,
    store_problems,
    stored_cursor,
    upsert,
    write_cursor,
)
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.store import Warehouse


def sync_review_comments(warehouse: Warehouse, client: HttpClient, repository: str, context: SyncContext) -> SyncResult:
    """Sync the review comments of every pull request of one repository."""
    result, first = SyncResult(SOURCE, repository, "pr_comments"), client.requests
    before = stored_cursor(warehouse, SOURCE, repository, "pr_comments")
    start = parsed_cursor(before) or context.since
    items = list(review_comment_items(client, repository, start))
    context.progress(f"GitHub {repository} review comments", len(items))
    problem = problem_for(repository, "pr_comments", lambda item: str(item["id"]))
    records = convert(items, comment_record, problem, result.problems)
    comments = [{k: v for k, v in r.items() if k != "updated_at"} for r in records]
    cursor = cursor_after(items, result.problems)
    _store(warehouse, result, "pr_comments", comments, ("comment_id",), cursor, context, {"repository": repository})
    result.read, result.requests, result.cursor = len(items), client.requests - first, result.cursor or before
    return result


def sync_issues(
    warehouse: Warehouse, client: HttpClient, repository: str, context: SyncContext, bug_labels: list[str]
) -> SyncResult:
    """Sync one repository's issues (pull requests, which GitHub lists among them, are left
    to the pull request sync)."""
    result, first = SyncResult(SOURCE, repository, "issues"), client.requests
    before = stored_cursor(warehouse, SOURCE, repository, "issues")
    start = parsed_cursor(before) or context.since
    items = list(issue_items(client, repository, start))
    context.progress(f"GitHub {repository} issues", len(items))
    problem = problem_for(repository, "issues", lambda item: f"{repository}#{item['number']}")
    issues = [item for item in items if not is_pull_request(item)]
    records = convert(issues, lambda item: issue_record(repository, item, bug_labels), problem, result.problems)
    cursor = cursor_after(items, result.problems)
    _store(warehouse, result, "issues", records, ("issue_id",), cursor, context, {})
    result.read, result.requests, result.cursor = len(issues), client.requests - first, result.cursor or before
    return result


def cursor_after(items: list, problems: list[RecordProblem]) -> datetime | None:
    """The latest update read, but not past a record that could not be stored; None (the
    cursor stays) when such a record has no readable update time."""
    if any(p.updated_at is None for p in problems):
        return None
    return cursor_before_problems(newest(items, "updated_at"), problems)


def _store(warehouse, result: SyncResult, table: str, records, key, cursor, context: SyncContext, constants) -> None:
    """Write ``records``, the problems and the cursor (when there is one) in one transaction."""
    with warehouse.transaction():
        result.stored = upsert(
            warehouse, table, records, key, {"source": SOURCE, "loaded_at": context.loaded_at, **constants}
        )
        store_problems(warehouse, SOURCE, result.scope, result.resource, result.problems, context.loaded_at)
        if cursor is not None:
            result.cursor = cursor.isoformat()
            write_cursor(warehouse, SOURCE, result.scope, result.resource, result.cursor, context.loaded_at)
