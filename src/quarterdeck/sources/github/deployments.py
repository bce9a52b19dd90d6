"""GitHub deployments, as deployments (the records of ``quarterdeck ingest deployments``).

A deployment is created (its start) and then told how it went by statuses. Its result and
finish time are those of its latest *terminal* status: ``success`` -> success; ``failure``
and ``error`` -> failure. ``inactive`` is what GitHub sets on an earlier deployment once a
later one to the same environment succeeds: after a success the deployment stays a success
(it did ship; it was only replaced), and a deployment that became inactive without ever
succeeding is cancelled (it was replaced before it shipped). A deployment whose statuses are
only ``queued``, ``in_progress`` or ``pending`` (or that has none yet) is unfinished: it is
read again by later syncs, unless a newer deployment to the same environment has finished,
which means it was abandoned (it is then not stored: nothing says whether it shipped).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from quarterdeck.sources.github.pulls import required_time
from quarterdeck.sources.github.releases import created_before
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import link_header

RESULTS = {"success": "success", "failure": "failure", "error": "failure"}
UNFINISHED = {"queued", "in_progress", "pending"}
REPLACED = "inactive"


def deployment_items(client: HttpClient, repository: str, since: datetime | None) -> Iterator[dict[str, Any]]:
    """Deployments created at or after ``since`` (all without it), newest first."""
    for page in client.pages(f"repos/{repository}/deployments", {"per_page": 100}, link_header):
        for item in client.body(page, list):
            if since is not None and created_before(item, since):
                return
            yield item


def status_items(client: HttpClient, repository: str, deployment_id: Any) -> list[dict[str, Any]]:
    path = f"repos/{repository}/deployments/{deployment_id}/statuses"
    return [item for page in client.pages(path, {"per_page": 100}, link_header) for item in client.body(page, list)]


def outcome(statuses: list[dict[str, Any]]) -> tuple[str, str] | None:
    """(result, finished_at) of a deployment from its statuses, or None while it is unfinished.
    An unknown state raises ValueError (the deployment is reported, not guessed)."""
    ordered = sorted(statuses, key=lambda s: (required_time(s, "created_at"), int(s.get("id") or 0)))
    for status in ordered:
        state = str(status["state"]).lower()
        if state not in RESULTS and state not in UNFINISHED and state != REPLACED:
            raise ValueError(f"unknown deployment status {status['state']!r}")
    terminal = [s for s in ordered if str(s["state"]).lower() in RESULTS]
    if terminal:
        return RESULTS[str(terminal[-1]["state"]).lower()], str(terminal[-1]["created_at"])
    replaced = [s for s in ordered if str(s["state"]).lower() == REPLACED]
    if replaced:
        return "cancelled", str(replaced[0]["created_at"])
    return None


def deployment_record(repository: str, item: dict[str, Any], result: str, finished_at: str, service: str):
    """The deployment record of a finished deployment."""
    required_time(item, "created_at")
    return {
        "id": f"github:{repository}:{item['id']}",
        "repository": repository.split("/", 1)[1],
        "service": service,
        "environment": item["environment"],
        "commit_sha": item["sha"],
        "started_at": item["created_at"],
        "finished_at": finished_at,
        "result": result,
    }
