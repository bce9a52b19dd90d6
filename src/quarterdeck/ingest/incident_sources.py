"""Ingesting incidents, with their timelines, from PagerDuty and Opsgenie.

Both APIs list incidents by creation time only, and an incident changes after it is created
(acknowledged, resolved). So each scope (one service, or all of them) keeps as its cursor
the creation time of the oldest incident not yet resolved, else of the newest incident: the
next run lists incidents from there, reading the unfinished ones again until they are
resolved, and at least the newest one (several can share a second).

- **Incidents** go through the same loader and checks as ``quarterdeck ingest incidents``
  files (id ``pagerduty:<id>`` or ``opsgenie:<id>``).
- **Timelines** (PagerDuty log entries, Opsgenie timeline entries) become
  ``incident_events``. Everything is read before anything is written: a run that stops
  half-way (an error, a rate limit it will not wait out, Ctrl-C) stores nothing.
- **Cursor** is written after the incidents are committed, with the events and problems.
- **Bad records** (a missing field, an unknown status or priority) are reported with their
  id; the rest is stored, and the cursor stays at or before the oldest record not stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from quarterdeck.config import Settings
from quarterdeck.config.sources import SourceConfig
from quarterdeck.connectors import opsgenie, pagerduty
from quarterdeck.core.errors import ConfigError
from quarterdeck.ingest.source_sync import (
    RecordProblem,
    SyncContext,
    SyncResult,
    convert,
    cursor_before_problems,
    load_delivery_records,
    store_problems,
    stored_cursor,
    upsert,
    write_cursor,
)
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.store import Warehouse

RESOURCE = "incidents"


@dataclass(frozen=True)
class ServiceScope:
    """One entry of ``services:``: a service of the incident system (``id``; None: all of
    them) and the Quarterdeck service it stands for (``name``; None: as the system names it)."""

    id: str | None
    name: str | None = None

    @property
    def key(self) -> str:
        return self.id or "all"


@dataclass(frozen=True)
class IncidentReader:
    """How one incident system is read and its items converted."""

    prefix: str  # of incident ids: pagerduty, opsgenie
    label: str  # in progress messages
    incidents: Callable[[ServiceScope, datetime | None], Iterable[dict[str, Any]]]
    timeline: Callable[[str], list[dict[str, Any]]]
    record: Callable[[dict[str, Any], list[dict[str, Any]], ServiceScope], dict[str, Any]]
    event: Callable[[str, dict[str, Any]], dict[str, Any]]
    created: Callable[[dict[str, Any]], datetime | None]
    finished: Callable[[dict[str, Any]], bool]


def sync_pagerduty(
    warehouse: Warehouse, settings: Settings, source: SourceConfig, context: SyncContext
) -> list[SyncResult]:
    """Every configured service (or all services) of one PagerDuty account."""
    _check_options(source, {"severity_from"})
    severity_from = source.options.get("severity_from", "priority")
    if severity_from not in pagerduty.SEVERITY_SOURCES:
        raise ConfigError(f"{source.where()}: 'severity_from' must be priority or urgency, not {severity_from!r}")
    scopes = service_scopes(source)
    with pagerduty.pagerduty_client(source.base_url or "", source.token(), on_wait=context.on_wait) as client:
        reader = IncidentReader(
            "pagerduty",
            "PagerDuty",
            lambda scope, since: pagerduty.incident_items(client, scope.id, since, context.loaded_at),
            lambda incident_id: pagerduty.log_entries(client, incident_id),
            lambda item, entries, scope: pagerduty.incident_record(item, entries, scope.name, severity_from),
            pagerduty.event_record,
            lambda item: pagerduty.timestamp(item.get("created_at")),
            lambda item: item.get("status") == "resolved",
        )
        return [sync_incidents(warehouse, settings, client, reader, source, scope, context) for scope in scopes]


def sync_opsgenie(
    warehouse: Warehouse, settings: Settings, source: SourceConfig, context: SyncContext
) -> list[SyncResult]:
    """Every configured service (or all incidents) of one Opsgenie account."""
    _check_options(source, set())
    scopes = service_scopes(source)
    with opsgenie.opsgenie_client(source.base_url or "", source.token(), on_wait=context.on_wait) as client:
        reader = IncidentReader(
            "opsgenie",
            "Opsgenie",
            lambda scope, since: opsgenie.incident_items(client, scope.id, since),
            lambda incident_id: opsgenie.timeline_entries(client, incident_id),
            lambda item, entries, scope: opsgenie.incident_record(item, entries, scope.name or scope.id),
            opsgenie.event_record,
            lambda item: opsgenie.timestamp(item.get("createdAt")),
            lambda item: item.get("status") in ("resolved", "closed"),
        )
        return [sync_incidents(warehouse, settings, client, reader, source, scope, context) for scope in scopes]


def sync_incidents(
    warehouse: Warehouse,
    settings: Settings,
    client: HttpClient,
    reader: IncidentReader,
    source: SourceConfig,
    scope: ServiceScope,
    context: SyncContext,
) -> SyncResult:
    """Sync one scope's incidents and their timelines."""
    result = SyncResult(source.name, scope.key, RESOURCE)
    sent_before = client.requests
    before = stored_cursor(warehouse, source.name, scope.key, RESOURCE)
    items = _unique(reader.incidents(scope, datetime.fromisoformat(before) if before else context.since))
    timelines: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        if isinstance(item.get("id"), str):
            timelines[item["id"]] = reader.timeline(item["id"])
            context.progress(f"{reader.label} {scope.key} incidents", len(timelines))
    result.read, result.requests = len(items), client.requests - sent_before
    problem = _problem(source.name, scope.key, reader.prefix)
    records = convert(items, lambda i: reader.record(i, timelines.get(i["id"]) or [], scope), problem, result.problems)
    load_delivery_records(warehouse, settings, RESOURCE, records, result)
    events = _events(items, timelines, reader, result)
    cursor = _next_cursor(items, reader, result)
    with warehouse.transaction():
        constants = {"source": source.type, "loaded_at": context.loaded_at}  # the system, as accounts name it
        upsert(warehouse, "incident_events", events, ("incident_id", "event_id"), constants)
        store_problems(warehouse, source.name, scope.key, RESOURCE, result.problems, context.loaded_at)
        if cursor is not None:
            write_cursor(warehouse, source.name, scope.key, RESOURCE, cursor.isoformat(), context.loaded_at)
    result.cursor = cursor.isoformat() if cursor is not None else before
    return result


def _events(
    items: list[dict[str, Any]], timelines: dict[str, list[dict[str, Any]]], reader: IncidentReader, result: SyncResult
) -> list[dict[str, Any]]:
    """The timeline rows of the incidents stored; an entry that cannot be read is a problem
    of its incident (whose timeline is then read again by the next run)."""
    failed = {p.record_id for p in result.problems}
    events = []
    for item in items:
        incident_id = f"{reader.prefix}:{item.get('id')}"
        if not isinstance(item.get("id"), str) or item["id"] not in timelines or incident_id in failed:
            continue
        for entry in timelines[item["id"]]:
            try:
                events.append(reader.event(incident_id, entry))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                entry_id = entry.get("id") if isinstance(entry, dict) else None
                why = f"timeline entry {entry_id or '(no id)'}: {type(exc).__name__}: {exc}"
                result.problems.append(RecordProblem(result.source, result.scope, RESOURCE, incident_id, why))
    return events


def service_scopes(source: SourceConfig) -> list[ServiceScope]:
    """The ``services:`` entries: an id, or ``{id: ..., service: ...}``; none means all services."""
    scopes = []
    for entry in source.scopes:
        if isinstance(entry, str) and entry.strip():
            scopes.append(ServiceScope(entry.strip()))
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str) and set(entry) <= {"id", "service"}:
            name = entry.get("service")
            scopes.append(ServiceScope(entry["id"].strip(), str(name) if name is not None else None))
        else:
            raise ConfigError(
                f"{source.where()}: a service must be a {source.type} service id, or a mapping such as "
                f"{{id: <service id>, service: api}}, not {entry!r}"
            )
    return scopes or [ServiceScope(None)]


def _check_options(source: SourceConfig, known: set[str]) -> None:
    unknown = sorted(set(source.options) - known)
    if unknown:
        allowed = f" (known: {', '.join(sorted(known))})" if known else ""
        raise ConfigError(f"{source.where()}: unknown option {unknown[0]!r} for a {source.type} source{allowed}")


def _unique(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Incidents by id, each once (windows meet at their edges), in the order first read;
    items that are no objects are kept as empty ones, for their conversion to report."""
    found: dict[Any, dict[str, Any]] = {}
    for position, item in enumerate(items):
        item = item if isinstance(item, dict) else {}
        key = item.get("id") if isinstance(item.get("id"), str) else position
        found[key] = item
    return list(found.values())


def _next_cursor(items: list[dict[str, Any]], reader: IncidentReader, result: SyncResult) -> datetime | None:
    """The creation time of the oldest incident unresolved or not stored, else of the newest
    incident; None (the cursor stays) when nothing was read, or when a record not stored has
    no creation time to stop at."""
    created: dict[str, datetime | None] = {}
    unfinished: list[datetime | None] = []
    for item in items:
        when = _created(reader, item)
        created[f"{reader.prefix}:{item.get('id')}"] = when
        if not reader.finished(item):
            unfinished.append(when)
    result.problems[:] = [replace(p, updated_at=created.get(p.record_id)) for p in result.problems]
    if None in unfinished or any(p.updated_at is None for p in result.problems):
        return None
    times = [t for t in created.values() if t is not None]
    newest = min(unfinished) if unfinished else max(times, default=None)
    return cursor_before_problems(newest, result.problems)


def _created(reader: IncidentReader, item: dict[str, Any]) -> datetime | None:
    try:
        return reader.created(item)
    except (TypeError, ValueError, AttributeError):
        return None


def _problem(source: str, scope: str, prefix: str) -> Callable[[dict[str, Any], str], RecordProblem]:
    def problem(item: dict[str, Any], why: str) -> RecordProblem:
        incident_id = item.get("id") if isinstance(item, dict) else None
        return RecordProblem(source, scope, RESOURCE, f"{prefix}:{incident_id}" if incident_id else "", why)

    return problem
