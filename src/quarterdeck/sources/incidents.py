"""Reading incidents, with their timelines, from an on-call system (PagerDuty, Opsgenie).

Both APIs list incidents by creation time only, and an incident changes after it is created
(acknowledged, resolved). So each scope (one service, or all of them) keeps as its cursor
the creation time of the oldest incident not yet resolved, else of the newest incident: the
next run lists incidents from there, reading the unfinished ones again until they are
resolved, and at least the newest one (several can share a second).

- **Units.** One per scope (``services:`` entry, or ``all``), each read whole before
  anything of it is stored: a reading that stops half-way (an error, a rate limit it will
  not wait out, Ctrl-C) stores nothing of that scope and keeps its cursor.
- **Incidents** go (as delivery records) through the same loader and checks as
  ``quarterdeck ingest incidents`` files (id ``pagerduty:<id>`` or ``opsgenie:<id>``).
- **Timelines** (PagerDuty log entries, Opsgenie timeline entries) become
  ``incident_events`` rows (their ``source`` is the system, ``pagerduty``, as accounts name
  it), stored with the problems and the cursor after the incidents.
- **Bad records** (a missing field, an unknown status or priority) are reported with their
  id; the rest is stored, and the cursor stays at or before the oldest record not stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any, Protocol

from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.reading import (
    Batch,
    Connection,
    Delivery,
    RecordProblem,
    Rows,
    StoredState,
    SyncResult,
    Unit,
    convert,
    cursor_before_problems,
)

RESOURCE = "incidents"


class Client(Protocol):
    requests: int  # sent so far, retries included


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


def incident_units(connection: Connection, client: Client, reader: IncidentReader) -> Iterator[Unit]:
    """One unit per configured service (one for all services when none is)."""
    config = connection.config
    for scope in service_scopes(config.scopes, config.where(), config.type):
        yield Unit(scope.key, (RESOURCE,), partial(read_incidents, connection, client, reader, scope))


def read_incidents(
    connection: Connection, client: Client, reader: IncidentReader, scope: ServiceScope, state: StoredState
) -> Batch:
    """One scope's incidents and their timelines, from its cursor on."""
    config, context = connection.config, connection.context
    result = SyncResult(config.name, scope.key, RESOURCE)
    sent_before = client.requests
    before = state.cursor(RESOURCE)
    items = _unique(reader.incidents(scope, datetime.fromisoformat(before) if before else context.since))
    timelines: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        if isinstance(item.get("id"), str):
            timelines[item["id"]] = reader.timeline(item["id"])
            context.progress(f"{reader.label} {scope.key} incidents", len(timelines))
    result.read, result.requests = len(items), client.requests - sent_before
    problem = _problem(config.name, scope.key, reader.prefix)
    records = convert(items, lambda i: reader.record(i, timelines.get(i["id"]) or [], scope), problem, result.problems)

    def after_delivery(batch: Batch) -> None:
        events = _events(items, timelines, reader, result)
        cursor = _next_cursor(items, reader, result)
        constants = {"source": config.type, "loaded_at": context.loaded_at}  # the system, as accounts name it
        batch.rows.append(Rows("incident_events", events, constants))
        batch.problems[RESOURCE] = list(result.problems)
        batch.cursors[RESOURCE] = cursor.isoformat() if cursor is not None else None
        result.cursor = cursor.isoformat() if cursor is not None else before

    return Batch([result], delivery=[Delivery(RESOURCE, records, result)], after_delivery=after_delivery)


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


def is_service_entry(entry: Any) -> bool:
    """An entry of ``services:``: a service id, or a mapping ``{id: ..., service: ...}``."""
    if isinstance(entry, str):
        return bool(entry.strip())
    return isinstance(entry, dict) and isinstance(entry.get("id"), str) and set(entry) <= {"id", "service"}


def service_scopes(entries: tuple[Any, ...], where: str, kind: str) -> list[ServiceScope]:
    """The ``services:`` entries: an id, or ``{id: ..., service: ...}``; none means all services."""
    scopes = []
    for entry in entries:
        if not is_service_entry(entry):
            raise ConfigError(
                f"{where}: a service must be a {kind} service id, or a mapping such as "
                f"{{id: <service id>, service: api}}, not {entry!r}"
            )
        if isinstance(entry, str):
            scopes.append(ServiceScope(entry.strip()))
        else:
            name = entry.get("service")
            scopes.append(ServiceScope(entry["id"].strip(), str(name) if name is not None else None))
    return scopes or [ServiceScope(None)]


def services_from_flags(given: dict[str, Any]) -> tuple[Any, ...]:
    """The scope of ``--service`` flags: ``ID`` stays an id; ``ID=NAME`` becomes
    ``{id: ID, service: NAME}``, as in quarterdeck.yaml."""
    parsed: list[Any] = []
    for value in given.get("flag_service") or ():
        service_id, _, name = value.partition("=")
        if not service_id.strip() or ("=" in value and not name.strip()):
            raise ConfigError(f"--service must be ID or ID=NAME, such as PIKL83L=api, not {value!r}")
        parsed.append({"id": service_id.strip(), "service": name.strip()} if name else service_id.strip())
    return tuple(parsed)


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
