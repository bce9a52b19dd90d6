"""What the GitHub readers share: how one connection is read (``Reading``), how a record
that could not be stored is reported, and how far a listing read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quarterdeck.sources.github.pulls import timestamp
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.reading import Connection, RecordProblem, SyncContext, SyncResult

TABLE_SOURCE = "github"  # the source column of the rows: accounts are github:<login> whatever the connection


@dataclass(frozen=True)
class Reading:
    """One GitHub connection being read: its client and the options of quarterdeck.yaml."""

    client: HttpClient
    connection: Connection
    bug_labels: list[str]
    services: dict[str, str]
    parallel: int

    @property
    def source(self) -> str:
        return self.connection.config.name

    @property
    def context(self) -> SyncContext:
        return self.connection.context

    def result(self, repository: str, resource: str) -> SyncResult:
        return SyncResult(self.source, repository, resource)

    def constants(self, **more: Any) -> dict[str, Any]:
        """The columns equal on every row a sync stores."""
        return {"source": TABLE_SOURCE, "loaded_at": self.context.loaded_at, **more}


def problem_for(
    source: str,
    repository: str,
    resource: str,
    record_id: Callable[[dict[str, Any]], str],
    time_key: str = "updated_at",
) -> Callable[[Any, str], RecordProblem]:
    """A maker of problems for one repository's ``resource``: the record's id (as
    ``record_id`` reads it) and the time it last changed, so the cursor stays before it."""

    def problem(item: Any, why: str) -> RecordProblem:
        if not isinstance(item, dict):
            return RecordProblem(source, repository, resource, "", f"expected a JSON object, not {item!r:.40}")
        try:
            found = record_id(item)
        except (KeyError, TypeError, ValueError):
            found = ""
        return RecordProblem(source, repository, resource, found, why, time_of(item, time_key))

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
