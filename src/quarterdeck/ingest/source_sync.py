"""What the API syncs not yet on the pipeline share (``quarterdeck.pipeline`` is their
successor): cursors, upserts, problems and its summary.

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

from collections.abc import Callable
from datetime import datetime
from typing import Any

from quarterdeck.config import Settings
from quarterdeck.core.errors import CredentialsRefused, SourceError
from quarterdeck.ingest.delivery import load_records
from quarterdeck.sources.reading import (  # noqa: F401 - the legacy syncs import them from here
    RecordProblem,
    SyncContext,
    SyncResult,
    convert,
    cursor_before_problems,
    shown_url,
)
from quarterdeck.store import Warehouse
from quarterdeck.store.writes import read_cursor, replace_problems, upsert_records
from quarterdeck.store.writes import write_cursor as write_cursor


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


def stored_cursor(warehouse: Warehouse, source: str, scope: str, resource: str) -> str | None:
    return read_cursor(warehouse, source, scope, resource)


def upsert(
    warehouse: Warehouse,
    table: str,
    records: list[dict[str, Any]],
    key: tuple[str, ...],
    constants: dict[str, Any] | None = None,
) -> int:
    """Insert or replace ``records`` by the table's primary key (``key``: the fields that,
    with the constants, make it). Returns the number stored."""
    return upsert_records(warehouse, table, records, constants)


def store_problems(
    warehouse: Warehouse, source: str, scope: str, resource: str, problems: list[RecordProblem], at: datetime
) -> None:
    """Replace the stored problems of this source, scope and resource with ``problems``."""
    replace_problems(warehouse, source, scope, resource, [(p.record_id, p.problem) for p in problems], at)
