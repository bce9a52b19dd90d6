"""Pull requests and their reviews, read from GitHub's REST API.

Pull requests are listed most recently updated first (``state=all&sort=updated``), so an
incremental sync stops at the first one not updated since its cursor. Each is turned into a
flat record of the fields Quarterdeck keeps; reviews likewise.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import link_header

DEFAULT_BASE_URL = "https://api.github.com"
PERMISSION = (
    "the token in GITHUB_TOKEN needs read access to the repository (fine-grained token: 'Pull requests', "
    "'Issues', 'Actions', 'Deployments' and 'Contents' (for releases): read; classic token: 'repo', or "
    "'public_repo' for public repositories)"
)


def github_client(base_url: str, token: str | None, **options: Any) -> HttpClient:
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return HttpClient("GitHub", base_url or DEFAULT_BASE_URL, headers=headers, permission_hint=PERMISSION, **options)


def pull_request_items(client: HttpClient, repository: str, since: datetime | None) -> Iterator[dict[str, Any]]:
    """Pull requests (as GitHub sends them) updated at or after ``since`` (all of them
    without it), newest first. An item whose update time cannot be read is passed on, for
    its conversion to report."""
    params = {"state": "all", "sort": "updated", "direction": "desc", "per_page": 100}
    for page in client.pages(f"repos/{repository}/pulls", params, link_header):
        for item in client.body(page, list):
            if since is not None and _updated_before(item, since):
                return
            yield item


def review_items(client: HttpClient, repository: str, number: int) -> Iterator[dict[str, Any]]:
    """A pull request's reviews, as GitHub sends them."""
    for page in client.pages(f"repos/{repository}/pulls/{number}/reviews", {"per_page": 100}, link_header):
        yield from client.body(page, list)


def pull_request_record(item: dict[str, Any]) -> dict[str, Any]:
    head, base = item.get("head") or {}, item.get("base") or {}
    return {
        "number": int(item["number"]),
        "pr_id": str(item["id"]),
        "title": item.get("title"),
        "author_login": (item.get("user") or {}).get("login"),
        "state": item["state"],
        "is_draft": item.get("draft"),
        "created_at": timestamp(item["created_at"]),
        "updated_at": timestamp(item["updated_at"]),
        "closed_at": timestamp(item.get("closed_at")),
        "merged_at": timestamp(item.get("merged_at")),
        "merge_commit_sha": item.get("merge_commit_sha"),
        "head_sha": head.get("sha"),
        "head_ref": head.get("ref"),
        "base_ref": base.get("ref"),
    }


def review_record(number: int, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": number,
        "review_id": str(item["id"]),
        "reviewer_login": (item.get("user") or {}).get("login"),
        "state": item["state"],
        "submitted_at": timestamp(item.get("submitted_at")),
        "commit_sha": item.get("commit_id"),
    }


def _updated_before(item: Any, since: datetime) -> bool:
    try:
        return timestamp(item["updated_at"]) < since
    except (KeyError, TypeError, ValueError, AttributeError):
        return False


def timestamp(value: str | None) -> datetime | None:
    """GitHub's ISO 8601 times (``2021-07-07T09:16:16Z``)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def required_time(item: dict[str, Any], key: str) -> datetime:
    """``item[key]`` as a time; a missing or empty value is an error (the record is reported)."""
    value = timestamp(item[key])
    if value is None:
        raise ValueError(f"field {key!r} is empty")
    return value


def github_time(value: datetime) -> str:
    """A time as GitHub's ``since`` parameters take it: ``2021-07-07T09:16:16Z`` (UTC)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
