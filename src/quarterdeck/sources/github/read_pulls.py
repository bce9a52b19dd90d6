"""Reading a GitHub repository's pull requests, with their reviews, commits and timeline
events, incrementally.

Pull requests are read newest update first, down to the repository's cursor (the latest
``updated_at`` stored; ``--since`` for a first run), with the reviews, commits and timeline
events of each; the pipeline stores them, and moves the cursors of the three resources, in
one transaction. A sync that stops half-way (an error, a rate limit it will not wait out,
Ctrl-C) stores nothing and leaves the cursors where they were, so the next one reads the
same pull requests again: nothing lost, nothing twice (rows are keyed by repository and
number, reviews and events by id, commits by sha). Pull requests updated exactly at the
cursor are read again, since several can share one second. When one of the cursors is
missing (a warehouse synced before commits and events were read), all pull requests are
read again, so that the older ones get their commits and events too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from quarterdeck.sources.github.common import Reading, parsed_cursor, problem_for
from quarterdeck.sources.github.pulls import pull_request_items, pull_request_record, review_items, review_record
from quarterdeck.sources.github.timeline import commit_items, commit_record, event_items, event_record
from quarterdeck.sources.reading import (
    Batch,
    RecordProblem,
    Rows,
    StoredState,
    SyncResult,
    convert,
    cursor_before_problems,
    shown_url,
)

PULL_RESOURCES = ("pull_requests", "pr_commits", "pr_events")
PULL_PARTS = (("reviews", review_items), ("commits", commit_items), ("events", event_items))


def read_pull_requests(reading: Reading, repository: str, state: StoredState) -> Batch:
    """One repository's pull requests, with their reviews, commits and timeline events (those
    of ``reading.parallel`` pull requests asked for at once; GitHub asks for one at a time)."""
    client, context, first = reading.client, reading.context, reading.client.requests
    results = [reading.result(repository, r) for r in PULL_RESOURCES]
    pulls_result, commits_result, events_result = results
    before = [state.cursor(r) for r in PULL_RESOURCES]
    start = min(parsed_cursor(c) for c in before) if all(before) else context.since
    items = list(pull_request_items(client, repository, start))
    problem = problem_for(reading.source, repository, "pull_requests", lambda item: f"#{item['number']}")
    pulls = convert(items, pull_request_record, problem, pulls_result.problems)
    found: dict[str, list[dict[str, Any]]] = {"reviews": [], "commits": [], "events": []}
    parts = _pull_parts(reading, repository, pulls)
    for done, (pull, raw) in enumerate(zip(pulls, parts, strict=True), 1):
        part = _PullPart(reading.source, repository, pull)
        found["reviews"] += part.records(pulls_result, raw["reviews"], review_record, "id", counted=False)
        found["commits"] += part.records(commits_result, raw["commits"], commit_record, "sha")
        found["events"] += part.records(events_result, raw["events"], event_record, "id")
        context.progress(f"GitHub {repository} pull requests, with reviews, commits and events", done)
    pulls_result.read = len(items)
    every_problem = [p for result in results for p in result.problems]
    newest = cursor_before_problems(max((p["updated_at"] for p in pulls), default=None), every_problem)
    cursor = newest.isoformat() if newest is not None and (start is None or newest >= start) else None
    constants = reading.constants(repository=repository)
    url = f"{shown_url(client.base_url)}/repos/{repository}"
    for result, was in zip(results, before, strict=True):
        result.cursor, result.requests = cursor or was, client.requests - first
    return Batch(
        results,
        rows=[
            Rows("pull_requests", pulls, {**constants, "repository_url": url}, pulls_result),
            Rows("pr_reviews", found["reviews"], constants),
            Rows("pr_commits", found["commits"], constants, commits_result),
            Rows("pr_events", found["events"], constants, events_result),
        ],
        problems={result.resource: result.problems for result in results},
        cursors=dict.fromkeys(PULL_RESOURCES, cursor),
    )


def _pull_parts(reading: Reading, repository: str, pulls: list[dict[str, Any]]) -> Iterator[dict[str, list[Any]]]:
    """Each pull request's reviews, commits and events as GitHub sends them, in the order of
    ``pulls``; with ``parallel`` > 1, that many pull requests are asked for at once."""

    def parts(pull: dict[str, Any]) -> dict[str, list[Any]]:
        return {name: list(items(reading.client, repository, pull["number"])) for name, items in PULL_PARTS}

    if reading.parallel <= 1:
        yield from map(parts, pulls)
        return
    pool = ThreadPoolExecutor(max_workers=reading.parallel, thread_name_prefix="github")
    try:
        yield from pool.map(parts, pulls)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _PullPart:
    """One pull request, whose reviews, commits or events become records."""

    def __init__(self, source: str, repository: str, pull: dict[str, Any]):
        self.source, self.repository, self.pull = source, repository, pull

    def records(
        self,
        result: SyncResult,
        read: list[Any],
        to_record: Callable[[int, dict[str, Any]], dict[str, Any]],
        id_key: str,
        counted: bool = True,
    ) -> list[dict[str, Any]]:
        """The items as records; one that cannot be converted becomes a problem of ``result``
        dated at the pull request's update, so that the pull request is read again.
        ``counted``: the items count as read by ``result``."""
        number, updated = self.pull["number"], self.pull["updated_at"]
        result.read += len(read) if counted else 0

        def problem(item: Any, why: str) -> RecordProblem:
            record_id = item.get(id_key) if isinstance(item, dict) else None
            where = f"#{number} {record_id or ''}".strip()
            return RecordProblem(self.source, self.repository, result.resource, where, why, updated)

        return convert(read, lambda item: to_record(number, item), problem, result.problems)
