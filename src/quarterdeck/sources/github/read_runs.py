"""Reading a GitHub repository's Actions runs as CI runs, and their jobs as CI jobs.

Runs are read by creation time from the runs cursor: the creation time of the oldest run
still unfinished (else of the newest run), so an unfinished run is read again until it has
a result. The jobs of a run are read once, when the run is first stored finished (or stored
again with another finish time, after a re-run): a second sync with nothing new asks for no
jobs. Everything is read before anything is written; then the jobs are stored, then the runs
(through the same loader and checks as CI files), then the cursors. A sync stopped half-way
leaves the runs unstored, so the next one reads them, and their jobs, again.

A run with a job that cannot be stored (an unknown conclusion) is held back with it: its
other jobs are stored, the run is not, and the runs cursor stays at or before its creation,
so the next sync asks for its jobs again.
"""

from __future__ import annotations

from typing import Any

from quarterdeck.sources.github.actions import ci_job_record, ci_run_record, job_items, workflow_runs
from quarterdeck.sources.github.common import Reading, problem_for
from quarterdeck.sources.github.pulls import timestamp
from quarterdeck.sources.reading import Batch, Delivery, Rows, StoredState, SyncResult, convert


def read_workflow_runs(reading: Reading, repository: str, state: StoredState) -> Batch:
    """A repository's finished Actions runs as CI runs, and the jobs of those newly finished
    as CI jobs."""
    client, context, first = reading.client, reading.context, reading.client.requests
    result, jobs_result = reading.result(repository, "workflow_runs"), reading.result(repository, "ci_jobs")
    since = context.since.date().isoformat() if context.since else None
    runs = list(workflow_runs(client, repository, state.cursor("workflow_runs") or since))
    context.progress(f"GitHub {repository} workflow runs", len(runs))
    finished = {run["id"]: record for run in runs if (record := ci_run_record(repository, run)) is not None}
    held_back: set[Any] = set()
    jobs = []
    asked = _newly_finished(state, finished)
    for run_id in asked:
        problems_before = len(jobs_result.problems)
        jobs += _run_jobs(reading, repository, run_id, jobs_result)
        if len(jobs_result.problems) > problems_before:
            held_back.add(run_id)
    result.read, result.requests = len(runs), client.requests - first
    records = [record for run_id, record in finished.items() if run_id not in held_back]

    def after_delivery(batch: Batch) -> None:
        rejected = {p.record_id for p in result.problems}
        waiting = [run["created_at"] for run in runs if run["id"] not in finished or run["id"] in held_back]
        waiting += [run["created_at"] for run in runs if finished.get(run["id"], {}).get("id") in rejected]
        newest = max((run["created_at"] for run in runs), default=None)
        result.cursor = min(waiting) if waiting else newest
        done = set(asked) - held_back  # runs whose jobs are all stored
        jobs_result.cursor = state.cursor("ci_jobs")
        if done:
            jobs_result.cursor = max(run["created_at"] for run in runs if run["id"] in done)
        batch.cursors.update(workflow_runs=result.cursor, ci_jobs=jobs_result.cursor if done else None)

    return Batch(
        [result, jobs_result],
        rows=[Rows("ci_jobs", jobs, reading.constants(), jobs_result, before_delivery=True)],
        delivery=[Delivery("ci_runs", records, result)],
        problems={"ci_jobs": jobs_result.problems},
        after_delivery=after_delivery,
    )


def _newly_finished(state: StoredState, finished: dict[Any, dict[str, Any]]) -> list[Any]:
    """The runs among ``finished`` not stored yet with the same finish time: those whose jobs
    have not been read."""
    if not finished:
        return []
    stored = state.stored("ci_runs", "run_id", "finished_at", run_id=[record["id"] for record in finished.values()])
    return [
        run_id
        for run_id, record in finished.items()
        if record["id"] not in stored or stored[record["id"]] != timestamp(record["finished_at"])
    ]


def _run_jobs(reading: Reading, repository: str, run_id: Any, result: SyncResult) -> list[dict[str, Any]]:
    items = list(job_items(reading.client, repository, run_id))
    result.read += len(items)
    problem = problem_for(
        reading.source, repository, "ci_jobs", lambda item: f"run {run_id} job {item['id']}", "completed_at"
    )
    records = convert(items, lambda job: ci_job_record(repository, run_id, job), problem, result.problems)
    return [record for record in records if record is not None]
