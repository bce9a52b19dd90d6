"""PagerDuty incidents and their log entries, read from PagerDuty's REST API v2.

Incidents are listed by creation time, oldest first. The API filters the listing by
creation time only (``since``/``until``, at most 6 months apart: a longer range is read in
windows of ``WINDOW``; without ``since`` every incident is listed with ``date_range=all``),
so an incident that changes later is found only by reading its creation time again: the
ingest keeps its cursor at the oldest incident not yet resolved.

Each incident's log entries (``is_overview=false``: every entry, notifications included)
are its timeline: when it was triggered, acknowledged, escalated, resolved, and by whom.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import Offset

DEFAULT_BASE_URL = "https://api.pagerduty.com"
PERMISSION = (
    "the token in PAGERDUTY_TOKEN must be a REST API key (a read-only account key is enough) "
    "or a user API token of someone who can see the services' incidents"
)
#: One listing covers at most this much creation time (PagerDuty allows 6 months at most).
WINDOW = timedelta(days=180)
PAGE_SIZE = 100
STATUSES = ("triggered", "acknowledged", "resolved")
URGENCIES = ("high", "low")
INCIDENTS = Offset(start="offset", items="incidents", total="total", more="more")
LOG_ENTRIES = Offset(start="offset", items="log_entries", total=None, more="more")


def pagerduty_client(base_url: str, token: str | None, **options: Any) -> HttpClient:
    headers = {"Accept": "application/vnd.pagerduty+json;version=2"}
    if token:
        headers["Authorization"] = f"Token token={token}"
    return HttpClient("PagerDuty", base_url or DEFAULT_BASE_URL, headers=headers, permission_hint=PERMISSION, **options)


def incident_items(
    client: HttpClient, service_id: str | None, since: datetime | None, now: datetime
) -> Iterator[dict[str, Any]]:
    """Incidents (as PagerDuty sends them) created at or after ``since`` (every one without
    it), of one service or of all, oldest first, in windows of at most ``WINDOW``."""
    services = {"service_ids[]": service_id} if service_id else {}
    if since is None:
        yield from _listing(client, {"date_range": "all", **services})
        return
    start = since
    while start <= now:
        until = start + WINDOW
        yield from _listing(client, {"since": api_time(start), "until": api_time(until), **services})
        start = until


def _listing(client: HttpClient, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    params = {**filters, "limit": PAGE_SIZE, "offset": 0, "total": "true", "sort_by": "created_at:asc"}
    for page in client.pages("incidents", params, INCIDENTS):
        yield from client.items(page, "incidents")


def log_entries(client: HttpClient, incident_id: str) -> list[dict[str, Any]]:
    """Every log entry of one incident (newest first, as PagerDuty lists them)."""
    params = {"is_overview": "false", "limit": PAGE_SIZE, "offset": 0}
    found: list[dict[str, Any]] = []
    for page in client.pages(f"incidents/{incident_id}/log_entries", params, LOG_ENTRIES):
        found.extend(client.items(page, "log_entries"))
    return found


def incident_record(
    item: dict[str, Any], entries: list[dict[str, Any]], service: str | None, severity_from: str
) -> dict[str, Any]:
    """The incident as Quarterdeck's incidents loader takes it (``quarterdeck ingest incidents``).

    Acknowledged: the first acknowledge entry (else the incident's first acknowledgement).
    Resolved: for a resolved incident, its resolve entry (else ``resolved_at``, else
    ``last_status_change_at``, the time it became resolved)."""
    status = item["status"]
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r} (expected {', '.join(STATUSES)})")
    kinds = [(entry_kind(e), e.get("created_at")) for e in entries]
    acknowledged = _earliest([at for kind, at in kinds if kind == "acknowledge"]) or _earliest(
        [a.get("at") for a in item.get("acknowledgements") or []]
    )
    resolved = None
    if status == "resolved":
        resolved = (
            _latest([at for kind, at in kinds if kind == "resolve"])
            or item.get("resolved_at")
            or item.get("last_status_change_at")
        )
    return {
        "id": f"pagerduty:{item['id']}",
        "service": service or (item.get("service") or {}).get("summary"),
        "severity": severity(item, severity_from),
        "created_at": item.get("created_at"),
        "acknowledged_at": acknowledged,
        "resolved_at": resolved,
        "title": item.get("title") or item.get("summary"),
    }


def severity(item: dict[str, Any], severity_from: str) -> str | None:
    """The priority's name (P1, SEV-2 ...) when asked for and set, else the urgency (high, low)."""
    priority = item.get("priority") or {}
    name = priority.get("summary") or priority.get("name")
    if severity_from == "priority" and name:
        return str(name)
    urgency = item.get("urgency")
    if urgency is not None and urgency not in URGENCIES:
        raise ValueError(f"unknown urgency {urgency!r} (expected high or low)")
    return urgency


def event_record(incident_id: str, entry: dict[str, Any]) -> dict[str, Any]:
    """One log entry as a row of ``incident_events``."""
    return {
        "incident_id": incident_id,
        "event_id": str(entry["id"]),
        "happened_at": timestamp(entry["created_at"]),
        "kind": entry_kind(entry),
        "actor": (entry.get("agent") or {}).get("summary"),
        "summary": entry.get("summary"),
    }


def entry_kind(entry: dict[str, Any]) -> str:
    """``acknowledge_log_entry`` -> ``acknowledge``: the log entry's type without its suffix."""
    return str(entry.get("type") or "").removesuffix("_reference").removesuffix("_log_entry")


def timestamp(value: str | None) -> datetime | None:
    """PagerDuty's ISO 8601 times (``2022-11-03T06:23:06.000000Z``, ``2021-10-27T08:05:59Z``)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def api_time(moment: datetime) -> str:
    """A time as PagerDuty's ``since``/``until`` take it: UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _earliest(times: list[str | None]) -> str | None:
    known = [t for t in times if t]
    return min(known, key=timestamp) if known else None


def _latest(times: list[str | None]) -> str | None:
    known = [t for t in times if t]
    return max(known, key=timestamp) if known else None
