"""Ingesting GitLab projects incrementally: merge requests with their approvals, notes and
commits; pipelines (CI runs) with their jobs; deployments.

- **Merge requests** are read newest update first, down to the project's cursor (the latest
  ``updated_at`` stored; ``--since`` for a first run). A merge request stored already with
  the same ``updated_at`` is not read again (a note or an approval updates it); the others
  are read with their notes, approvals and commits, and all of it is written, with the
  cursor, in one transaction. A run that stops half-way stores nothing of them and leaves
  the cursor where it was: nothing lost, nothing twice.
- **Pipelines and deployments** are read by update time from the cursor, which is the update
  time of the oldest one still unfinished (or not stored), else of the newest one read; it
  is written after the records are committed. A finished pipeline is read in detail, with
  its jobs, unless it was stored after its last update.
- **Bad records** (a missing field, an unknown value) are reported with the project and id;
  the rest is stored, and the cursor stops before the oldest record not stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any

from quarterdeck.config import Settings
from quarterdeck.config.sources import SourceConfig
from quarterdeck.connectors.gitlab.client import Project, api_time, gitlab_client, project_of, timestamp
from quarterdeck.connectors.gitlab.deployments import changed_at, deployment_id, deployment_items, deployment_record
from quarterdeck.connectors.gitlab.merge_requests import MergeRequest, merge_request_items, read_merge_request
from quarterdeck.connectors.gitlab.pipelines import (
    ci_run_record,
    is_finished,
    job_record,
    pipeline_details,
    pipeline_items,
    pipeline_jobs,
    run_id,
)
from quarterdeck.core.errors import ConfigError
from quarterdeck.ingest.source_sync import (
    RecordProblem,
    SyncContext,
    SyncResult,
    convert,
    cursor_before_problems,
    load_delivery_records,
    resource_sync,
    shown_url,
    store_problems,
    stored_cursor,
    upsert,
    write_cursor,
)
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.store import Warehouse

SOURCE = "gitlab"


def sync_gitlab(
    warehouse: Warehouse, settings: Settings, source: SourceConfig, context: SyncContext
) -> list[SyncResult]:
    """Every configured project of one GitLab connection."""
    projects = [project_of(entry, source.where()) for entry in source.scopes]
    if not projects:
        raise ConfigError(f"{source.where()}: a gitlab source needs 'projects:' (full paths such as group/name)")
    results: list[SyncResult] = []
    with gitlab_client(source.base_url, source.token(), on_wait=context.on_wait) as client:
        for project in projects:
            for resource, sync in (
                ("merge_requests", partial(sync_merge_requests, warehouse, client, project, context)),
                ("pipelines", partial(sync_pipelines, warehouse, settings, client, project, context)),
                ("deployments", partial(sync_deployments, warehouse, settings, client, project, context)),
            ):  # one that fails stores nothing and keeps its cursor; the others are read
                results += resource_sync(warehouse, SOURCE, project.path, (resource,), sync)
    return results


def sync_merge_requests(warehouse: Warehouse, client: HttpClient, project: Project, context: SyncContext) -> SyncResult:
    """Sync one project's merge requests with their approvals, notes and commits."""
    result = SyncResult(SOURCE, project.path, "merge_requests")
    sent = client.requests
    before = stored_cursor(warehouse, SOURCE, project.path, "merge_requests")
    start = timestamp(before) if before else context.since
    stored = dict(
        warehouse.con.execute(
            "SELECT number, updated_at FROM pull_requests WHERE source = ? AND repository = ?", [SOURCE, project.path]
        ).fetchall()
    )
    items = list(merge_request_items(client, project, start))
    unchanged = [i for i in items if _stored_unchanged(i, stored)]
    changed = [i for i in items if not _stored_unchanged(i, stored)]

    done: list[MergeRequest] = []

    def read(item: dict[str, Any]) -> MergeRequest:
        done.append(read_merge_request(client, project, item))
        context.progress(f"GitLab {project.path} merge requests", len(unchanged) + len(done))
        return done[-1]

    found = convert(changed, read, _problem(project, "merge_requests", lambda i: f"!{i.get('iid')}"), result.problems)
    result.read, result.requests = len(items), client.requests - sent
    times = [m.pull["updated_at"] for m in found] + [timestamp(i["updated_at"]) for i in unchanged]
    newest = cursor_before_problems(max(times, default=None), result.problems)
    constants = {"source": SOURCE, "repository": project.path, "loaded_at": context.loaded_at}
    url = f"{shown_url(client.base_url)}/projects/{project.api_id}"
    with warehouse.transaction():
        pulls = [m.pull for m in found]
        result.stored = upsert(warehouse, "pull_requests", pulls, ("number",), {**constants, "repository_url": url})
        upsert(warehouse, "pr_reviews", [r for m in found for r in m.reviews], ("review_id",), constants)
        upsert(warehouse, "pr_events", [e for m in found for e in m.events], ("event_id",), constants)
        upsert(warehouse, "pr_comments", [c for m in found for c in m.comments], ("comment_id",), constants)
        upsert(warehouse, "pr_commits", [c for m in found for c in m.commits], ("number", "sha"), constants)
        store_problems(warehouse, SOURCE, project.path, "merge_requests", result.problems, context.loaded_at)
        if newest is not None and (start is None or newest >= start):
            result.cursor = newest.isoformat()
            write_cursor(warehouse, SOURCE, project.path, "merge_requests", result.cursor, context.loaded_at)
    result.cursor = result.cursor or before
    return result


def sync_pipelines(
    warehouse: Warehouse, settings: Settings, client: HttpClient, project: Project, context: SyncContext
) -> SyncResult:
    """Sync one project's finished pipelines into the CI runs (through the same loader as CI
    files), and their jobs into the CI jobs."""
    result = SyncResult(SOURCE, project.path, "pipelines")
    sent = client.requests
    cursor = stored_cursor(warehouse, SOURCE, project.path, "pipelines") or _since(context)
    items = list(pipeline_items(client, project, cursor))
    loaded = dict(
        warehouse.con.execute(
            "SELECT run_id, max(loaded_at) FROM ci_runs WHERE starts_with(run_id, ?) GROUP BY run_id",
            [run_id(project, "")],
        ).fetchall()
    )
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

    problem = _problem(project, "pipelines", lambda i: run_id(project, i.get("id")), "updated_at", "created_at")
    read_runs = [r for r in convert(items, read, problem, result.problems) if r is not None]
    context.progress(f"GitLab {project.path} pipelines", len(items))
    result.read = len(items)
    load_delivery_records(warehouse, settings, "ci_runs", [record for record, _ in read_runs], result)
    rejected = {p.record_id for p in result.problems}
    jobs = [j for record, run_jobs in read_runs if record["id"] not in rejected for j in run_jobs]
    times = {run_id(project, i.get("id")): changed_at(i) for i in items}
    result.cursor = _cursor(items, unfinished, result.problems, times) or cursor
    result.requests = client.requests - sent
    with warehouse.transaction():
        upsert(warehouse, "ci_jobs", jobs, ("job_id",), {"source": SOURCE, "loaded_at": context.loaded_at})
        store_problems(warehouse, SOURCE, project.path, "pipelines", result.problems, context.loaded_at)
        if result.cursor is not None:
            write_cursor(warehouse, SOURCE, project.path, "pipelines", result.cursor, context.loaded_at)
    return result


def sync_deployments(
    warehouse: Warehouse, settings: Settings, client: HttpClient, project: Project, context: SyncContext
) -> SyncResult:
    """Sync one project's finished deployments, through the same loader as deployment files."""
    result = SyncResult(SOURCE, project.path, "deployments")
    sent = client.requests
    cursor = stored_cursor(warehouse, SOURCE, project.path, "deployments") or _since(context)
    items = list(deployment_items(client, project, cursor))
    production = settings.production_environments[0] if settings.production_environments else "production"
    converted = convert(
        items,
        lambda item: (item, deployment_record(project, item, production)),
        _problem(project, "deployments", lambda i: deployment_id(project, i), "updated_at", "created_at"),
        result.problems,
    )
    context.progress(f"GitLab {project.path} deployments", len(items))
    result.read, result.requests = len(items), client.requests - sent
    load_delivery_records(warehouse, settings, "deployments", [r for _, r in converted if r is not None], result)
    unfinished = [item for item, record in converted if record is None and item.get("status") != "skipped"]
    times = {deployment_id(project, i): changed_at(i) for i in items}
    result.cursor = _cursor(items, unfinished, result.problems, times) or cursor
    with warehouse.transaction():
        store_problems(warehouse, SOURCE, project.path, "deployments", result.problems, context.loaded_at)
        if result.cursor is not None:
            write_cursor(warehouse, SOURCE, project.path, "deployments", result.cursor, context.loaded_at)
    return result


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


def _problem(project: Project, resource: str, record_id: Any, *time_fields: str):
    """Make the problem of an item that could not be converted, with its id and update time."""
    fields = time_fields or ("updated_at",)

    def problem(item: Any, why: str) -> RecordProblem:
        if not isinstance(item, dict):
            return RecordProblem(SOURCE, project.path, resource, "", why)
        at = next((item.get(f) for f in fields if item.get(f)), None)
        try:
            when = timestamp(str(at)) if at else None
        except ValueError:
            when = None
        return RecordProblem(SOURCE, project.path, resource, record_id(item), why, when)

    return problem
