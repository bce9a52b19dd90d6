"""What every API connector's sync shares: cursors, upserts, problems and its summary.

- **Failures.** ``resource_sync`` runs one resource: when it fails, it alone fails (its
  summary rows carry the error), and the other resources of the scope are read.
- **Cursors.** How far a sync has read (``source_cursors``: source, scope, resource) is
  written with ``write_cursor`` inside the transaction that stores the data it describes, or
  after that transaction commits; never before.
- **Upserts.** ``upsert`` writes records keyed by the table's primary key: a record read
  again replaces the stored one, and a record given twice in one batch is stored once.
- **Problems.** A record that cannot be converted (missing field, unknown value) is kept as
  a :class:`RecordProblem` naming the source, the scope and the record's id; ``store_problems``
  replaces the earlier problems of the same source, scope and resource. A sync must not move
  its cursor past a record it could not store (``cursor_before_problems``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import pyarrow as pa

from quarterdeck.config import Settings
from quarterdeck.core.errors import CredentialsRefused, SourceError
from quarterdeck.ingest.delivery import load_records
from quarterdeck.store import Warehouse

T = TypeVar("T")


@dataclass(frozen=True)
class RecordProblem:
    source: str
    scope: str
    resource: str
    record_id: str
    problem: str
    updated_at: datetime | None = None  # when the source last changed it, if known

    def __str__(self) -> str:
        return f"{self.source} {self.scope} {self.resource} {self.record_id or '(no id)'}: {self.problem}"


@dataclass
class SyncResult:
    """What one sync of one resource of one scope did (a row of the command's output)."""

    source: str
    scope: str
    resource: str
    read: int = 0
    stored: int = 0
    problems: list[RecordProblem] = field(default_factory=list)
    requests: int = 0
    cursor: str | None = None
    error: str | None = None  # why the resource failed: nothing of it stored, its cursor kept

    def row(self) -> list[Any]:
        return [
            self.source, self.scope, self.resource, self.read, self.stored, len(self.problems), self.cursor,
            self.error is not None,
        ]  # fmt: skip

    COLUMNS = ("source", "scope", "resource", "read", "stored", "problems", "cursor", "failed")


def resource_sync(
    warehouse: Warehouse,
    source: str,
    scope: str,
    resources: tuple[str, ...],
    sync: Callable[[], SyncResult | list[SyncResult]],
) -> list[SyncResult]:
    """Run the sync of one resource of a scope (or of ``resources`` read together). One that
    fails (a SourceError: an API that refused, kept failing, answered something unexpected,
    or paged in circles) fails alone: it stored nothing and its cursor stays where it was;
    its rows say why, and the scope's other resources go on. Refused credentials stop the
    whole source: its other resources would be refused too."""
    try:
        done = sync()
    except CredentialsRefused:
        raise
    except SourceError as exc:
        return [
            SyncResult(source, scope, r, cursor=stored_cursor(warehouse, source, scope, r), error=str(exc))
            for r in resources
        ]
    return done if isinstance(done, list) else [done]


def load_delivery_records(
    warehouse: Warehouse, settings: Settings, kind: str, records: list[dict[str, Any]], result: SyncResult
) -> None:
    """Store deployments, incidents, CI runs or availability read from an API through the same
    loader and checks as files (``quarterdeck ingest deployments`` ...); rows it rejects become
    problems of ``result``, the others count as stored."""
    if not records:
        return
    loaded = load_records(warehouse, settings, kind, records, f"{result.source}:{result.scope}")
    result.stored += loaded.loaded + loaded.replaced + loaded.unchanged
    for p in loaded.problems:
        why = f"field {p.field}: {p.message}" if p.field else p.message
        result.problems.append(RecordProblem(result.source, result.scope, result.resource, p.record_id or "", why))


def shown_url(url: object) -> str:
    """An API address as it may be stored or shown: without any user name or password that
    was written into it (``https://user:secret@host`` -> ``https://host``)."""
    return re.sub(r"^([a-z][a-z0-9+.-]*://)[^/@]*@", r"\1", str(url).rstrip("/"), flags=re.IGNORECASE)


def stored_cursor(warehouse: Warehouse, source: str, scope: str, resource: str) -> str | None:
    return warehouse.value(
        "SELECT cursor FROM source_cursors WHERE source = ? AND scope = ? AND resource = ?",
        [source, scope, resource],
    )


def write_cursor(warehouse: Warehouse, source: str, scope: str, resource: str, cursor: str, at: datetime) -> None:
    warehouse.con.execute(
        "INSERT OR REPLACE INTO source_cursors VALUES (?, ?, ?, ?, ?)", [source, scope, resource, cursor, at]
    )


def upsert(
    warehouse: Warehouse,
    table: str,
    records: list[dict[str, Any]],
    key: tuple[str, ...],
    constants: dict[str, Any] | None = None,
) -> int:
    """Insert or replace ``records`` (dicts with the same keys) by primary key; ``key`` names
    the fields that, with the constants, make the key. Returns the number stored."""
    if not records:
        return 0
    unique = list({tuple(r[k] for k in key): r for r in records}.values())
    return warehouse.insert_arrow(table, pa.Table.from_pylist(unique), constants, replace=True)


def convert(
    items: Iterable[dict[str, Any]],
    to_record: Callable[[dict[str, Any]], T],
    problem: Callable[[dict[str, Any], str], RecordProblem],
    problems: list[RecordProblem],
) -> list[T]:
    """``to_record`` applied to each item; an item it cannot convert (a KeyError, a wrong
    type or value) becomes a problem made by ``problem(item, why)``, and the rest go on."""
    records = []
    for item in items:
        try:
            records.append(to_record(item))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            problems.append(problem(item, _why(exc)))
    return records


def _why(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return f"{type(exc).__name__}: {exc}"


def cursor_before_problems(newest: datetime | None, problems: list[RecordProblem]) -> datetime | None:
    """The cursor a sync may write: the newest time it stored, but no later than the oldest
    change it could not store (so the next sync reads that record again)."""
    failed = [p.updated_at for p in problems if p.updated_at is not None]
    if failed and newest is not None:
        return min(newest, min(failed))
    return min(failed) if failed else newest


def store_problems(
    warehouse: Warehouse, source: str, scope: str, resource: str, problems: list[RecordProblem], at: datetime
) -> None:
    """Replace the stored problems of this source, scope and resource with ``problems``."""
    warehouse.con.execute(
        "DELETE FROM source_problems WHERE source = ? AND scope = ? AND resource = ?", [source, scope, resource]
    )
    if problems:
        warehouse.con.executemany(
            "INSERT INTO source_problems VALUES (?, ?, ?, ?, ?, ?)",
            [[p.source, p.scope, p.resource, p.record_id, p.problem, at] for p in problems],
        )


@dataclass
class SyncContext:
    """What a sync is told by its caller: where to start on a first run, the time it runs,
    and whom to tell about waits (rate limits, retries) and progress."""

    since: datetime | None
    loaded_at: datetime
    on_wait: Callable[[float, str], None] | None = None
    on_progress: Callable[[str, int], None] | None = None  # (what, items read so far)

    def progress(self, what: str, count: int) -> None:
        if self.on_progress is not None:
            self.on_progress(what, count)
