"""Reading CircleCI projects incrementally: finished workflows as CI runs, their jobs as CI jobs.

- **What is read.** Each configured project's pipelines, newest first, down to the
  project's cursor: the highest pipeline number such that it and every pipeline below it
  are finished and stored. A pipeline still being set up, one with a workflow still
  running (or on hold), or one that could not be stored keeps the cursor below it, so the
  next sync reads it again; pipelines above it are read again too, but their workflows
  stored already are neither asked for their jobs nor stored again.
- **Errored pipelines** (a config that could not be fetched or compiled) have no workflow:
  they are read, nothing of them is stored, and they do not hold the cursor.
- **Jobs** of a workflow are read when the workflow is first stored: its start is its first
  job's. A job that cannot be understood is a problem of ``jobs``, and its workflow is not
  stored (its start would be uncertain): the next sync reads both again.
- **Order of writes** (the pipeline's): workflows go through the same loader as CI-run files;
  then jobs, problems and the cursor are written in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.circleci import PROJECT_EXPECTED, is_project
from quarterdeck.sources.circleci.api import (
    PIPELINE_PENDING,
    NoResultYet,
    circleci_client,
    job_id,
    job_record,
    jobs,
    moment,
    pipelines,
    repository_of,
    run_id,
    run_record,
    short_slug,
    workflows,
)
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.reading import (
    Batch,
    Connection,
    Delivery,
    RecordProblem,
    Rows,
    StoredState,
    SyncResult,
    Unit,
)


@dataclass(frozen=True)
class ProjectScope:
    """One configured project: its slug (short form), and the repository its runs belong
    to (None: the repository each pipeline built)."""

    slug: str
    repository: str | None = None


@dataclass(frozen=True)
class Reading:
    client: HttpClient
    connection: Connection

    @property
    def source(self) -> str:
        return self.connection.config.name


@dataclass
class Found:
    """What the pipelines read hold: CI-run records (by id) with their jobs, the pipeline
    number of each run, the numbers of every pipeline read and of those held back."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: list[dict[str, Any]] = field(default_factory=list)
    job_problems: list[RecordProblem] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)
    read: list[int] = field(default_factory=list)
    held: set[int] = field(default_factory=set)


@contextmanager
def read_circleci(connection: Connection) -> Iterator[Iterator[Unit]]:
    """Every configured project of one CircleCI connection, one unit per project."""
    config = connection.config
    scopes = project_scopes(config.scopes, config.where())
    on_wait = connection.context.on_wait
    with circleci_client(config.base_url or "", config.token(), on_wait=on_wait) as client:
        reading = Reading(client, connection)
        yield (Unit(s.slug, ("pipelines",), partial(read_project, reading, s)) for s in scopes)


def project_scopes(entries: tuple[Any, ...], where: str) -> list[ProjectScope]:
    """The ``projects:`` of a source, each slug in its short form (``gh/...``)."""
    scopes = []
    for entry in entries:
        if not is_project(entry):
            raise ConfigError(f"{where}: a project must be {PROJECT_EXPECTED}, not {entry!r}")
        slug, repository = (entry["project"], entry.get("repository")) if isinstance(entry, dict) else (entry, None)
        scopes.append(ProjectScope(short_slug(slug), repository))
    return scopes


def read_project(reading: Reading, scope: ProjectScope, state: StoredState) -> Batch:
    """One project's new pipelines: their finished workflows as CI runs, with their jobs."""
    context = reading.connection.context
    result = SyncResult(reading.source, scope.slug, "pipelines")
    before = state.cursor("pipelines")
    since = context.since if context.since and before is None else None
    found_pipelines = list(new_pipelines(pipelines(reading.client, scope.slug), int(before or 0), since))
    result.read = len(found_pipelines)
    context.progress(f"CircleCI {scope.slug} pipelines", len(found_pipelines))
    found = Found()
    for pipeline in found_pipelines:
        read_pipeline(reading, scope, pipeline, found, result)
    known = set(state.stored("ci_runs", "run_id", "run_id", run_id=list(found.records))) if found.records else set()
    for rid in known:
        del found.records[rid]
    read_jobs(reading, scope, found, result)
    result.requests = reading.client.requests
    batch = Batch([result], delivery=[Delivery("ci_runs", list(found.records.values()), result)])

    def after_delivery(batch: Batch) -> None:
        refused = {p.record_id for p in result.problems}
        stored = set(found.records) - refused
        held = found.held | {found.numbers[r] for r in refused if r in found.numbers}
        cursor = _cursor(before, found.read, held)
        constants = {"source": reading.source, "loaded_at": context.loaded_at}
        batch.rows.append(Rows("ci_jobs", [j for j in found.jobs if j["run_id"] in stored], constants))
        batch.problems.update(pipelines=list(result.problems), jobs=found.job_problems)
        batch.cursors["pipelines"] = cursor if cursor != before else None
        result.cursor = cursor
        result.problems += found.job_problems

    batch.after_delivery = after_delivery
    return batch


def new_pipelines(items: Iterator[dict[str, Any]], cursor: int, since: datetime | None) -> Iterator[dict[str, Any]]:
    """Pipelines above the cursor (and, on a first sync with a start day, created since it),
    newest first; no further page is asked for once one is reached that is not."""
    for pipeline in items:
        number = pipeline.get("number")
        if isinstance(number, int) and not isinstance(number, bool) and number <= cursor:
            return
        if since is not None and _created(pipeline) is not None and _created(pipeline) < since:
            return
        yield pipeline


def read_pipeline(
    reading: Reading, scope: ProjectScope, pipeline: dict[str, Any], found: Found, result: SyncResult
) -> None:
    """The finished workflows of one pipeline as CI-run records (their start still unknown);
    a pipeline being set up, or with a workflow still running or not understood, is held."""
    number = pipeline.get("number")
    if not isinstance(number, int) or isinstance(number, bool):
        problem = f"pipeline number {number!r} is not a whole number"
        result.problems.append(_problem(result, f"circleci:{scope.slug}:pipeline:{pipeline.get('id', '')}", problem))
        found.held.add(0)  # the cursor stays where it was: where this pipeline lies is unknown
        return
    found.read.append(number)
    state = pipeline.get("state")
    if state in PIPELINE_PENDING:
        found.held.add(number)
        return
    if state == "errored":
        return  # no workflow was made: nothing to store
    repository = scope.repository or repository_of(scope.slug, pipeline)
    for workflow in workflows(reading.client, str(pipeline["id"])):
        rid = run_id(scope.slug, workflow)
        try:
            record = run_record(scope.slug, repository, pipeline, workflow)
        except NoResultYet:
            found.held.add(number)
            continue
        except (KeyError, TypeError, ValueError) as exc:
            result.problems.append(_problem(result, rid, _why(exc)))
            found.held.add(number)
            continue
        found.records[rid], found.numbers[rid] = record, number


def read_jobs(reading: Reading, scope: ProjectScope, found: Found, result: SyncResult) -> None:
    """The jobs of each workflow to store: they give its start. A job not understood is a
    problem, and its workflow is held back with its pipeline."""
    for rid in list(found.records):
        record = found.records[rid]
        workflow_id = rid.rsplit(":", 1)[1]
        records, problems = [], []
        for job in jobs(reading.client, workflow_id):
            try:
                records.append(job_record(scope.slug, record["repository"], rid, job))
            except NoResultYet:
                continue  # blocked by a failed job, or retried: it never ran in this workflow
            except (KeyError, TypeError, ValueError) as exc:
                problems.append(RecordProblem(result.source, scope.slug, "jobs", job_id(scope.slug, job), _why(exc)))
        if problems:
            found.job_problems += problems
            found.held.add(found.numbers.pop(rid))
            del found.records[rid]
            continue
        starts = [j["started_at"] for j in records if j["started_at"] is not None]
        record["started_at"] = min(starts).isoformat() if starts else None
        found.jobs += records


def _cursor(before: str | None, numbers: list[int], held: set[int]) -> str | None:
    """The highest pipeline number read with it and every pipeline below it finished and
    stored (else the cursor the sync started from)."""
    below = [n for n in numbers if not held or n < min(held)]
    highest = max(below, default=0)
    return str(highest) if highest > int(before or 0) else before


def _created(pipeline: dict[str, Any]) -> datetime | None:
    try:
        return moment(pipeline.get("created_at"))
    except (TypeError, ValueError):
        return None


def _problem(result: SyncResult, record_id: str, problem: str) -> RecordProblem:
    return RecordProblem(result.source, result.scope, result.resource, record_id, problem)


def _why(exc: Exception) -> str:
    return f"missing field {exc.args[0]!r}" if isinstance(exc, KeyError) else str(exc)
