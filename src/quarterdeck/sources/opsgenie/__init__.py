"""Opsgenie: incidents with their timelines (docs/sources/opsgenie.md)."""

from quarterdeck.sources.frame import IdentityHint, Scope, Source

SOURCE = Source(
    name="opsgenie",
    kind="api",
    summary="Ingest incidents, with their timelines, from Opsgenie.",
    reader="",
    scope=Scope("services", "a service", "an Opsgenie service id, or {id: ID, service: NAME}"),
    default_base_url="https://api.opsgenie.com",
    token_env="OPSGENIE_TOKEN",
    identities=IdentityHint(),
    docs="docs/sources/opsgenie.md",
    sync="quarterdeck.ingest.incident_sources:sync_opsgenie",
    command="quarterdeck.cli.incident_sources:ingest_opsgenie",
)
