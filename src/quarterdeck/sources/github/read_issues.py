"""Reading a GitHub repository's review comments and issues incrementally.

Both are listed for the whole repository, oldest update first, from the cursor on (GitHub's
``since``: the latest ``updated_at`` stored, ``--since`` on a first sync); items updated at
the cursor itself are read again, so a second sync with nothing new makes one request each.
The pipeline stores the records and the new cursor in one transaction; a record that cannot
be stored is reported with its id and keeps the cursor at or before its update.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quarterdeck.sources.github.common import Reading, newest, parsed_cursor, problem_for
from quarterdeck.sources.github.issues import is_pull_request, issue_items, issue_record
from quarterdeck.sources.github.timeline import comment_record, review_comment_items
from quarterdeck.sources.reading import (
    Batch,
    RecordProblem,
    Rows,
    StoredState,
    SyncResult,
    convert,
    cursor_before_problems,
)


def read_review_comments(reading: Reading, repository: str, state: StoredState) -> Batch:
    """The review comments of every pull request of one repository."""
    result, first = reading.result(repository, "pr_comments"), reading.client.requests
    before = state.cursor("pr_comments")
    items = list(review_comment_items(reading.client, repository, parsed_cursor(before) or reading.context.since))
    reading.context.progress(f"GitHub {repository} review comments", len(items))
    problem = problem_for(reading.source, repository, "pr_comments", lambda item: str(item["id"]))
    records = convert(items, comment_record, problem, result.problems)
    comments = [{k: v for k, v in r.items() if k != "updated_at"} for r in records]
    result.read, result.requests = len(items), reading.client.requests - first
    rows = Rows("pr_comments", comments, reading.constants(repository=repository), result)
    return _batch(result, rows, cursor_after(items, result.problems), before)


def read_issues(reading: Reading, repository: str, state: StoredState) -> Batch:
    """One repository's issues (pull requests, which GitHub lists among them, are left to the
    pull requests' reading)."""
    result, first = reading.result(repository, "issues"), reading.client.requests
    before = state.cursor("issues")
    items = list(issue_items(reading.client, repository, parsed_cursor(before) or reading.context.since))
    reading.context.progress(f"GitHub {repository} issues", len(items))
    problem = problem_for(reading.source, repository, "issues", lambda item: f"{repository}#{item['number']}")
    issues = [item for item in items if not is_pull_request(item)]
    bug_labels = reading.bug_labels
    records = convert(issues, lambda item: issue_record(repository, item, bug_labels), problem, result.problems)
    result.read, result.requests = len(issues), reading.client.requests - first
    return _batch(
        result, Rows("issues", records, reading.constants(), result), cursor_after(items, result.problems), before
    )


def cursor_after(items: list[Any], problems: list[RecordProblem]) -> datetime | None:
    """The latest update read, but not past a record that could not be stored; None (the
    cursor stays) when such a record has no readable update time."""
    if any(p.updated_at is None for p in problems):
        return None
    return cursor_before_problems(newest(items, "updated_at"), problems)


def _batch(result: SyncResult, rows: Rows, cursor: datetime | None, before: str | None) -> Batch:
    """The records, the problems and the cursor (when there is one) of one resource."""
    moved = cursor.isoformat() if cursor is not None else None
    result.cursor = moved or before
    return Batch([result], rows=[rows], problems={result.resource: result.problems}, cursors={result.resource: moved})
