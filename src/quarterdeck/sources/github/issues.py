"""GitHub issues, as tracker issues (the ``issues`` table Jira and GitLab issues share).

GitHub lists pull requests among issues (with a ``pull_request`` key): those are skipped
here, since the pull requests are read in full from their own endpoint. An issue is a bug
when one of its labels is a bug label (by default ``bug``, ``type: bug`` or ``kind/bug``,
compared without case): GitHub has no issue type that every repository uses. Its status is
GitHub's state, open or closed, whose category is todo or done; GitHub has no "in progress".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from quarterdeck.sources.github.pulls import github_time, required_time, timestamp
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import link_header

STATUS_CATEGORIES = {"open": "todo", "closed": "done"}


def issue_items(client: HttpClient, repository: str, since: datetime | None) -> Iterator[dict[str, Any]]:
    """Issues and pull requests updated at or after ``since`` (all without it), oldest update first."""
    params: dict[str, Any] = {"state": "all", "sort": "updated", "direction": "asc"}
    if since is not None:
        params["since"] = github_time(since)
    params["per_page"] = 100
    for page in client.pages(f"repos/{repository}/issues", params, link_header):
        yield from client.body(page, list)


def is_pull_request(item: Any) -> bool:
    return isinstance(item, dict) and "pull_request" in item


def issue_record(repository: str, item: dict[str, Any], bug_labels: Iterable[str]) -> dict[str, Any]:
    """The tracker record of one issue (not of a pull request)."""
    key = f"{repository}#{int(item['number'])}"
    labels = [str(label["name"]) if isinstance(label, dict) else str(label) for label in item.get("labels") or []]
    state = str(item["state"]).lower()
    if state not in STATUS_CATEGORIES:
        raise ValueError(f"unknown state {item['state']!r} (expected open or closed)")
    bugs = {label.lower() for label in bug_labels}
    return {
        "issue_id": key,
        "issue_key": key,
        "project": repository,
        "title": item.get("title"),
        "is_bug": any(label.lower() in bugs for label in labels),
        "status": state,
        "status_category": STATUS_CATEGORIES[state],
        "labels": labels,
        "assignee": (item.get("assignee") or {}).get("login"),
        "reporter": (item.get("user") or {}).get("login"),
        "created_at": required_time(item, "created_at"),
        "updated_at": required_time(item, "updated_at"),
        "resolved_at": timestamp(item.get("closed_at")),
    }
