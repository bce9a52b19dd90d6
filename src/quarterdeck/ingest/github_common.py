"""What the GitHub syncs share: the source name, how a record that could not be stored is
reported, and how far a listing read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from quarterdeck.connectors.github.pulls import timestamp
from quarterdeck.ingest.source_sync import RecordProblem

SOURCE = "github"


def problem_for(
    repository: str, resource: str, record_id: Callable[[dict[str, Any]], str], time_key: str = "updated_at"
) -> Callable[[Any, str], RecordProblem]:
    """A maker of problems for one repository's ``resource``: the record's id (as
    ``record_id`` reads it) and the time it last changed, so the cursor stays before it."""

    def problem(item: Any, why: str) -> RecordProblem:
        if not isinstance(item, dict):
            return RecordProblem(SOURCE, repository, resource, "", f"expected a JSON object, not {item!r:.40}")
        try:
            found = record_id(item)
        except (KeyError, TypeError, ValueError):
            found = ""
        return RecordProblem(SOURCE, repository, resource, found, why, time_of(item, time_key))

    return problem


def time_of(item: Any, key: str) -> datetime | None:
    """``item[key]`` as a time, or None when it is absent or unreadable."""
    try:
        return timestamp(item.get(key)) if isinstance(item, dict) else None
    except (TypeError, ValueError, AttributeError):
        return None


def newest(items: Iterable[Any], key: str) -> datetime | None:
    """The latest readable ``key`` time of ``items``."""
    return max((t for t in (time_of(item, key) for item in items) if t is not None), default=None)


def parsed_cursor(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
