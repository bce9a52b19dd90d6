"""Reading a Bitbucket repository's pipelines (CI runs), their steps (CI jobs) and its
deployments, incrementally (see ``reader`` for the cursors)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from quarterdeck.core.errors import CredentialsRefused, SourceError
from quarterdeck.sources.bitbucket.api import (
    DEPLOY_UNFINISHED,
    UNDEPLOYED,
    deployment_items,
    deployment_record,
    deployment_status,
    job_record,
    pipeline_items,
    run_id,
    run_record,
    step_item,
    step_items,
    step_result,
    timestamp,
)
from quarterdeck.sources.reading import Batch, Delivery, RecordProblem, Rows, StoredState, SyncResult, why

if TYPE_CHECKING:
    from quarterdeck.sources.bitbucket.connection import Reading

_BAD = (KeyError, TypeError, ValueError, AttributeError)


def read_pipelines(reading: Reading, repository: str, state: StoredState) -> Batch:
    """The pipelines created since the cursor as CI runs, with the steps of those newly
    finished as CI jobs."""
    context, client = reading.connection.context, reading.client
    first = client.requests
    runs, jobs_result = (
        SyncResult(reading.source, repository, "pipelines"),
        SyncResult(reading.source, repository, "steps"),
    )
    before = state.cursor("pipelines")
    start = timestamp(before) if before else context.since
    items = list(_down_to(pipeline_items(client, repository, reading.page_size), start, _created))
    runs.read = len(items)
    context.progress(f"Bitbucket {repository} pipelines", len(items))
    finished, held = _finished(reading, repository, items, runs)
    stored = state.stored("ci_runs", "run_id", "finished_at", run_id=list(finished)) if finished else {}
    records, jobs, created = [], [], {}
    for rid, item in finished.items():
        if rid in stored and stored[rid] == timestamp(item.get("completed_on")):
            continue  # stored finished, with its steps
        found = _run_and_jobs(reading, repository, item, runs, jobs_result)
        if found is None:
            held.append(_created(item))
            continue
        records.append(found[0])
        jobs += found[1]
        created[rid] = _created(item)
    runs.requests = client.requests - first
    batch = Batch([runs, jobs_result], delivery=[Delivery("ci_runs", records, runs)])

    def after_delivery(batch: Batch) -> None:
        refused = {p.record_id for p in runs.problems}
        cursor = _cursor([_created(i) for i in items], held + [created[r] for r in refused if r in created], before)
        constants = {"source": reading.source, "loaded_at": context.loaded_at}
        batch.rows.append(Rows("ci_jobs", [j for j in jobs if j["run_id"] not in refused], constants, jobs_result))
        batch.problems.update(pipelines=list(runs.problems), steps=list(jobs_result.problems))
        batch.cursors["pipelines"] = cursor if cursor != before else None
        runs.cursor = cursor

    batch.after_delivery = after_delivery
    return batch


def _finished(
    reading: Reading, repository: str, items: list[dict[str, Any]], result: SyncResult
) -> tuple[dict[str, dict[str, Any]], list[datetime | None]]:
    """The finished pipelines by run id, and the creation of those that hold the cursor
    (still running, or not understood: a problem of ``result``)."""
    finished: dict[str, dict[str, Any]] = {}
    held: list[datetime | None] = []
    for item in items:
        try:
            done = step_result(item) is not None
            rid = run_id(repository, str(item["uuid"]))
        except _BAD as exc:
            result.problems.append(
                _problem(reading, repository, "pipelines", _uuid(item, f"bitbucket:{repository}:pipeline:"), exc)
            )
            held.append(_created(item))
            continue
        if done:
            finished[rid] = item
        else:
            held.append(_created(item))
    return finished, held


def _run_and_jobs(
    reading: Reading, repository: str, item: dict[str, Any], runs: SyncResult, jobs_result: SyncResult
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """A finished pipeline's CI run and its steps' CI jobs; None (and problems) when the run or
    one of its steps cannot be stored: the run is then held back, to be read again."""
    uuid, name = str(item["uuid"]), repository.split("/", 1)[1]
    steps = step_items(reading.client, repository, uuid, reading.page_size)
    jobs_result.read += len(steps)
    jobs, failed = [], False
    for step in steps:
        try:
            job = job_record(repository, name, uuid, step)
        except _BAD as exc:
            jobs_result.problems.append(
                _problem(reading, repository, "steps", _uuid(step, f"bitbucket:{repository}:step:"), exc)
            )
            failed = True
            continue
        if job is not None:
            jobs.append(job)
    try:
        record = run_record(repository, name, item, steps)
    except _BAD as exc:
        runs.problems.append(_problem(reading, repository, "pipelines", run_id(repository, uuid), exc))
        return None
    return None if failed else (record, jobs)


def read_deployments(reading: Reading, repository: str, state: StoredState) -> Batch:
    """The deployments started since the cursor; those completed are stored."""
    context, client = reading.connection.context, reading.client
    first = client.requests
    result = SyncResult(reading.source, repository, "deployments")
    before = state.cursor("deployments")
    start = timestamp(before) if before else context.since
    items = list(_down_to(deployment_items(client, repository, reading.page_size), start, _started))
    result.read = len(items)
    context.progress(f"Bitbucket {repository} deployments", len(items))
    results = _step_results(reading, repository, items, state)
    records, held, started = [], [], {}
    name, service = repository.split("/", 1)[1], reading.service(repository)
    for item in items:
        record_id = _uuid(item, f"bitbucket:{repository}:")
        try:
            found = _deployment_result(reading, repository, item, results)
            if found == "waiting":
                held.append(_started(item))
            elif found is not None:
                records.append(deployment_record(repository, name, service, item, found))
                started[records[-1]["id"]] = _started(item)
        except _BAD as exc:
            result.problems.append(_problem(reading, repository, "deployments", record_id, exc))
            held.append(_started(item))
    result.requests = client.requests - first
    batch = Batch([result], delivery=[Delivery("deployments", records, result)])

    def after_delivery(batch: Batch) -> None:
        refused = [started[p.record_id] for p in result.problems if p.record_id in started]
        cursor = _cursor([_started(i) for i in items], held + refused, before)
        batch.problems["deployments"] = list(result.problems)
        batch.cursors["deployments"] = cursor if cursor != before else None
        result.cursor = cursor

    batch.after_delivery = after_delivery
    return batch


def _deployment_result(reading: Reading, repository: str, item: dict[str, Any], results: dict[str, str]) -> Any:
    """A deployment's result; "waiting" while it runs; None when it never deployed."""
    name = str(item["state"]["name"])
    if name == UNDEPLOYED:
        return None
    if name in DEPLOY_UNFINISHED:
        return "waiting"
    if name != "COMPLETED":
        raise ValueError(f"unknown deployment state {name!r}")
    found = deployment_status(item)
    if found is None:
        step = str(item["step"]["uuid"])
        found = results.get(step)
        if found is None:
            pipeline = str(item["release"]["pipeline"]["uuid"])
            found = step_result(_step(reading, repository, pipeline, step)) or "waiting"
    return None if found == "skipped" else found


def _step(reading: Reading, repository: str, pipeline: str, step: str) -> dict[str, Any]:
    """The step that ran a deployment; one Bitbucket will not give (deleted with its pipeline,
    out of the token's reach) makes the deployment a problem, not the whole listing fail."""
    try:
        return step_item(reading.client, repository, pipeline, step)
    except CredentialsRefused:
        raise
    except SourceError as exc:
        raise ValueError(f"its step {step} could not be read: {exc}") from None


def _step_results(reading: Reading, repository: str, items: list[dict[str, Any]], state: StoredState) -> dict[str, str]:
    """The stored result of each step that ran a deployment, by the step's uuid."""
    steps = {}
    for item in items:
        uuid = (item.get("step") or {}).get("uuid") if isinstance(item, dict) else None
        if uuid:
            steps[f"bitbucket:{repository}:step:{uuid}"] = str(uuid)
    if not steps:
        return {}
    stored = state.stored("ci_jobs", "job_id", "result", job_id=list(steps))
    return {steps[job_id]: result for job_id, result in stored.items()}


def _down_to(items: Iterator[dict[str, Any]], start: datetime | None, time_of: Any) -> Iterator[dict[str, Any]]:
    """Items of a newest-first listing down to ``start`` (those at it included); no further
    page is asked for once one older is reached. Items whose time cannot be read are passed on."""
    for item in items:
        at = time_of(item)
        if start is not None and at is not None and at < start:
            return
        yield item


def _cursor(read: list[datetime | None], held: list[datetime | None], before: str | None) -> str | None:
    """The oldest time still held (running, not stored), else the newest read; the cursor
    stays when nothing was read or a held item's time is unknown."""
    if any(t is None for t in held):
        return before
    known = [t for t in read if t is not None]
    cursor = min(held) if held else max(known, default=None)  # type: ignore[type-var]  (no None left)
    return cursor.isoformat() if cursor is not None else before


def _created(item: Any) -> datetime | None:
    return _time(lambda: item["created_on"])


def _started(item: Any) -> datetime | None:
    return _time(lambda: item["state"]["started_on"])


def _time(read: Any) -> datetime | None:
    try:
        return timestamp(read())
    except _BAD:
        return None


def _uuid(item: Any, prefix: str) -> str:
    uuid = item.get("uuid") if isinstance(item, dict) else None
    return f"{prefix}{uuid}" if uuid else ""


def _problem(reading: Reading, repository: str, resource: str, record_id: str, exc: Exception) -> RecordProblem:
    return RecordProblem(reading.source, repository, resource, record_id, why(exc))
