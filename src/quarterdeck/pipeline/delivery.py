"""Delivery records read from an API (deployments, incidents, CI runs, availability) go
through the same loader and checks as the delivery files."""

from __future__ import annotations

from typing import Any

from quarterdeck.config import Settings
from quarterdeck.ingest.delivery import load_records
from quarterdeck.sources.reading import RecordProblem, SyncResult
from quarterdeck.store import Warehouse


def load_delivery_records(
    warehouse: Warehouse, settings: Settings, kind: str, records: list[dict[str, Any]], result: SyncResult
) -> None:
    """Store ``records`` of ``kind`` as ``quarterdeck ingest <kind>`` would; rows the loader
    rejects become problems of ``result``, the others count as stored."""
    if not records:
        return
    loaded = load_records(warehouse, settings, kind, records, f"{result.source}:{result.scope}")
    result.stored += loaded.loaded + loaded.replaced + loaded.unchanged
    for p in loaded.problems:
        why = f"field {p.field}: {p.message}" if p.field else p.message
        result.problems.append(RecordProblem(result.source, result.scope, result.resource, p.record_id or "", why))
