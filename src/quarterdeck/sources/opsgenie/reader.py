"""Reading an Opsgenie account: the incidents impacting each configured service (or all
incidents), with their timelines, from the cursor of each (``quarterdeck.sources.incidents``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from quarterdeck.sources.incidents import IncidentReader, incident_units
from quarterdeck.sources.opsgenie import api
from quarterdeck.sources.reading import Connection, Unit


@contextmanager
def read_opsgenie(connection: Connection) -> Iterator[Iterator[Unit]]:
    """Every configured service (or all incidents) of one Opsgenie account, one unit each."""
    config, context = connection.config, connection.context
    with api.opsgenie_client(config.base_url or "", config.token(), on_wait=context.on_wait) as client:
        reader = IncidentReader(
            "opsgenie",
            "Opsgenie",
            lambda scope, since: api.incident_items(client, scope.id, since),
            lambda incident_id: api.timeline_entries(client, incident_id),
            lambda item, entries, scope: api.incident_record(item, entries, scope.name or scope.id),
            api.event_record,
            lambda item: api.timestamp(item.get("createdAt")),
            lambda item: item.get("status") in ("resolved", "closed"),
        )
        yield incident_units(connection, client, reader)
