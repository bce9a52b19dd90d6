"""Merge requests, and what happened on each: approvals, notes and commits.

Merge requests are listed most recently updated first (``order_by=updated_at&sort=desc``,
``updated_after`` the cursor). A merge request becomes a pull-request record: ``number`` is
its ``iid`` (the ``!7`` people use), ``pr_id`` GitLab's global id. GitLab's states map to
open and closed: ``opened`` -> open; ``merged`` -> closed, with ``merged_at``; ``closed`` and
``locked`` -> closed. Any other state is an unknown value, reported for that merge request.

Its *notes* are of two kinds. Notes people wrote become comments. *System notes* are the
merge request's timeline, written by GitLab in English; the ones recognised (``system_notes``)
become events, and an approval also a review. Its *approvals* list who approves it now,
without a time: an approver with no approval note gets a review with no time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from quarterdeck.sources.gitlab.client import Project, api_time, next_page, timestamp
from quarterdeck.sources.gitlab.system_notes import note_events
from quarterdeck.sources.http.client import HttpClient

STATES = {"opened": "open", "merged": "closed", "closed": "closed", "locked": "closed"}


@dataclass
class MergeRequest:
    """One merge request and everything stored with it (records for the warehouse)."""

    pull: dict[str, Any]
    reviews: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    commits: list[dict[str, Any]] = field(default_factory=list)


def merge_request_items(client: HttpClient, project: Project, since: datetime | None) -> Iterator[dict[str, Any]]:
    """Merge requests (as GitLab sends them) updated at or after ``since`` (all without it),
    newest update first. An item whose update time cannot be read is passed on, for its
    conversion to report."""
    params: dict[str, Any] = {"state": "all", "order_by": "updated_at", "sort": "desc", "per_page": 100}
    if since is not None:
        params["updated_after"] = api_time(since)
    for page in client.pages(f"projects/{project.api_id}/merge_requests", params, next_page):
        for item in client.body(page, list):
            if since is not None and _updated_before(item, since):
                return
            yield item


def read_merge_request(client: HttpClient, project: Project, item: dict[str, Any]) -> MergeRequest:
    """A merge request with its notes, approvals and commits, read from the API and converted
    (a missing field or an unknown value raises KeyError or ValueError)."""
    found = MergeRequest(pull_request_record(item))
    number = found.pull["number"]
    base = f"projects/{project.api_id}/merge_requests/{number}"
    notes = _all(client, f"{base}/notes", {"sort": "asc", "order_by": "created_at", "per_page": 100})
    approvals = client.body(client.get(f"{base}/approvals"), dict)
    commits = _all(client, f"{base}/commits", {"per_page": 100})
    for note in notes:
        if note.get("system"):
            events, reviews = note_events(number, note)
            found.events += events
            found.reviews = _dismissed(found.reviews, note) + reviews
        else:
            found.comments.append(comment_record(number, note))
    found.reviews += approval_reviews(number, found.pull["pr_id"], approvals, found.reviews)
    found.commits = [commit_record(number, c) for c in commits]
    return found


def pull_request_record(item: dict[str, Any]) -> dict[str, Any]:
    state = str(item["state"])
    if state not in STATES:
        raise ValueError(f"unknown state {state!r} (expected one of {', '.join(STATES)})")
    merged_at = timestamp(item.get("merged_at"))
    return {
        "number": int(item["iid"]),
        "pr_id": str(item["id"]),
        "title": item.get("title"),
        "author_login": (item.get("author") or {}).get("username"),
        "state": STATES[state],
        "is_draft": bool(item.get("draft") or item.get("work_in_progress")),
        "created_at": timestamp(item["created_at"]),
        "updated_at": timestamp(item["updated_at"]),
        "closed_at": timestamp(item.get("closed_at")) or merged_at,
        "merged_at": merged_at,
        "merge_commit_sha": item.get("merge_commit_sha") or item.get("squash_commit_sha"),
        "head_sha": item.get("sha"),
        "head_ref": item.get("source_branch"),
        "base_ref": item.get("target_branch"),
    }


def comment_record(number: int, note: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": number,
        "comment_id": str(note["id"]),
        "author_login": (note.get("author") or {}).get("username"),
        "review_id": None,
        "created_at": timestamp(note["created_at"]),
    }


def commit_record(number: int, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": number,
        "sha": str(item["id"]).lower(),
        "author_login": None,  # GitLab's commit listing names no account, only a name and e-mail
        "author_email": (item.get("author_email") or "").lower() or None,
        "authored_at": timestamp(item.get("authored_date")),
        "committed_at": timestamp(item.get("committed_date")),
    }


def approval_reviews(
    number: int, pr_id: str, approvals: dict[str, Any], reviews: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Reviews for the current approvers that no approval note accounts for (their time is
    unknown: GitLab's approvals answer has none)."""
    noted = {r["reviewer_login"] for r in reviews if r["state"] == "APPROVED"}
    found = []
    for approver in approvals.get("approved_by") or []:
        login = (approver.get("user") or {}).get("username")
        if login and login not in noted:
            found.append(
                {
                    "number": number,
                    "review_id": f"approval:{pr_id}:{login}",
                    "reviewer_login": login,
                    "state": "APPROVED",
                    "submitted_at": None,
                    "commit_sha": None,
                }
            )
    return found


def _dismissed(reviews: list[dict[str, Any]], note: dict[str, Any]) -> list[dict[str, Any]]:
    """The reviews after ``note``: an 'unapproved' note turns its author's latest approval into
    a dismissed one (as GitHub calls a withdrawn review)."""
    if str(note.get("body") or "").strip().lower() != "unapproved this merge request":
        return reviews
    login = (note.get("author") or {}).get("username")
    for review in reversed(reviews):
        if review["reviewer_login"] == login and review["state"] == "APPROVED":
            review["state"] = "DISMISSED"
            break
    return reviews


def _all(client: HttpClient, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for page in client.pages(path, params, next_page) for item in client.body(page, list)]


def _updated_before(item: Any, since: datetime) -> bool:
    try:
        return timestamp(item["updated_at"]) < since
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
