"""Reading Bitbucket Cloud repositories incrementally. Each configured repository is read as
three units, each stored (or failing) on its own:

- **Pull requests** with their commits and comments, newest update first, down to the
  repository's cursor: the latest update such that every pull request updated up to it is
  stored. Bitbucket is asked only for those updated after it (``q=updated_on>...``), so a
  sync with nothing new reads one empty page. The commits and comments of each pull request
  read are asked for again (a new comment or commit updates the pull request). A pull
  request, commit or comment that cannot be stored is a problem naming it, and the cursor
  stays before its pull request's update, so the next sync reads it again.
- **Pipelines** (CI runs) and their **steps** (CI jobs), newest first, down to the cursor:
  the creation of the oldest pipeline still running or not stored, else of the newest one
  read (those created at the cursor are read again). The steps of a pipeline are asked for
  once, when it is first seen finished.
- **Deployments**, latest start first, down to their cursor (likewise: the oldest one still
  running or not stored, else the newest). A deployment's result is the result of the step
  that ran it when Bitbucket does not send its status: from the steps stored, else asked for.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.bitbucket.api import (
    account_records,
    bitbucket_client,
    comment_items,
    comment_record,
    commit_items,
    commit_record,
    pull_request_items,
    pull_request_record,
    repository_path,
    timestamp,
)
from quarterdeck.sources.bitbucket.connection import Reading
from quarterdeck.sources.bitbucket.pipelines import read_deployments, read_pipelines
from quarterdeck.sources.reading import (
    Batch,
    Connection,
    RecordProblem,
    Rows,
    StoredState,
    SyncResult,
    Unit,
    convert,
    shown_url,
)

REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
PULL_RESOURCES = ("pull_requests", "pr_commits", "pr_comments")
ONE_MICROSECOND = timedelta(microseconds=1)


@contextmanager
def read_bitbucket(connection: Connection) -> Iterator[Iterator[Unit]]:
    """Every configured repository of one Bitbucket connection: three units each."""
    config = connection.config
    options = {"user_env": "", "page_size": 50, "commits": True, "services": {}, **config.options}
    for repository in config.scopes:
        if not isinstance(repository, str) or not REPOSITORY.match(repository):
            raise ConfigError(
                f"{config.where()}: a repository must be WORKSPACE/SLUG, such as our-team/api, not {repository!r}"
            )
    user = os.environ.get(options["user_env"]) or None if options["user_env"] else None
    if options["user_env"] and config.token() and not user:
        raise ConfigError(
            f"{config.where()}: {config.token_env} is set but {options['user_env']} is not: "
            "an app password is sent with its user"
        )
    on_wait = connection.context.on_wait
    with bitbucket_client(config.base_url or "", config.token(), user, on_wait=on_wait) as client:
        reading = Reading(client, options["page_size"], options["commits"], dict(options["services"]), connection)
        yield (unit for repository in config.scopes for unit in repository_units(reading, repository))


def repository_units(reading: Reading, repository: str) -> Iterator[Unit]:
    yield Unit(repository, PULL_RESOURCES, partial(read_pull_requests, reading, repository))
    yield Unit(repository, ("pipelines", "steps"), partial(read_pipelines, reading, repository))
    yield Unit(repository, ("deployments",), partial(read_deployments, reading, repository))


def read_pull_requests(reading: Reading, repository: str, state: StoredState) -> Batch:
    """The pull requests updated since the cursor, with their commits and comments."""
    context, client = reading.connection.context, reading.client
    first = client.requests
    pulls_result, commits_result, comments_result = (SyncResult(reading.source, repository, r) for r in PULL_RESOURCES)
    before = state.cursor("pull_requests")
    after = timestamp(before) if before else None
    since = context.since - ONE_MICROSECOND if context.since and after is None else None
    items = list(pull_request_items(client, repository, after or since, reading.page_size))
    pulls_result.read = len(items)
    pulls = convert(
        items,
        pull_request_record,
        reading.problem(repository, "pull_requests", _pull_id, "updated_on"),
        pulls_result.problems,
    )
    commits: list[dict[str, Any]] = []
    comments: list[dict[str, Any]] = []
    users = [item.get("author") for item in items if isinstance(item, dict)]
    for done, (pull, item) in enumerate(_with_items(pulls, items), 1):
        if reading.commits:
            read = commit_items(client, repository, pull["number"], reading.page_size)
            commits += _part(reading, repository, pull, commits_result, read, commit_record, "hash")
        if item.get("comment_count") != 0:
            read = comment_items(client, repository, pull["number"], reading.page_size)
            users += [comment.get("user") for comment in read if isinstance(comment, dict)]
            comments += _part(reading, repository, pull, comments_result, read, comment_record, "id")
        context.progress(f"Bitbucket {repository} pull requests, with commits and comments", done)
    problems = pulls_result.problems + commits_result.problems + comments_result.problems
    cursor = _pull_cursor(pulls, problems, before)
    constants = {"source": reading.source, "repository": repository, "loaded_at": context.loaded_at}
    url = f"{shown_url(client.base_url)}/{repository_path(repository)}"
    batch = Batch([pulls_result, commits_result, comments_result])
    batch.rows += [
        Rows("pull_requests", pulls, {**constants, "repository_url": url}, pulls_result),
        Rows("pr_commits", commits, constants, commits_result),
        Rows("pr_comments", comments, constants, comments_result),
        Rows("source_accounts", account_records(users), {"source": reading.source, "seen_at": context.loaded_at}),
    ]
    for result in batch.results:
        batch.problems[result.resource] = list(result.problems)
        batch.cursors[result.resource] = cursor if cursor != before else None
        result.cursor, result.requests = cursor, client.requests - first
    return batch


def _pull_id(item: dict[str, Any]) -> str:
    return f"#{item['id']}"


def _with_items(pulls: list[dict[str, Any]], items: list[dict[str, Any]]) -> Iterator[tuple[dict, dict]]:
    """Each pull request record with the item it came from."""
    by_number = {item.get("id"): item for item in items if isinstance(item, dict)}
    for pull in pulls:
        yield pull, by_number.get(pull["number"], {})


def _part(
    reading: Reading,
    repository: str,
    pull: dict[str, Any],
    result: SyncResult,
    read: list[dict[str, Any]],
    to_record: Any,
    id_key: str,
) -> list[dict[str, Any]]:
    """One pull request's commits or comments as rows; one that cannot be stored is a problem
    dated at the pull request's update, so that the pull request is read again."""
    number, updated = pull["number"], pull["updated_at"]
    result.read += len(read)

    def problem(item: Any, why: str) -> RecordProblem:
        record_id = item.get(id_key) if isinstance(item, dict) else None
        return RecordProblem(
            reading.source, repository, result.resource, f"#{number} {record_id or ''}".strip(), why, updated
        )

    return [r for r in convert(read, lambda item: to_record(number, item), problem, result.problems) if r is not None]


def _pull_cursor(pulls: list[dict[str, Any]], problems: list[RecordProblem], before: str | None) -> str | None:
    """The latest update with every pull request updated up to it stored: the newest stored,
    or just before the oldest update not stored (the next sync asks for those after it)."""
    held = [p.updated_at - ONE_MICROSECOND for p in problems if p.updated_at is not None]
    cursor = min(held) if held else max((p["updated_at"] for p in pulls), default=None)
    if cursor is None or (before is not None and cursor <= datetime.fromisoformat(before)):
        return before
    return cursor.isoformat()
