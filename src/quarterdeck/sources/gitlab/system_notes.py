"""Reading a merge request's timeline from GitLab's *system notes*.

GitLab has no event API for merge requests' reviews and draft status: it writes them as
notes with ``system: true`` and an English sentence as body. These sentences are matched
(after removing Markdown bold ``**``; case is ignored):

================================================  ==========================================
System note body                                  Event (and review)
================================================  ==========================================
``approved this merge request``                   approved, and a review APPROVED at its time
``unapproved this merge request``                 unapproved (the author's approval: DISMISSED)
``requested review from @a and @b``               review_requested, one per account
``removed review request for @a``                 review_request_removed, one per account
``marked this merge request as ready``            ready_for_review
``unmarked as a Work In Progress`` / ``Draft``    ready_for_review (GitLab before 14.0)
``marked this merge request as draft``            convert_to_draft
``marked as a Work In Progress`` / ``Draft``      convert_to_draft (GitLab before 14.0)
``merged`` / ``closed`` / ``reopened``            merged / closed / reopened
================================================  ==========================================

Other system notes (assignments, added commits, mentions, label changes) are not stored. A
GitLab that wrote these notes in another language, or a future rewording, yields no events;
approvals are then still found through the approvals endpoint (without a time).
"""

from __future__ import annotations

import re
from typing import Any

from quarterdeck.sources.gitlab.client import timestamp

_ACCOUNT = re.compile(r"@([A-Za-z0-9_][A-Za-z0-9_.-]*)")
_DRAFT = re.compile(r"^(un)?marked (?:this merge request )?as (?:a )?(draft|work in progress|wip|ready)\.?$")
_EXACT = {
    "approved this merge request": "approved",
    "unapproved this merge request": "unapproved",
    "merged": "merged",
    "closed": "closed",
    "reopened": "reopened",
}
_REQUESTED = "requested review from "
_REMOVED = "removed review request for "


def note_events(number: int, note: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The events (and, for an approval, the review) that one system note records."""
    text = " ".join(str(note.get("body") or "").replace("**", "").split())
    body = text.lower()
    actor = (note.get("author") or {}).get("username")
    at = timestamp(note["created_at"])
    note_id = str(note["id"])

    def event(name: str, reviewer: str | None = None, suffix: str = "") -> dict[str, Any]:
        return {
            "number": number,
            "event_id": note_id + suffix,
            "event": name,
            "actor_login": actor,
            "requested_reviewer": reviewer,
            "created_at": at,
        }

    if body in _EXACT:
        name = _EXACT[body]
        review = {
            "number": number,
            "review_id": note_id,
            "reviewer_login": actor,
            "state": "APPROVED",
            "submitted_at": at,
            "commit_sha": None,
        }
        return [event(name)], [review] if name == "approved" else []
    draft = _DRAFT.match(body)
    if draft:
        undo, status = draft.group(1) is not None, draft.group(2)
        if status == "ready":
            return ([] if undo else [event("ready_for_review")]), []
        return [event("ready_for_review" if undo else "convert_to_draft")], []
    return _review_requests(text, event), []


def _review_requests(text: str, event: Any) -> list[dict[str, Any]]:
    """review_requested / review_request_removed events, one per account named (a note may do
    both: 'requested review from @a and removed review request for @b')."""
    found = []
    parts = re.split(r",? and (?=requested review from |removed review request for )", text, flags=re.IGNORECASE)
    for part in parts:
        for prefix, name in ((_REQUESTED, "review_requested"), (_REMOVED, "review_request_removed")):
            if part.lower().startswith(prefix):
                for account in _ACCOUNT.findall(part[len(prefix) :]):
                    account = account.rstrip(".")
                    found.append(event(name, account, f":{name}:{account}"))
    return found
