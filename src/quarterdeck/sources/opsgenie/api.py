"""Opsgenie incidents and their timelines, read from Opsgenie's REST API.

Incidents are searched by creation time, oldest first (``query=createdAt>=<epoch ms>``,
Opsgenie's incident search syntax; with a service, ``impactedServices:<id> AND ...``), and
paged by following ``paging.next``. Each incident's timeline
(``/v2/incident-timelines/{id}/entries``, paged by ``data.nextOffset``) says when it was
opened, when responders acknowledged their alerts, and when it was resolved and closed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import Token

DEFAULT_BASE_URL = "https://api.opsgenie.com"
EU_BASE_URL = "https://api.eu.opsgenie.com"
PERMISSION = (
    "the token in OPSGENIE_TOKEN must be the key of an API integration with Read access "
    "(Settings > Integrations > API), and an EU account is read through --base-url " + EU_BASE_URL
)
PAGE_SIZE = 100
STATUSES = ("open", "resolved", "closed")
PRIORITIES = ("P1", "P2", "P3", "P4", "P5")
INCIDENTS = Token(key="paging.next", as_url=True)
TIMELINE = Token(key="data.nextOffset", param="offset")
#: Timeline entry types with a kind of their own; the others become snake_case (status_page_added).
ENTRY_KINDS = {
    "IncidentOpened": "trigger",
    "ResponderAlertAcked": "acknowledge",
    "IncidentResponderUserAdded": "assign",
    "IncidentResponderTeamAdded": "assign",
    "IncidentResolved": "resolve",
    "IncidentClosed": "close",
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def opsgenie_client(base_url: str, token: str | None, **options: Any) -> HttpClient:
    headers = {"Authorization": f"GenieKey {token}"} if token else {}
    return HttpClient("Opsgenie", base_url or DEFAULT_BASE_URL, headers=headers, permission_hint=PERMISSION, **options)


def incident_items(client: HttpClient, service_id: str | None, since: datetime | None) -> Iterator[dict[str, Any]]:
    """Incidents (as Opsgenie sends them) created at or after ``since`` (every one without
    it), impacting one service or any, oldest first."""
    terms = [f"impactedServices:{service_id}"] if service_id else []
    if since is not None:
        terms.append(f"createdAt>={epoch_ms(since)}")
    params: dict[str, Any] = {"query": " AND ".join(terms)} if terms else {}
    params.update({"offset": 0, "limit": PAGE_SIZE, "sort": "createdAt", "order": "asc"})
    for page in client.pages("v1/incidents", params, INCIDENTS):
        yield from client.items(page, "data")


def timeline_entries(client: HttpClient, incident_id: str) -> list[dict[str, Any]]:
    """Every entry of one incident's timeline."""
    found: list[dict[str, Any]] = []
    for page in client.pages(f"v2/incident-timelines/{incident_id}/entries", {}, TIMELINE):
        found.extend((client.body(page, dict).get("data") or {}).get("entries") or [])
    return found


def incident_record(item: dict[str, Any], entries: list[dict[str, Any]], service: str | None) -> dict[str, Any]:
    """The incident as Quarterdeck's incidents loader takes it (``quarterdeck ingest incidents``).

    Acknowledged: the first responder alert acknowledged. Resolved (for a resolved or closed
    incident): its last IncidentResolved entry, else its last IncidentClosed entry, else
    ``impactEndDate``, else ``updatedAt``."""
    status, priority = item["status"], item.get("priority")
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r} (expected {', '.join(STATUSES)})")
    if priority is not None and priority not in PRIORITIES:
        raise ValueError(f"unknown priority {priority!r} (expected P1 to P5)")
    times: dict[str, list[str]] = {}
    for entry in entries:
        if entry.get("eventTime"):
            times.setdefault(entry_kind(entry), []).append(entry["eventTime"])
    resolved = None
    if status != "open":
        resolved = (
            _latest(times.get("resolve", []))
            or _latest(times.get("close", []))
            or item.get("impactEndDate")
            or item.get("updatedAt")
        )
    impacted = item.get("impactedServices") or []
    return {
        "id": f"opsgenie:{item['id']}",
        "service": service or (impacted[0] if impacted else None),
        "severity": priority,
        "created_at": item.get("createdAt"),
        "acknowledged_at": _earliest(times.get("acknowledge", [])),
        "resolved_at": resolved,
        "title": item.get("message"),
    }


def event_record(incident_id: str, entry: dict[str, Any]) -> dict[str, Any]:
    """One timeline entry as a row of ``incident_events``."""
    return {
        "incident_id": incident_id,
        "event_id": str(entry["id"]),
        "happened_at": timestamp(entry["eventTime"]),
        "kind": entry_kind(entry),
        "actor": (entry.get("actor") or {}).get("name"),
        "summary": (entry.get("title") or {}).get("content"),
    }


def entry_kind(entry: dict[str, Any]) -> str:
    kind = str(entry.get("type") or "")
    return ENTRY_KINDS.get(kind) or re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()


def timestamp(value: str | None) -> datetime | None:
    """Opsgenie's ISO 8601 times (``2022-04-05T15:37:31.62Z``)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def epoch_ms(moment: datetime) -> int:
    """Milliseconds since 1970, as Opsgenie's search syntax takes times."""
    return (moment.astimezone(UTC) - _EPOCH) // timedelta(milliseconds=1)


def _earliest(times: list[str]) -> str | None:
    return min(times, key=timestamp) if times else None


def _latest(times: list[str]) -> str | None:
    return max(times, key=timestamp) if times else None
