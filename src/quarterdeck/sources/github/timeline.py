"""The rest of a pull request's life: its commits, its timeline events and its review comments.

- **Commits** (``pulls/{n}/commits``) say who wrote the change and when: author and commit
  times, the GitHub login when GitHub matched the e-mail to an account. GitHub lists at most
  250 commits of a pull request.
- **Timeline events** (``issues/{n}/events``) say when review was asked for and of whom
  (``review_requested``: a login, or ``team:<slug>`` for a team), when a draft became ready
  (``ready_for_review``), and when it was merged, closed, reopened or force-pushed.
- **Review comments** are listed for the whole repository at once (``pulls/comments``,
  oldest update first, from a time on), and each names its pull request in
  ``pull_request_url``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from quarterdeck.sources.github.pulls import github_time, required_time, timestamp
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import link_header


def commit_items(client: HttpClient, repository: str, number: int) -> Iterator[dict[str, Any]]:
    for page in client.pages(f"repos/{repository}/pulls/{number}/commits", {"per_page": 100}, link_header):
        yield from client.body(page, list)


def event_items(client: HttpClient, repository: str, number: int) -> Iterator[dict[str, Any]]:
    for page in client.pages(f"repos/{repository}/issues/{number}/events", {"per_page": 100}, link_header):
        yield from client.body(page, list)


def review_comment_items(client: HttpClient, repository: str, since: datetime | None) -> Iterator[dict[str, Any]]:
    """Review comments of every pull request, updated at or after ``since`` (all without it)."""
    params: dict[str, Any] = {"sort": "updated", "direction": "asc"}
    if since is not None:
        params["since"] = github_time(since)
    params["per_page"] = 100
    for page in client.pages(f"repos/{repository}/pulls/comments", params, link_header):
        yield from client.body(page, list)


def commit_record(number: int, item: dict[str, Any]) -> dict[str, Any]:
    commit = item.get("commit") or {}
    author, committer = commit.get("author") or {}, commit.get("committer") or {}
    email = author.get("email")
    return {
        "number": number,
        "sha": str(item["sha"]).lower(),
        "author_login": (item.get("author") or {}).get("login"),
        "author_email": email.lower() if isinstance(email, str) else None,
        "authored_at": timestamp(author.get("date")),
        "committed_at": timestamp(committer.get("date")),
    }


def event_record(number: int, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": number,
        "event_id": str(item["id"]),
        "event": str(item["event"]).lower(),
        "actor_login": (item.get("actor") or {}).get("login"),
        "requested_reviewer": requested_reviewer(item),
        "created_at": required_time(item, "created_at"),
    }


def requested_reviewer(item: dict[str, Any]) -> str | None:
    """Whom a review request (or its removal) named: a login, or ``team:<slug>``."""
    person, team = item.get("requested_reviewer"), item.get("requested_team")
    if isinstance(person, dict) and person.get("login"):
        return str(person["login"])
    if isinstance(team, dict) and team.get("slug"):
        return f"team:{team['slug']}"
    return None


def comment_record(item: dict[str, Any]) -> dict[str, Any]:
    review = item.get("pull_request_review_id")
    return {
        "number": pull_number(item["pull_request_url"]),
        "comment_id": str(item["id"]),
        "author_login": (item.get("user") or {}).get("login"),
        "review_id": str(review) if review is not None else None,
        "created_at": required_time(item, "created_at"),
        "updated_at": timestamp(item.get("updated_at")),
    }


def pull_number(url: str) -> int:
    """The number at the end of ``.../repos/OWNER/NAME/pulls/42``."""
    head, _, number = str(url).rstrip("/").rpartition("/")
    if not head.endswith("/pulls"):
        raise ValueError(f"pull_request_url {url!r} does not end in /pulls/NUMBER")
    return int(number)
