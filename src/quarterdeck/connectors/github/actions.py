"""GitHub Actions workflow runs, as CI runs (the records of ``quarterdeck ingest ci-runs``).

A run is queued when it was created, starts at ``run_started_at`` and finishes when it
completed (its last update then). Its conclusion becomes the CI result: success; failure
(also timed_out and startup_failure); cancelled (also stale); skipped (also neutral).
Runs still queued or in progress, and those waiting for approval (action_required), have no
result yet: they are left for a later sync.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from quarterdeck.connectors.http.client import HttpClient
from quarterdeck.connectors.http.paging import link_header

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
PERMISSION = "the token in GITHUB_TOKEN needs read access to the repository's Actions (fine-grained: 'Actions: read')"


def workflow_runs(client: HttpClient, repository: str, created_since: str | None) -> Iterator[dict[str, Any]]:
    """The repository's runs created on or after ``created_since`` (a date or ISO time), newest first."""
    params: dict[str, Any] = {"per_page": 100}
    if created_since:
        params["created"] = f">={created_since}"
    for page in client.pages(f"repos/{repository}/actions/runs", params, link_header):
        yield from page.json().get("workflow_runs", [])


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
