"""Which sync reads which type of source (``quarterdeck ingest all`` and each connector's
command). Each sync is ``sync(warehouse, settings, source, context) -> list[SyncResult]``:
it reads every scope of one configured source and stores what it read."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from quarterdeck.config import Settings
from quarterdeck.config.sources import SourceConfig
from quarterdeck.ingest.source_sync import SyncContext, SyncResult
from quarterdeck.store import Warehouse

Sync = Callable[[Warehouse, Settings, SourceConfig, SyncContext], list[SyncResult]]

_SYNCS = {
    "github": "quarterdeck.ingest.github_ingest:sync_github",
    "gitlab": "quarterdeck.ingest.gitlab_ingest:sync_gitlab",
    "jira": "quarterdeck.ingest.jira_ingest:sync_jira",
    "jenkins": "quarterdeck.ingest.jenkins_ingest:sync_jenkins",
    "pagerduty": "quarterdeck.ingest.incident_sources:sync_pagerduty",
    "opsgenie": "quarterdeck.ingest.incident_sources:sync_opsgenie",
    "prometheus": "quarterdeck.ingest.prometheus_ingest:sync_prometheus",
}


def sync_for(kind: str) -> Sync:
    """The sync of a source type (imported when first needed: each pulls in its connector)."""
    module, name = _SYNCS[kind].split(":")
    return getattr(importlib.import_module(module), name)
