"""Recorded GitHub answers for the GitHub connector's tests, and a replayed repository.

- **Betamax cassettes** (sigmavirus24/github3.py): each interaction's request and response,
  the body base64-decoded and gunzipped as it was received.
- **DevLake raw tables** (apache/incubator-devlake): one API item per CSV row, for
  panjf2000/ants; rows the README lists as clones or duplicates are skipped by the callers.
- :class:`RecordedRepository` puts a repository's items behind the paths the connector asks
  for. The paths are written out here by hand, as GitHub's documentation gives them, so that
  a test checks the connector's requests rather than repeating them.
"""

from __future__ import annotations

import base64
import csv
import gzip
import json
import sys
from dataclasses import dataclass, field
from typing import Any

from tests.replay import FIXTURES, Exchange, Replay

DEVLAKE = FIXTURES / "github" / "apache__incubator-devlake"
BETAMAX = FIXTURES / "github" / "sigmavirus24__github3.py"
_DROPPED_HEADERS = ("content-encoding", "transfer-encoding", "content-length")


@dataclass(frozen=True)
class Recorded:
    """One Betamax interaction."""

    uri: str
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def exchange(self, path: str) -> Exchange:
        """This answer, given at ``path`` (the body as received, before compression)."""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _DROPPED_HEADERS}
        return Exchange("GET", path, self.status, headers, self.body)


def cassette(name: str) -> list[Recorded]:
    """The interactions of ``<name>.json``, in the order they were recorded."""
    document = json.loads((BETAMAX / f"{name}.json").read_text(encoding="utf-8"))
    found = []
    for interaction in document["http_interactions"]:
        response = interaction["response"]
        body = response["body"]
        raw = base64.b64decode(body["base64_string"]) if "base64_string" in body else body.get("string", "").encode()
        if response["headers"].get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        found.append(Recorded(interaction["request"]["uri"], response["status"]["code"], response["headers"], raw))
    return found


def devlake_rows(name: str) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with (DEVLAKE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def devlake_items(name: str, skip: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    return [json.loads(row["data"]) for row in devlake_rows(name) if row["id"] not in skip]


def answer(path: str, body: object, headers: dict[str, str] | None = None, status: int = 200) -> Exchange:
    return Exchange(
        "GET", path, status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body).encode()
    )


def q(time: str) -> str:
    """A time as it appears in a query string."""
    return time.replace(":", "%3A")


def pulls_path(repo: str) -> str:
    return f"/repos/{repo}/pulls?state=all&sort=updated&direction=desc&per_page=100"


def reviews_path(repo: str, number: int) -> str:
    return f"/repos/{repo}/pulls/{number}/reviews?per_page=100"


def commits_path(repo: str, number: int) -> str:
    return f"/repos/{repo}/pulls/{number}/commits?per_page=100"


def events_path(repo: str, number: int) -> str:
    return f"/repos/{repo}/issues/{number}/events?per_page=100"


def comments_path(repo: str, since: str | None = None) -> str:
    after = f"&since={q(since)}" if since else ""
    return f"/repos/{repo}/pulls/comments?sort=updated&direction=asc{after}&per_page=100"


def issues_path(repo: str, since: str | None = None) -> str:
    after = f"&since={q(since)}" if since else ""
    return f"/repos/{repo}/issues?state=all&sort=updated&direction=asc{after}&per_page=100"


def runs_path(repo: str, created: str | None = None) -> str:
    after = f"&created=%3E%3D{q(created)}" if created else ""
    return f"/repos/{repo}/actions/runs?per_page=100{after}"


def jobs_path(repo: str, run_id: int) -> str:
    return f"/repos/{repo}/actions/runs/{run_id}/jobs?per_page=100"


def deployments_path(repo: str) -> str:
    return f"/repos/{repo}/deployments?per_page=100"


def statuses_path(repo: str, deployment_id: int) -> str:
    return f"/repos/{repo}/deployments/{deployment_id}/statuses?per_page=100"


def releases_path(repo: str) -> str:
    return f"/repos/{repo}/releases?per_page=100"


@dataclass
class RecordedRepository:
    """What one repository answers: items per endpoint (an endpoint with none answers an
    empty list, as GitHub does). ``pulls`` are given newest update first; ``deployments`` and
    ``releases`` newest first."""

    name: str
    pulls: list[dict[str, Any]] = field(default_factory=list)
    reviews: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    commits: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    events: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    comments: list[dict[str, Any]] = field(default_factory=list)
    issues: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    jobs: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    deployments: list[dict[str, Any]] = field(default_factory=list)
    statuses: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    releases: list[dict[str, Any]] = field(default_factory=list)

    def add_to(self, replay: Replay, listings: tuple[str, ...] = ("pulls", "comments", "issues")) -> Replay:
        """Answers for every request of a first sync and of the next ones (the listings from
        the latest update, the runs from the oldest unfinished). A listing left out of
        ``listings`` is answered by the caller (to page it, say)."""
        repo = self.name
        if "pulls" in listings:
            replay.add(answer(pulls_path(repo), self.pulls))
        for pull in self.pulls:
            replay.add(answer(reviews_path(repo, pull["number"]), self.reviews.get(pull["number"], [])))
            replay.add(answer(commits_path(repo, pull["number"]), self.commits.get(pull["number"], [])))
            replay.add(answer(events_path(repo, pull["number"]), self.events.get(pull["number"], [])))
        for name, items, path in (("comments", self.comments, comments_path), ("issues", self.issues, issues_path)):
            if name in listings:
                replay.add(answer(path(repo), items))
            if items:
                latest = max(item["updated_at"] for item in items)
                replay.add(answer(path(repo, latest), [i for i in items if i["updated_at"] >= latest]))
        self._add_runs(replay)
        replay.add(answer(deployments_path(repo), self.deployments))
        for deployment in self.deployments:
            replay.add(answer(statuses_path(repo, deployment["id"]), self.statuses.get(deployment["id"], [])))
        replay.add(answer(releases_path(repo), self.releases))
        return replay

    def _add_runs(self, replay: Replay) -> None:
        runs = self.runs
        replay.add(answer(runs_path(self.name), {"total_count": len(runs), "workflow_runs": runs}))
        unfinished = [r["created_at"] for r in runs if r["status"] != "completed"]
        since = min(unfinished) if unfinished else max((r["created_at"] for r in runs), default=None)
        if since is not None:
            later = [r for r in runs if r["created_at"] >= since]
            replay.add(answer(runs_path(self.name, since), {"total_count": len(later), "workflow_runs": later}))
        for run in runs:
            jobs = self.jobs.get(run["id"], [])
            replay.add(answer(jobs_path(self.name, run["id"]), {"total_count": len(jobs), "jobs": jobs}))
