"""GitLab pipelines as CI runs, and their jobs as CI jobs.

A pipeline is queued when it was created, starts at ``started_at`` and finishes at
``finished_at``; the pipeline listing has neither, so each finished pipeline is read once
more (``/pipelines/:id``). Its status becomes the CI result: success; failed -> failure;
canceled -> cancelled; skipped. Pipelines still created, waiting_for_resource, preparing,
pending, running, manual or scheduled have no result yet: they are left for a later sync.
Any other status is an unknown value, reported for that pipeline. The workflow is the
pipeline's ref (branch, tag or ``refs/merge-requests/N/head``), else its source.

A job is queued at ``started_at - queued_duration`` when GitLab gives the wait (it counts
from when the job became pending, not from the pipeline's creation), else at its creation.
Jobs with no result yet are left out, like their pipelines.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from quarterdeck.sources.gitlab.client import Project, next_page, timestamp
from quarterdeck.sources.http.client import HttpClient

RESULTS = {"success": "success", "failed": "failure", "canceled": "cancelled", "skipped": "skipped"}
UNFINISHED = {"created", "waiting_for_resource", "preparing", "pending", "running", "manual", "scheduled"}


def pipeline_items(client: HttpClient, project: Project, updated_after: str | None) -> Iterator[dict[str, Any]]:
    """The project's pipelines updated at or after ``updated_after`` (all without it), newest first."""
    params: dict[str, Any] = {"order_by": "updated_at", "sort": "desc", "per_page": 100}
    if updated_after:
        params["updated_after"] = updated_after
    for page in client.pages(f"projects/{project.api_id}/pipelines", params, next_page):
        yield from client.body(page, list)


def pipeline_details(client: HttpClient, project: Project, item: dict[str, Any]) -> dict[str, Any]:
    """The pipeline with its timings: the listed item itself when it has them, else ``/pipelines/:id``."""
    if "started_at" in item and "finished_at" in item:
        return item
    return client.body(client.get(f"projects/{project.api_id}/pipelines/{item['id']}"), dict)


def pipeline_jobs(client: HttpClient, project: Project, pipeline_id: Any) -> list[dict[str, Any]]:
    path = f"projects/{project.api_id}/pipelines/{pipeline_id}/jobs"
    return [job for page in client.pages(path, {"per_page": 100}, next_page) for job in client.body(page, list)]


def is_finished(item: dict[str, Any]) -> bool:
    """Whether the pipeline (or job) has a result; an unknown status raises ValueError."""
    status = str(item["status"])
    if status in RESULTS:
        return True
    if status in UNFINISHED:
        return False
    raise ValueError(f"unknown status {status!r} (expected one of {', '.join([*RESULTS, *sorted(UNFINISHED)])})")


def run_id(project: Project, pipeline_id: Any) -> str:
    return f"gitlab:{project.path}:pipeline:{pipeline_id}"


def ci_run_record(project: Project, pipeline: dict[str, Any]) -> dict[str, Any]:
    """The CI-run record of a finished pipeline (its details)."""
    return {
        "id": run_id(project, pipeline["id"]),
        "repository": project.name,
        "workflow": pipeline.get("ref") or pipeline.get("source") or "pipeline",
        "commit_sha": pipeline.get("sha"),
        "queued_at": pipeline.get("created_at"),
        "started_at": pipeline.get("started_at"),
        "finished_at": pipeline.get("finished_at") or pipeline.get("updated_at"),
        "result": RESULTS[str(pipeline["status"])],
    }


def job_record(project: Project, pipeline_id: Any, job: dict[str, Any]) -> dict[str, Any]:
    """The CI-job record of a finished job."""
    started = timestamp(job.get("started_at"))
    waited = job.get("queued_duration")
    queued = started - timedelta(seconds=float(waited)) if started and waited is not None else None
    return {
        "job_id": f"gitlab:{project.path}:job:{job['id']}",
        "run_id": run_id(project, pipeline_id),
        "repository": project.name,
        "name": str(job["name"]),
        "queued_at": queued or timestamp(job.get("created_at")),
        "started_at": started,
        "finished_at": timestamp(job.get("finished_at")),
        "result": RESULTS[str(job["status"])],
        "runner": (job.get("runner") or {}).get("description") or (job.get("runner") or {}).get("name"),
    }
