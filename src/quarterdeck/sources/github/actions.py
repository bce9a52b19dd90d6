"""GitHub Actions workflow runs, as CI runs (the records of ``quarterdeck ingest ci-runs``).

A run is queued when it was created, starts at ``run_started_at`` and finishes when it
completed (its last update then). Its conclusion becomes the CI result: success; failure
(also timed_out and startup_failure); cancelled (also stale); skipped (also neutral).
Runs still queued or in progress, and those waiting for approval (action_required), have no
result yet: they are left for a later sync.

A run's jobs are CI jobs: queued when created (``created_at``; older GitHub versions do not
send it, and the queue time is then unknown), started and completed as GitHub says, with the
runner's name and a result mapped like the run's. A job not completed when its run is has no
result and is not stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from quarterdeck.sources.github.pulls import timestamp
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import link_header

RESULTS = {
    "success": "success",
    "failure": "failure",
    "timed_out": "failure",
    "startup_failure": "failure",
    "cancelled": "cancelled",
    "stale": "cancelled",
    "skipped": "skipped",
    "neutral": "skipped",
}


def workflow_runs(client: HttpClient, repository: str, created_since: str | None) -> Iterator[dict[str, Any]]:
    """The repository's runs created on or after ``created_since`` (a date or ISO time), newest first."""
    params: dict[str, Any] = {"per_page": 100}
    if created_since:
        params["created"] = f">={created_since}"
    for page in client.pages(f"repos/{repository}/actions/runs", params, link_header):
        yield from client.items(page, "workflow_runs", objects=True)


def ci_run_record(repository: str, run: dict[str, Any]) -> dict[str, Any] | None:
    """The CI-run record of a finished run (None while it has no result)."""
    result = RESULTS.get(str(run.get("conclusion") or "").lower())
    if str(run.get("status", "")).lower() != "completed" or result is None:
        return None
    return {
        "id": f"github:{repository}:{run['id']}",
        "repository": repository.split("/", 1)[1],
        "workflow": run.get("name") or str(run.get("workflow_id")),
        "commit_sha": run.get("head_sha"),
        "queued_at": run.get("created_at"),
        "started_at": run.get("run_started_at"),
        "finished_at": run.get("updated_at"),
        "result": result,
    }


def job_items(client: HttpClient, repository: str, run_id: Any) -> Iterator[dict[str, Any]]:
    """The jobs of one run (of its latest attempt)."""
    for page in client.pages(f"repos/{repository}/actions/runs/{run_id}/jobs", {"per_page": 100}, link_header):
        yield from client.items(page, "jobs")


def ci_job_record(repository: str, run_id: Any, job: dict[str, Any]) -> dict[str, Any] | None:
    """The CI-job record of a completed job (None while it runs); an unknown conclusion raises
    ValueError."""
    if str(job.get("status", "")).lower() != "completed":
        return None
    conclusion = str(job.get("conclusion") or "").lower()
    if conclusion not in RESULTS:
        raise ValueError(f"unknown conclusion {job.get('conclusion')!r}")
    return {
        "job_id": f"github:{repository}:job:{job['id']}",
        "run_id": f"github:{repository}:{run_id}",
        "repository": repository.split("/", 1)[1],
        "name": str(job["name"]),
        "queued_at": timestamp(job.get("created_at")),
        "started_at": timestamp(job.get("started_at")),
        "finished_at": timestamp(job.get("completed_at")),
        "result": RESULTS[conclusion],
        "runner": job.get("runner_name"),
    }
