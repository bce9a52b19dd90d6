"""Ingesting GitHub repositories incrementally: pull requests with their reviews, commits and
timeline events; review comments; issues; Actions runs and their jobs as CI runs and jobs;
deployments; releases. Each is a resource with its own cursor and summary row.

- **Pull requests** are read newest update first, down to the repository's cursor (the
  latest ``updated_at`` stored; ``--since`` for a first run), with the reviews, commits and
  timeline events of each; they are written, and the cursors of the four advanced, in one
  transaction. A run that stops half-way (an error, a rate limit it will not wait out,
  Ctrl-C) stores nothing and leaves the cursors where they were, so the next run reads the
  same pull requests again: nothing lost, nothing twice (rows are keyed by repository and
  number, reviews and events by id, commits by sha). Pull requests updated exactly at the
  cursor are read again, since several can share one second. When one of the cursors is
  missing (a warehouse synced before commits and events were read), all pull requests are
  read again, so that the older ones get their commits and events too.
- **Review comments and issues** (``github_issues``) and **Actions runs and jobs**
  (``github_runs``), **deployments and releases** (``github_deployments``) each have their
  own module.
- **A resource that fails** (an API error, an unexpected answer, a listing that pages in
  circles) stores nothing and keeps its cursor; the repository's other resources are read.
- **Bad records** (a missing field, an unknown value) are reported with the repository and
  id; the rest is stored, and the cursor stops before the oldest record not stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from quarterdeck.config import Settings
from quarterdeck.config.sources import SourceConfig
from quarterdeck.connectors.github.issues import DEFAULT_BUG_LABELS
from quarterdeck.connectors.github.pulls import (
    github_client,
    pull_request_items,
    pull_request_record,
    review_items,
    review_record,
)
from quarterdeck.connectors.github.timeline import commit_items, commit_record, event_items, event_record
from quarterdeck.core.errors import ConfigError
from quarterdeck.ingest.github_common import SOURCE, parsed_cursor, problem_for
from quarterdeck.ingest.github_deployments import sync_deployments, sync_releases
from quarterdeck.ingest.github_issues import sync_issues, sync_review_comments
from quarterdeck.ingest.github_runs import sync_workflow_runs
from quarterdeck.ingest.source_sync import (
    RecordProblem,
    SyncContext,
    SyncResult,
    convert,
    cursor_before_problems,
    resource_sync,
    shown_url,
    store_problems,
    stored_cursor,
    upsert,
    write_cursor,
)
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.store import Warehouse

REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
PULL_RESOURCES = ("pull_requests", "pr_commits", "pr_events")
RUN_RESOURCES = ("workflow_runs", "ci_jobs")


def sync_github(
    warehouse: Warehouse, settings: Settings, source: SourceConfig, context: SyncContext
) -> list[SyncResult]:
    """Every configured repository of one GitHub connection."""
    for repository in source.scopes:
        if not isinstance(repository, str) or not REPOSITORY.match(repository):
            raise ConfigError(
                f"{source.where()}: a repository must be OWNER/NAME, such as our-org/api, not {repository!r}"
            )
    bug_labels, services, parallel = _options(source)
    results: list[SyncResult] = []
    with github_client(source.base_url or "", source.token(), on_wait=context.on_wait) as client:
        for repository in source.scopes:
            service = services.get(repository) or services.get(repository.split("/", 1)[1])
            read = (warehouse, client, repository, context)
            written = (warehouse, settings, client, repository, context)  # through the files' loader
            for resources, sync in (
                (PULL_RESOURCES, partial(sync_pull_requests, *read, parallel)),
                (("pr_comments",), partial(sync_review_comments, *read)),
                (("issues",), partial(sync_issues, *read, bug_labels)),
                (RUN_RESOURCES, partial(sync_workflow_runs, *written)),
                (("deployments",), partial(sync_deployments, *written, service)),
                (("releases",), partial(sync_releases, *read)),
            ):
                results += resource_sync(warehouse, SOURCE, repository, resources, sync)
    return results


def _options(source: SourceConfig) -> tuple[list[str], dict[str, str], int]:
    """The GitHub options of quarterdeck.yaml: ``bug_labels`` (a list of label names),
    ``services`` (repository -> service of its deployments) and ``parallel_requests`` (pull
    requests whose details are asked for at once: 1, as GitHub asks of its clients, unless
    the server allows more, as a GitHub Enterprise Server or a local replay may)."""
    unknown = sorted(set(source.options) - {"bug_labels", "services", "parallel_requests"})
    if unknown:
        raise ConfigError(
            f"{source.where()}: unknown option {unknown[0]!r} (GitHub takes bug_labels, services and parallel_requests)"
        )
    parallel = source.options.get("parallel_requests", 1)
    if not isinstance(parallel, int) or isinstance(parallel, bool) or not 1 <= parallel <= 16:
        raise ConfigError(f"{source.where()}: 'parallel_requests' must be a whole number from 1 to 16")
    bug_labels = source.options.get("bug_labels", list(DEFAULT_BUG_LABELS))
    if not isinstance(bug_labels, list) or not all(isinstance(label, str) for label in bug_labels):
        raise ConfigError(f"{source.where()}: 'bug_labels' must be a list of label names, such as [bug]")
    services = source.options.get("services") or {}
    if not isinstance(services, dict) or not all(isinstance(v, str) for v in services.values()):
        raise ConfigError(f"{source.where()}: 'services' must map repositories to services, such as our-org/api: api")
    return bug_labels, {str(k): v for k, v in services.items()}, parallel


def sync_pull_requests(
    warehouse: Warehouse, client: HttpClient, repository: str, context: SyncContext, parallel: int = 1
) -> list[SyncResult]:
    """Sync one repository's pull requests, with their reviews, commits and timeline events
    (those of ``parallel`` pull requests asked for at once; GitHub asks for one at a time)."""
    first = client.requests
    pulls_result, commits_result, events_result = (SyncResult(SOURCE, repository, r) for r in PULL_RESOURCES)
    before = [stored_cursor(warehouse, SOURCE, repository, r) for r in PULL_RESOURCES]
    start = min(parsed_cursor(c) for c in before) if all(before) else context.since
    items = list(pull_request_items(client, repository, start))
    problem = problem_for(repository, "pull_requests", lambda item: f"#{item['number']}")
    pulls = convert(items, pull_request_record, problem, pulls_result.problems)
    found: dict[str, list[dict[str, Any]]] = {"reviews": [], "commits": [], "events": []}
    for done, (pull, raw) in enumerate(zip(pulls, _pull_parts(client, repository, pulls, parallel), strict=True), 1):
        found["reviews"] += _pull_part(repository, pull, pulls_result, raw["reviews"], review_record, "id", False)
        found["commits"] += _pull_part(repository, pull, commits_result, raw["commits"], commit_record, "sha")
        found["events"] += _pull_part(repository, pull, events_result, raw["events"], event_record, "id")
        context.progress(f"GitHub {repository} pull requests, with reviews, commits and events", done)
    pulls_result.read = len(items)
    every_problem = pulls_result.problems + commits_result.problems + events_result.problems
    newest = cursor_before_problems(max((p["updated_at"] for p in pulls), default=None), every_problem)
    constants = {"source": SOURCE, "repository": repository, "loaded_at": context.loaded_at}
    url = f"{shown_url(client.base_url)}/repos/{repository}"
    cursor = newest.isoformat() if newest is not None and (start is None or newest >= start) else None
    with warehouse.transaction():
        pulls_result.stored = upsert(
            warehouse, "pull_requests", pulls, ("number",), {**constants, "repository_url": url}
        )
        upsert(warehouse, "pr_reviews", found["reviews"], ("review_id",), constants)
        commits_result.stored = upsert(warehouse, "pr_commits", found["commits"], ("number", "sha"), constants)
        events_result.stored = upsert(warehouse, "pr_events", found["events"], ("event_id",), constants)
        for result in (pulls_result, commits_result, events_result):
            store_problems(warehouse, SOURCE, repository, result.resource, result.problems, context.loaded_at)
            if cursor is not None:
                write_cursor(warehouse, SOURCE, repository, result.resource, cursor, context.loaded_at)
    for result, was in zip((pulls_result, commits_result, events_result), before, strict=True):
        result.cursor, result.requests = cursor or was, client.requests - first
    return [pulls_result, commits_result, events_result]


PULL_PARTS = (("reviews", review_items), ("commits", commit_items), ("events", event_items))


def _pull_parts(
    client: HttpClient, repository: str, pulls: list[dict[str, Any]], parallel: int
) -> Iterator[dict[str, list[Any]]]:
    """Each pull request's reviews, commits and events as GitHub sends them, in the order of
    ``pulls``; with ``parallel`` > 1, that many pull requests are asked for at once."""

    def parts(pull: dict[str, Any]) -> dict[str, list[Any]]:
        return {name: list(items(client, repository, pull["number"])) for name, items in PULL_PARTS}

    if parallel <= 1:
        yield from map(parts, pulls)
        return
    pool = ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="github")
    try:
        yield from pool.map(parts, pulls)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pull_part(
    repository: str,
    pull: dict[str, Any],
    result: SyncResult,
    read: list[Any],
    to_record: Callable[[int, dict[str, Any]], dict[str, Any]],
    id_key: str,
    counted: bool = True,
) -> list[dict[str, Any]]:
    """One pull request's reviews, commits or events as records; one that cannot be converted
    becomes a problem of ``result`` dated at the pull request's update, so that the pull
    request is read again. ``counted``: the items count as read by ``result``."""
    number, updated = pull["number"], pull["updated_at"]
    result.read += len(read) if counted else 0

    def problem(item: Any, why: str) -> RecordProblem:
        record_id = item.get(id_key) if isinstance(item, dict) else None
        return RecordProblem(SOURCE, repository, result.resource, f"#{number} {record_id or ''}".strip(), why, updated)

    return convert(read, lambda item: to_record(number, item), problem, result.problems)
