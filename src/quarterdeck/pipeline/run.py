"""Running one configured connection of a declared source.

The source's reader yields units (one scope's resources read together). For each unit the
pipeline gives the reader the scope's stored state, gets a batch, and stores it:

1. delivery records (deployments, incidents, CI runs, availability) through the loader and
   checks of the delivery files, each refused record a problem of its resource;
2. then, in one transaction, the stored rows the batch replaces removed, its bulk files
   (staged and stored by a store function), the rows of every table by primary key, the
   problems of each resource (replacing the earlier ones) and the cursors that moved.

A unit whose reading fails (a ``SourceError``: an API that refused, kept failing, answered
something unexpected, or paged in circles) stores nothing and keeps its cursors; its rows
in the summary say why, and the other units go on. Refused credentials stop the source:
every other request would be refused too. A sync stopped half-way (Ctrl-C, a crash) leaves
every cursor where it was, so the next sync reads the same records again, replacing rows
by key, never doubling them.
"""

from __future__ import annotations

import importlib
from typing import Any

from quarterdeck.config import Settings
from quarterdeck.config.sources import SourceConfig
from quarterdeck.core.errors import CredentialsRefused, SourceError
from quarterdeck.pipeline.delivery import load_delivery_records
from quarterdeck.sources import reader_of, source_named
from quarterdeck.sources.reading import Batch, Bulk, Connection, Rows, SyncContext, SyncResult, Unit
from quarterdeck.store import Warehouse
from quarterdeck.store.writes import (
    delete_rows,
    problem_ids,
    read_cursor,
    replace_problems,
    stored_values,
    upsert_records,
    write_cursor,
)


class WarehouseState:
    """The stored state of one scope of one connection, as its reader may see it."""

    def __init__(self, warehouse: Warehouse, source: str, scope: str):
        self.warehouse, self.source, self.scope = warehouse, source, scope

    def cursor(self, resource: str) -> str | None:
        return read_cursor(self.warehouse, self.source, self.scope, resource)

    def problem_ids(self, resource: str) -> set[str]:
        return problem_ids(self.warehouse, self.source, self.scope, resource)

    def stored(self, table: str, key: str, value: str, **where: Any) -> dict[Any, Any]:
        return stored_values(self.warehouse, table, key, value, where)


def run_source(
    warehouse: Warehouse, settings: Settings, config: SourceConfig, context: SyncContext
) -> list[SyncResult]:
    """Read one configured connection and store what it read; the summary rows of its units."""
    source = source_named(config.type)
    results: list[SyncResult] = []
    with reader_of(source)(Connection(config, settings, context)) as units:
        for unit in units:
            results += run_unit(warehouse, settings, config.name, unit, context)
    return results


def run_unit(
    warehouse: Warehouse, settings: Settings, source: str, unit: Unit, context: SyncContext
) -> list[SyncResult]:
    """Read and store one unit; one that fails stores nothing and says why in its rows."""
    state = WarehouseState(warehouse, source, unit.scope)
    try:
        batch = unit.read(state)
        store_batch(warehouse, settings, source, unit.scope, batch, context)
    except CredentialsRefused:
        raise
    except SourceError as exc:
        return [
            SyncResult(source, unit.scope, resource, cursor=state.cursor(resource), error=str(exc))
            for resource in unit.resources
        ]
    for result in batch.results:
        if result.cursor is None:
            result.cursor = state.cursor(result.resource)
    return batch.results


def store_batch(
    warehouse: Warehouse, settings: Settings, source: str, scope: str, batch: Batch, context: SyncContext
) -> None:
    """Rows that must come first, delivery records through their loader, then everything
    else in one transaction."""
    first = [rows for rows in batch.rows if rows.before_delivery]
    if first:
        with warehouse.transaction():
            for rows in first:
                _store_rows(warehouse, rows)
    for delivery in batch.delivery:
        load_delivery_records(warehouse, settings, delivery.kind, delivery.records, delivery.result)
    if batch.after_delivery is not None:
        batch.after_delivery(batch)
    at = context.loaded_at
    with warehouse.transaction():
        for replace in batch.replace:
            delete_rows(warehouse, replace.table, replace.where)
        for bulk in batch.bulk:
            _store_bulk(warehouse, bulk)
        for rows in batch.rows:
            if not any(rows is done for done in first):
                _store_rows(warehouse, rows)
        for resource, problems in batch.problems.items():
            replace_problems(warehouse, source, scope, resource, [(p.record_id, p.problem) for p in problems], at)
        for resource, cursor in batch.cursors.items():
            if cursor is not None:
                write_cursor(warehouse, source, scope, resource, cursor, at)


def _store_rows(warehouse: Warehouse, rows: Rows) -> None:
    stored = upsert_records(warehouse, rows.table, rows.records, rows.constants)
    if rows.counts is not None:
        rows.counts.stored += stored


def _store_bulk(warehouse: Warehouse, bulk: Bulk) -> None:
    module, function = bulk.store.split(":")
    stored = getattr(importlib.import_module(module), function)(warehouse.con, **bulk.arguments)
    if bulk.counts is not None:
        bulk.counts.read += stored
        bulk.counts.stored += stored
