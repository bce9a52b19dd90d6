"""GitLab deployments, as the deployment records of ``quarterdeck ingest deployments``.

A deployment starts when it was created and finishes when its job (``deployable``) finished,
else at its last update. Its status becomes the result: success; failed -> failure;
canceled -> cancelled. Deployments still created, running or blocked (waiting for an
approval) have no result yet and are left for a later sync; skipped ones never deployed
and are not stored. Any other status is an unknown value, reported with the deployment's id.

The service is the project's (``service:`` in quarterdeck.yaml, default the project's last
path segment). An environment the project lists under ``production_environments`` is stored
under the warehouse's first production environment name, so that it counts as production.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from quarterdeck.sources.gitlab.client import Project, next_page
from quarterdeck.sources.http.client import HttpClient

RESULTS = {"success": "success", "failed": "failure", "canceled": "cancelled"}
UNFINISHED = {"created", "running", "blocked"}
NOT_DEPLOYED = {"skipped"}


def deployment_items(client: HttpClient, project: Project, updated_after: str | None) -> Iterator[dict[str, Any]]:
    """The project's deployments updated at or after ``updated_after`` (all without it), oldest first."""
    params: dict[str, Any] = {"order_by": "updated_at", "sort": "asc", "per_page": 100}
    if updated_after:
        params["updated_after"] = updated_after
    for page in client.pages(f"projects/{project.api_id}/deployments", params, next_page):
        yield from client.body(page, list)


def deployment_id(project: Project, item: dict[str, Any]) -> str:
    return f"gitlab:{project.path}:{item.get('id')}"


def deployment_record(project: Project, item: dict[str, Any], production: str) -> dict[str, Any] | None:
    """The deployment record of a finished deployment (None while it has no result, or when
    it was skipped); an unknown status raises ValueError."""
    status = str(item["status"])
    if status in UNFINISHED or status in NOT_DEPLOYED:
        return None
    if status not in RESULTS:
        expected = ", ".join([*RESULTS, *sorted(UNFINISHED), *NOT_DEPLOYED])
        raise ValueError(f"unknown status {status!r} (expected one of {expected})")
    environment = str((item.get("environment") or {}).get("name") or "")
    if environment.lower() in project.production_environments:
        environment = production
    return {
        "id": deployment_id(project, item),
        "service": project.service,
        "environment": environment,
        "commit_sha": item.get("sha"),
        "started_at": item.get("created_at"),
        "finished_at": (item.get("deployable") or {}).get("finished_at") or item.get("updated_at"),
        "result": RESULTS[status],
        "repository": project.name,
    }


def changed_at(item: dict[str, Any]) -> str | None:
    """When the deployment last changed (its creation when GitLab gives no update time)."""
    return item.get("updated_at") or item.get("created_at")
