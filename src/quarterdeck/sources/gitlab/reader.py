"""Reading GitLab projects incrementally: merge requests with their approvals, notes and
commits; pipelines (CI runs) with their jobs; deployments. Each resource of a project is a
unit of its own: one that fails stores nothing and keeps its cursor, the others go on.

- **Merge requests** are read newest update first, down to the project's cursor (the latest
  ``updated_at`` stored; ``--since`` for a first run). A merge request stored already with
  the same ``updated_at`` is not read again (a note or an approval updates it); the others
  are read with their notes, approvals and commits, and all of it is stored, with the
  cursor, in one transaction. A run that stops half-way stores nothing of them and leaves
  the cursor where it was: nothing lost, nothing twice.
- **Pipelines and deployments** are read by update time from the cursor, which is the update
  time of the oldest one still unfinished (or not stored), else of the newest one read; it
  is stored after the records are. A finished pipeline is read in detail, with its jobs,
  unless it was stored after its last update.
- **Bad records** (a missing field, an unknown value) are reported with the project and id;
  the rest is stored, and the cursor stops before the oldest record not stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.gitlab.client import Project, api_time, gitlab_client, project_of, timestamp
from quarterdeck.sources.gitlab.deployments import changed_at, deployment_id, deployment_items, deployment_record
from quarterdeck.sources.gitlab.merge_requests import MergeRequest, merge_request_items, read_merge_request
from quarterdeck.sources.gitlab.pipelines import (
    ci_run_record,
    is_finished,
    job_record,
    pipeline_details,
    pipeline_items,
    pipeline_jobs,
    run_id,
)
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.reading import (
    Batch,
    Connection,
    Delivery,
    RecordProblem,
    Rows,
    StoredState,
    SyncContext,
    SyncResult,
    Unit,
    convert,
    cursor_before_problems,
    shown_url,
)

SOURCE = "gitlab"  # the source of the rows, and of the accounts they name (gitlab:<login>), whatever the
# connection's name; the summary, problems and cursors name the connection (``name``)


@dataclass(frozen=True)
class Reading:
    """What every unit of one connection shares: its name, the client, the sync's context,
    and the name of the production environment the warehouse stores deployments under."""

    name: str
    client: HttpClient
    context: SyncContext
    production: str


@contextmanager
def read_gitlab(connection: Connection) -> Iterator[Iterator[Unit]]:
    """Every configured project of one GitLab connection: its merge requests, pipelines and
    deployments, one unit each."""
    config = connection.config
    projects = [project_of(entry, config.where()) for entry in config.scopes]
    if not projects:
        raise ConfigError(f"{config.where()}: a gitlab source needs 'projects:' (full paths such as group/name)")
    environments = connection.settings.production_environments
    context = connection.context
    with gitlab_client(config.base_url, config.token(), on_wait=context.on_wait) as client:
        reading = Reading(config.name, client, context, environments[0] if environments else "production")
        yield (
            Unit(project.path, (resource,), partial(read, reading, project))
            for project in projects
            for resource, read in (
                ("merge_requests", read_merge_requests),
                ("pipelines", read_pipelines),
                ("deployments", read_deployments),
            )
        )


def read_merge_requests(reading: Reading, project: Project, state: StoredState) -> Batch:
    """One project's merge requests with their approvals, notes and commits."""
    client, context = reading.client, reading.context
    result = SyncResult(reading.name, project.path, "merge_requests")
    sent = client.requests
    before = state.cursor("merge_requests")
    start = timestamp(before) if before else context.since
    stored = state.stored("pull_requests", "number", "updated_at", source=SOURCE, repository=project.path)
    items = list(merge_request_items(client, project, start))
    unchanged = [i for i in items if _stored_unchanged(i, stored)]
    changed = [i for i in items if not _stored_unchanged(i, stored)]

    done: list[MergeRequest] = []

    def read(item: dict[str, Any]) -> MergeRequest:
        done.append(read_merge_request(client, project, item))
        context.progress(f"GitLab {project.path} merge requests", len(unchanged) + len(done))
        return done[-1]

    found = convert(
        changed, read, _problem(reading.name, project, "merge_requests", lambda i: f"!{i.get('iid')}"), result.problems
    )
    result.read, result.requests = len(items), client.requests - sent
    times = [m.pull["updated_at"] for m in found] + [timestamp(i["updated_at"]) for i in unchanged]
    newest = cursor_before_problems(max(times, default=None), result.problems)
    moved = newest is not None and (start is None or newest >= start)
    result.cursor = newest.isoformat() if moved and newest is not None else before
    constants = {"source": SOURCE, "repository": project.path, "loaded_at": context.loaded_at}
    url = f"{shown_url(client.base_url)}/projects/{project.api_id}"
    return Batch(
        [result],
        rows=[
            Rows("pull_requests", [m.pull for m in found], {**constants, "repository_url": url}, counts=result),
            Rows("pr_reviews", [r for m in found for r in m.reviews], constants),
            Rows("pr_events", [e for m in found for e in m.events], constants),
            Rows("pr_comments", [c for m in found for c in m.comments], constants),
            Rows("pr_commits", [c for m in found for c in m.commits], constants),
        ],
        problems={"merge_requests": result.problems},
        cursors={"merge_requests": result.cursor if moved else None},
    )


def read_pipelines(reading: Reading, project: Project, state: StoredState) -> Batch:
    """One project's finished pipelines as CI runs (through the same loader as CI files), and
    their jobs as CI jobs."""
    client, context = reading.client, reading.context
    result = SyncResult(reading.name, project.path, "pipelines")
    sent = client.requests
    cursor = state.cursor("pipelines") or _since(context)
    items = list(pipeline_items(client, project, cursor))
    loaded = state.stored("ci_runs", "run_id", "loaded_at", run_id=run_id(project, "") + "*")
    unfinished: list[dict[str, Any]] = []

    def read(item: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        if not is_finished(item):
            unfinished.append(item)
            return None
        stored_at, updated = loaded.get(run_id(project, item["id"])), timestamp(item.get("updated_at"))
        if stored_at is not None and updated is not None and stored_at > updated:
            return None  # stored after its last change
        jobs = [j for j in pipeline_jobs(client, project, item["id"]) if is_finished(j)]
        record = ci_run_record(project, pipeline_details(client, project, item))
        return record, [job_record(project, item["id"], j) for j in jobs]

    problem = _problem(
        reading.name, project, "pipelines", lambda i: run_id(project, i.get("id")), "updated_at", "created_at"
    )
    read_runs = [r for r in convert(items, read, problem, result.problems) if r is not None]
    context.progress(f"GitLab {project.path} pipelines", len(items))
    result.read = len(items)
    result.requests = client.requests - sent
    batch = Batch([result], delivery=[Delivery("ci_runs", [record for record, _ in read_runs], result)])

    def after_delivery(batch: Batch) -> None:
        rejected = {p.record_id for p in result.problems}
        jobs = [j for record, run_jobs in read_runs if record["id"] not in rejected for j in run_jobs]
        times = {run_id(project, i.get("id")): changed_at(i) for i in items}
        result.cursor = _cursor(items, unfinished, result.problems, times) or cursor
        batch.rows.append(Rows("ci_jobs", jobs, {"source": SOURCE, "loaded_at": context.loaded_at}))
        batch.problems["pipelines"] = result.problems
        batch.cursors["pipelines"] = result.cursor

    batch.after_delivery = after_delivery
    return batch


def read_deployments(reading: Reading, project: Project, state: StoredState) -> Batch:
    """One project's finished deployments, through the same loader as deployment files."""
    client, context = reading.client, reading.context
    result = SyncResult(reading.name, project.path, "deployments")
    sent = client.requests
    cursor = state.cursor("deployments") or _since(context)
    items = list(deployment_items(client, project, cursor))
    converted = convert(
        items,
        lambda item: (item, deployment_record(project, item, reading.production)),
        _problem(reading.name, project, "deployments", lambda i: deployment_id(project, i), "updated_at", "created_at"),
        result.problems,
    )
    context.progress(f"GitLab {project.path} deployments", len(items))
    result.read, result.requests = len(items), client.requests - sent
    records = [r for _, r in converted if r is not None]
    batch = Batch([result], delivery=[Delivery("deployments", records, result)])

    def after_delivery(batch: Batch) -> None:
        unfinished = [item for item, record in converted if record is None and item.get("status") != "skipped"]
        times = {deployment_id(project, i): changed_at(i) for i in items}
        result.cursor = _cursor(items, unfinished, result.problems, times) or cursor
        batch.problems["deployments"] = result.problems
        batch.cursors["deployments"] = result.cursor

    batch.after_delivery = after_delivery
    return batch


def _cursor(
    items: list[dict[str, Any]],
    unfinished: list[dict[str, Any]],
    problems: list[RecordProblem],
    times: dict[str, str | None],
) -> str | None:
    """The update time (as GitLab wrote it) to read from next time: that of the oldest record
    unfinished or not stored, else of the newest record read (None when nothing was read)."""
    held = [changed_at(i) for i in unfinished] + [times.get(p.record_id) for p in problems]
    held_times = [t for t in held if t]
    if held_times:
        return min(held_times, key=_when)
    return max((t for t in map(changed_at, items) if t), key=_when, default=None)


def _when(value: str) -> datetime:
    try:
        return timestamp(value) or datetime.min.replace(tzinfo=UTC)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def _since(context: SyncContext) -> str | None:
    return api_time(context.since) if context.since else None


def _stored_unchanged(item: Any, stored: dict[int, datetime]) -> bool:
    try:
        return stored.get(int(item["iid"])) == timestamp(item["updated_at"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return False


def _problem(name: str, project: Project, resource: str, record_id: Any, *time_fields: str):
    """Make the problem of an item that could not be converted, with its id and update time."""
    fields = time_fields or ("updated_at",)

    def problem(item: Any, why: str) -> RecordProblem:
        if not isinstance(item, dict):
            return RecordProblem(name, project.path, resource, "", why)
        at = next((item.get(f) for f in fields if item.get(f)), None)
        try:
            when = timestamp(str(at)) if at else None
        except ValueError:
            when = None
        return RecordProblem(name, project.path, resource, record_id(item), why, when)

    return problem
