"""PagerDuty: incidents with their log entries (docs/sources/pagerduty.md)."""

from quarterdeck.sources.frame import IdentityHint, Scope, Source

SOURCE = Source(
    name="pagerduty",
    kind="api",
    summary="Ingest incidents, with their log entries, from PagerDuty.",
    reader="",
    scope=Scope("services", "a service", "a PagerDuty service id, or {id: ID, service: NAME}"),
    default_base_url="https://api.pagerduty.com",
    token_env="PAGERDUTY_TOKEN",
    identities=IdentityHint(),
    docs="docs/sources/pagerduty.md",
    sync="quarterdeck.ingest.incident_sources:sync_pagerduty",
    command="quarterdeck.cli.incident_sources:ingest_pagerduty",
)
