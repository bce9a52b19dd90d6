"""GitHub releases: a tag with a name, published (or still a draft) by someone.

GitHub lists releases newest first; a sync stops at the first one created before its cursor.
Drafts are stored too (only tokens with push access see them), marked ``is_draft``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from quarterdeck.sources.github.pulls import required_time, timestamp
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import link_header


def release_items(client: HttpClient, repository: str, since: datetime | None) -> Iterator[dict[str, Any]]:
    """Releases created at or after ``since`` (all without it), newest first."""
    for page in client.pages(f"repos/{repository}/releases", {"per_page": 100}, link_header):
        for item in client.body(page, list):
            if since is not None and created_before(item, since):
                return
            yield item


def release_record(item: dict[str, Any]) -> dict[str, Any]:
    tag = item["tag_name"]
    if not tag:
        raise ValueError("field 'tag_name' is empty")
    return {
        "release_id": str(item["id"]),
        "tag": str(tag),
        "name": item.get("name") or None,
        "is_draft": item.get("draft"),
        "is_prerelease": item.get("prerelease"),
        "author_login": (item.get("author") or {}).get("login"),
        "created_at": required_time(item, "created_at"),
        "published_at": timestamp(item.get("published_at")),
    }


def created_before(item: Any, since: datetime) -> bool:
    """Whether an item of a newest-first listing was created before ``since``; an item whose
    creation time cannot be read is passed on, for its conversion to report."""
    try:
        return timestamp(item["created_at"]) < since
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
