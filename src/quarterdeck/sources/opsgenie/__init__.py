"""Opsgenie: incidents with their timelines (docs/sources/opsgenie.md). The API calls and
record mapping are in ``api``; the reading, shared with PagerDuty, in
``quarterdeck.sources.incidents``."""

from quarterdeck.sources.frame import Flag, IdentityHint, Resource, Scope, Source
from quarterdeck.sources.incidents import RESOURCE, is_service_entry, services_from_flags

SOURCE = Source(
    name="opsgenie",
    kind="api",
    title="Opsgenie",
    summary="Ingest incidents, with their timelines, from Opsgenie.",
    reader="quarterdeck.sources.opsgenie.reader:read_opsgenie",
    scope=Scope(
        "services",
        "a service",
        "an opsgenie service id, or a mapping such as {id: <service id>, service: api}",
        is_service_entry,
    ),
    default_base_url="https://api.opsgenie.com",
    token_env="OPSGENIE_TOKEN",
    resources=(
        Resource(
            RESOURCE,
            "incidents",
            "the creation time of the oldest incident still open (else of the newest), "
            "with the timeline entries as incident_events",
        ),
    ),
    identities=IdentityHint(),
    flags=(
        Flag(
            "--service",
            "A service to read (repeatable), by its id; =NAME gives the Quarterdeck service it stands for "
            "(e.g. 695bce3d-4621-4630-8ae1-24eb89c22d6e=api). Default: all services.",
            "scope",
            metavar="ID[=NAME]",
            multiple=True,
        ),
        Flag(
            "--base-url",
            "API address; for an account in Opsgenie's EU region: https://api.eu.opsgenie.com.",
            "base_url",
            metavar="URL",
        ),
    ),
    cli_scope=services_from_flags,
    description="""Reads GET /v1/incidents (by creation time; with --service, those impacting that
service) and each incident's timeline: incidents become the incidents of the delivery
metrics (id opsgenie:ID, severity its priority P1..P5, acknowledged when a responder
first acknowledged, resolved when it was resolved), timeline entries their events.
The token comes from the environment variable OPSGENIE_TOKEN (the key of an API
integration with Read access), never from a file, and is never stored. Runs are
incremental: each goes on from the oldest incident still open. See
docs/sources/opsgenie.md.""",
    examples=(
        "OPSGENIE_TOKEN=... quarterdeck ingest opsgenie",
        "quarterdeck ingest opsgenie --base-url https://api.eu.opsgenie.com --service 695bce3d-...=api",
    ),
    docs="docs/sources/opsgenie.md",
)
