"""Ingesting Jenkins jobs incrementally: finished builds as CI runs, and the stages of
pipeline builds as CI jobs.

- **What is read.** Each configured job's builds, newest first, down to the job's cursor:
  the highest build number such that it and every build below it are finished and stored.
  A build still running, or one that could not be stored, keeps the cursor below it, so the
  next sync reads it again; builds above it that were stored are read again too (and
  replaced, unchanged). A multibranch pipeline stands for its branch jobs, each with its
  own cursor; the pipeline's own listing costs one request per sync.
- **Stages** are read once per pipeline build: when it is first stored (or when its stages
  could not all be stored last time).
- **Order of writes.** Builds go through the same loader as CI-run files; then stages,
  problems and the cursor are written in one transaction. A sync that stops half-way (an
  error, Ctrl-C) before that leaves the cursor where it was: the next sync reads the same
  builds again, and rows keyed by id are replaced, never doubled.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from quarterdeck.config import Settings
from quarterdeck.config.sources import SourceConfig
from quarterdeck.connectors.http.client import HttpClient
from quarterdeck.connectors.jenkins import (
    build_record,
    is_branch_job,
    is_finished,
    is_folder,
    is_multibranch,
    is_pipeline,
    jenkins_client,
    job_pages,
    stage_items,
    stage_record,
)
from quarterdeck.core.errors import ConfigError
from quarterdeck.ingest.source_sync import (
    RecordProblem,
    SyncContext,
    SyncResult,
    load_delivery_records,
    store_problems,
    stored_cursor,
    upsert,
    write_cursor,
)
from quarterdeck.store import Warehouse

OPTIONS = {"user_env", "page_size", "stages"}
DEFAULT_USER_ENV = "JENKINS_USER"


@dataclass(frozen=True)
class JobScope:
    """One configured job: its full name, and the repository its builds belong to (None:
    worked out from the name)."""

    job: str
    repository: str | None = None


@dataclass(frozen=True)
class Reading:
    """How builds are read: page size, whether stages are, and where the sync stands."""

    client: HttpClient
    page_size: int
    stages: bool
    context: SyncContext
    source: str


def sync_jenkins(
    warehouse: Warehouse, settings: Settings, source: SourceConfig, context: SyncContext
) -> list[SyncResult]:
    """Every configured job of one Jenkins connection."""
    scopes = job_scopes(source)
    page_size, stages, user_env = _options(source)
    token, user = source.token(), os.environ.get(user_env) or None
    if token and not user:
        raise ConfigError(f"{source.where()}: {source.token_env} is set but {user_env} is not: Jenkins needs the user")
    results: list[SyncResult] = []
    with jenkins_client(source.base_url or "", user, token, on_wait=context.on_wait) as client:
        reading = Reading(client, page_size, stages, context, source.name)
        for scope in scopes:
            results += sync_job(warehouse, settings, reading, scope)
    return results


def job_scopes(source: SourceConfig) -> list[JobScope]:
    """The ``jobs:`` of a source: full names, or mappings ``{job: NAME, repository: NAME}``."""
    scopes = []
    for entry in source.scopes:
        job, repository = (entry.get("job"), entry.get("repository")) if isinstance(entry, dict) else (entry, None)
        if not isinstance(job, str) or not job.strip("/") or "//" in job:
            raise ConfigError(
                f"{source.where()}: a job must be its full name, such as team/api or team/api/main, "
                f"or {{job: NAME, repository: NAME}}, not {entry!r}"
            )
        if repository is not None and not isinstance(repository, str):
            raise ConfigError(f"{source.where()}: the repository of job {job!r} must be a name, not {repository!r}")
        scopes.append(JobScope(job.strip("/"), repository))
    return scopes


def sync_job(warehouse: Warehouse, settings: Settings, reading: Reading, scope: JobScope) -> list[SyncResult]:
    """One configured job: its builds, or, for a multibranch pipeline, each branch job's."""
    pages = job_pages(reading.client, scope.job, reading.page_size)
    first = next(pages)
    if not is_folder(first):
        repository = scope.repository or _default_repository(scope.job, first)
        return [sync_builds(warehouse, settings, reading, scope.job, repository, _chain(first, pages))]
    results = []
    for child in (c for c in first["jobs"] if isinstance(c, dict)):
        name = str(child.get("fullName") or f"{scope.job}/{child['name']}")
        repository = scope.repository or _last(scope.job if is_multibranch(first) else name)
        child_pages = job_pages(reading.client, name, reading.page_size)
        results.append(sync_builds(warehouse, settings, reading, name, repository, child_pages))
    return results


def sync_builds(
    warehouse: Warehouse,
    settings: Settings,
    reading: Reading,
    job: str,
    repository: str,
    pages: Iterator[dict[str, Any]],
) -> SyncResult:
    """Sync one job's new builds into the CI runs, and their stages into the CI jobs."""
    source, at = reading.source, reading.context.loaded_at
    result = SyncResult(source, job, "builds")
    before = stored_cursor(warehouse, source, job, "builds")
    since = reading.context.since.timestamp() * 1000 if reading.context.since and before is None else None
    builds = list(new_builds(pages, int(before) if before else 0, since))
    result.read = len(builds)
    reading.context.progress(f"Jenkins {job} builds", len(builds))
    records, numbers, held = _run_records(job, repository, builds, result)
    stages, stage_problems = read_stages(warehouse, reading, job, repository, builds, records)
    load_delivery_records(warehouse, settings, "ci_runs", list(records.values()), result)
    result.requests = reading.client.requests
    stored = set(records) - {p.record_id for p in result.problems}
    held |= {numbers[p.record_id] for p in result.problems if p.record_id in numbers}
    held |= {numbers[p.record_id.rsplit(":", 1)[0]] for p in stage_problems}
    result.cursor = _cursor(before, list(numbers.values()), held)
    with warehouse.transaction():
        rows = [s for s in stages if s["run_id"] in stored]
        upsert(warehouse, "ci_jobs", rows, ("job_id",), {"source": source, "loaded_at": at})
        store_problems(warehouse, source, job, "builds", result.problems, at)
        store_problems(warehouse, source, job, "stages", stage_problems, at)
        if result.cursor is not None and result.cursor != before:
            write_cursor(warehouse, source, job, "builds", result.cursor, at)
    result.problems += stage_problems
    return result


def new_builds(pages: Iterator[dict[str, Any]], cursor: int, since_millis: float | None) -> Iterator[dict[str, Any]]:
    """Builds above the cursor (and, on a first sync with a start day, started since it),
    newest first; no further page is asked for once one is reached that is not."""
    for page in pages:
        for build in page.get("allBuilds") or []:
            if not isinstance(build, dict):
                continue
            number, started = build.get("number"), build.get("timestamp")
            if isinstance(number, int) and number <= cursor:
                return
            if since_millis is not None and isinstance(started, int | float) and started < since_millis:
                return
            yield build


def read_stages(
    warehouse: Warehouse,
    reading: Reading,
    job: str,
    repository: str,
    builds: list[dict[str, Any]],
    records: dict[str, dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[RecordProblem]]:
    """The stages of the pipeline builds not stored before (or whose stages were not all)."""
    if not reading.stages:
        return [], []
    wanted = [b for b in builds if is_pipeline(b) and f"jenkins:{job}:{b.get('number')}" in records]
    ids = [f"jenkins:{job}:{b['number']}" for b in wanted]
    rows = warehouse.con.execute("SELECT run_id FROM ci_runs WHERE list_contains(?, run_id)", [ids]).fetchall()
    known = {r[0] for r in rows}
    retry = _runs_with_stage_problems(warehouse, reading.source, job)
    stages: list[dict[str, Any]] = []
    problems: list[RecordProblem] = []
    for build, run_id in zip(wanted, ids, strict=True):
        if run_id in known and run_id not in retry:
            continue
        for item in stage_items(reading.client, job, build["number"]):
            try:
                stages.append(stage_record(job, repository, build["number"], item))
            except (KeyError, TypeError, ValueError) as exc:
                stage_id = f"{run_id}:{item.get('id', '')}"
                problems.append(RecordProblem(reading.source, job, "stages", stage_id, _why(exc)))
    return stages, problems


def _run_records(
    job: str, repository: str, builds: list[dict[str, Any]], result: SyncResult
) -> tuple[dict[str, dict[str, Any]], dict[str, int], set[int]]:
    """The CI-run records of the finished builds by id, the build number of each id, and the
    numbers of the builds not stored: unfinished, or not understood (a problem of ``result``)."""
    records: dict[str, dict[str, Any]] = {}
    numbers: dict[str, int] = {}
    held: set[int] = set()
    for build in builds:
        number = build.get("number")
        if isinstance(number, int) and not is_finished(build):
            held.add(number)
            continue
        try:
            record = build_record(job, repository, build)
        except (KeyError, TypeError, ValueError) as exc:
            result.problems.append(RecordProblem(result.source, job, "builds", f"jenkins:{job}:{number}", _why(exc)))
            if isinstance(number, int):
                held.add(number)
            continue
        records[record["id"]], numbers[record["id"]] = record, int(number)
    return records, numbers, held


def _cursor(before: str | None, numbers: list[int], held: set[int]) -> str | None:
    """The highest build number read with it and every build below it finished and stored
    (else the cursor the sync started from)."""
    below = [n for n in numbers if not held or n < min(held)]
    highest = max(below, default=0)
    return str(highest) if highest > int(before or 0) else before


def _why(exc: Exception) -> str:
    return f"missing field {exc.args[0]!r}" if isinstance(exc, KeyError) else str(exc)


def _runs_with_stage_problems(warehouse: Warehouse, source: str, job: str) -> set[str]:
    rows = warehouse.con.execute(
        "SELECT record_id FROM source_problems WHERE source = ? AND scope = ? AND resource = 'stages'",
        [source, job],
    ).fetchall()
    return {r[0].rsplit(":", 1)[0] for r in rows}


def _default_repository(job: str, listing: dict[str, Any]) -> str:
    """A job's last name; for a branch job of a multibranch pipeline, the pipeline's."""
    parts = job.split("/")
    return parts[-2] if is_branch_job(listing) and len(parts) > 1 else parts[-1]


def _last(job: str) -> str:
    return job.rsplit("/", 1)[-1]


def _chain(first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest


def _options(source: SourceConfig) -> tuple[int, bool, str]:
    unknown = sorted(set(source.options) - OPTIONS)
    if unknown:
        raise ConfigError(
            f"{source.where()}: unknown option(s) {', '.join(unknown)} (known: {', '.join(sorted(OPTIONS))})"
        )
    page_size = source.options.get("page_size", 100)
    if not isinstance(page_size, int) or isinstance(page_size, bool) or page_size < 1:
        raise ConfigError(f"{source.where()}: 'page_size' must be a whole number of builds, such as 100")
    stages = source.options.get("stages", True)
    if not isinstance(stages, bool):
        raise ConfigError(f"{source.where()}: 'stages' must be true or false")
    user_env = source.options.get("user_env", DEFAULT_USER_ENV)
    if not isinstance(user_env, str) or not user_env:
        raise ConfigError(f"{source.where()}: 'user_env' must name an environment variable, such as JENKINS_USER")
    return page_size, stages, user_env
