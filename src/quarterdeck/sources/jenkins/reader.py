"""Reading Jenkins jobs incrementally: finished builds as CI runs, and the stages of
pipeline builds as CI jobs.

- **What is read.** Each configured job's builds, newest first, down to the job's cursor:
  the highest build number such that it and every build below it are finished and stored.
  A build still running, or one that could not be stored, keeps the cursor below it, so the
  next sync reads it again; builds above it that were stored are read again too (and
  replaced, unchanged). A multibranch pipeline stands for its branch jobs, each with its
  own cursor; the pipeline's own listing costs one request per sync.
- **Stages** are read once per pipeline build: when it is first stored (or when its stages
  could not all be stored last time).
- **Order of writes** (the pipeline's): builds go through the same loader as CI-run files;
  then stages, problems and the cursor are written in one transaction. A sync that stops
  half-way before that leaves the cursor where it was.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.jenkins.api import (
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
from quarterdeck.sources.reading import (
    Batch,
    Connection,
    Delivery,
    RecordProblem,
    Rows,
    StoredState,
    SyncResult,
    Unit,
    chained,
)


@dataclass(frozen=True)
class JobScope:
    """One configured job: its full name, and the repository its builds belong to (None:
    worked out from the name)."""

    job: str
    repository: str | None = None


@dataclass(frozen=True)
class Reading:
    """How builds are read: the client, page size, whether stages are, and the connection."""

    client: HttpClient
    page_size: int
    stages: bool
    connection: Connection

    @property
    def source(self) -> str:
        return self.connection.config.name


@contextmanager
def read_jenkins(connection: Connection) -> Iterator[Iterator[Unit]]:
    """Every configured job of one Jenkins connection, one unit per job (per branch job of a
    multibranch pipeline)."""
    config = connection.config
    scopes = job_scopes(config.scopes, config.where())
    options = {"page_size": 100, "stages": True, "user_env": "JENKINS_USER", **config.options}
    token, user = config.token(), os.environ.get(options["user_env"]) or None
    if token and not user:
        raise ConfigError(
            f"{config.where()}: {config.token_env} is set but {options['user_env']} is not: Jenkins needs the user"
        )
    on_wait = connection.context.on_wait
    with jenkins_client(config.base_url or "", user, token, on_wait=on_wait) as client:
        reading = Reading(client, options["page_size"], options["stages"], connection)
        yield (unit for scope in scopes for unit in job_units(reading, scope))


def job_scopes(entries: tuple[Any, ...], where: str) -> list[JobScope]:
    """The ``jobs:`` of a source: full names, or mappings ``{job: NAME, repository: NAME}``."""
    scopes = []
    for entry in entries:
        job, repository = (entry.get("job"), entry.get("repository")) if isinstance(entry, dict) else (entry, None)
        if not isinstance(job, str) or not job.strip("/") or "//" in job:
            raise ConfigError(
                f"{where}: a job must be its full name, such as team/api or team/api/main, "
                f"or {{job: NAME, repository: NAME}}, not {entry!r}"
            )
        if repository is not None and not isinstance(repository, str):
            raise ConfigError(f"{where}: the repository of job {job!r} must be a name, not {repository!r}")
        scopes.append(JobScope(job.strip("/"), repository))
    return scopes


def job_units(reading: Reading, scope: JobScope) -> Iterator[Unit]:
    """One configured job: its builds, or, for a multibranch pipeline, each branch job's."""
    pages = job_pages(reading.client, scope.job, reading.page_size)
    first = next(pages)
    if not is_folder(first):
        repository = scope.repository or _default_repository(scope.job, first)
        yield _unit(reading, scope.job, repository, chained(first, pages))
        return
    for child in (c for c in first["jobs"] if isinstance(c, dict)):
        name = str(child.get("fullName") or f"{scope.job}/{child['name']}")
        repository = scope.repository or _last(scope.job if is_multibranch(first) else name)
        yield _unit(reading, name, repository, job_pages(reading.client, name, reading.page_size))


def _unit(reading: Reading, job: str, repository: str, pages: Iterator[dict[str, Any]]) -> Unit:
    return Unit(job, ("builds",), partial(read_builds, reading, job, repository, pages))


def read_builds(
    reading: Reading, job: str, repository: str, pages: Iterator[dict[str, Any]], state: StoredState
) -> Batch:
    """One job's new builds as CI runs, and their stages as CI jobs."""
    context = reading.connection.context
    result = SyncResult(reading.source, job, "builds")
    before = state.cursor("builds")
    since = context.since.timestamp() * 1000 if context.since and before is None else None
    builds = list(new_builds(pages, int(before) if before else 0, since))
    result.read = len(builds)
    context.progress(f"Jenkins {job} builds", len(builds))
    records, numbers, held = _run_records(job, repository, builds, result)
    stages, stage_problems = read_stages(reading, state, job, repository, builds, records)
    result.requests = reading.client.requests
    batch = Batch([result], delivery=[Delivery("ci_runs", list(records.values()), result)])

    def after_delivery(batch: Batch) -> None:
        stored = set(records) - {p.record_id for p in result.problems}
        refused = held | {numbers[p.record_id] for p in result.problems if p.record_id in numbers}
        refused |= {numbers[p.record_id.rsplit(":", 1)[0]] for p in stage_problems}
        cursor = _cursor(before, list(numbers.values()), refused)
        constants = {"source": reading.source, "loaded_at": context.loaded_at}
        batch.rows.append(Rows("ci_jobs", [s for s in stages if s["run_id"] in stored], constants))
        batch.problems.update(builds=list(result.problems), stages=stage_problems)
        batch.cursors["builds"] = cursor if cursor != before else None
        result.cursor = cursor
        result.problems += stage_problems

    batch.after_delivery = after_delivery
    return batch


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
    reading: Reading,
    state: StoredState,
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
    known = set(state.stored("ci_runs", "run_id", "run_id", run_id=ids)) if ids else set()
    retry = {record_id.rsplit(":", 1)[0] for record_id in state.problem_ids("stages")}
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


def _default_repository(job: str, listing: dict[str, Any]) -> str:
    """A job's last name; for a branch job of a multibranch pipeline, the pipeline's."""
    parts = job.split("/")
    return parts[-2] if is_branch_job(listing) and len(parts) > 1 else parts[-1]


def _last(job: str) -> str:
    return job.rsplit("/", 1)[-1]
