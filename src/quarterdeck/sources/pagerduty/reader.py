"""Reading a PagerDuty account: the incidents of each configured service (or of all), with
their log entries, from the cursor of each (``quarterdeck.sources.incidents``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from quarterdeck.sources.incidents import IncidentReader, incident_units
from quarterdeck.sources.pagerduty import api
from quarterdeck.sources.reading import Connection, Unit


@contextmanager
def read_pagerduty(connection: Connection) -> Iterator[Iterator[Unit]]:
    """Every configured service (or all services) of one PagerDuty account, one unit each."""
    config, context = connection.config, connection.context
    severity_from = config.options.get("severity_from", "priority")
    with api.pagerduty_client(config.base_url or "", config.token(), on_wait=context.on_wait) as client:
        reader = IncidentReader(
            "pagerduty",
            "PagerDuty",
            lambda scope, since: api.incident_items(client, scope.id, since, context.loaded_at),
            lambda incident_id: api.log_entries(client, incident_id),
            lambda item, entries, scope: api.incident_record(item, entries, scope.name, severity_from),
            api.event_record,
            lambda item: api.timestamp(item.get("created_at")),
            lambda item: item.get("status") == "resolved",
        )
        yield incident_units(connection, client, reader)
