"""PagerDuty: incidents with their log entries (docs/sources/pagerduty.md). The API calls
and record mapping are in ``api``; the reading, shared with Opsgenie, in
``quarterdeck.sources.incidents``."""

from quarterdeck.sources.frame import Flag, IdentityHint, Option, Resource, Scope, Source, one_of
from quarterdeck.sources.incidents import RESOURCE, is_service_entry, services_from_flags

#: Where an incident's severity comes from: its priority (else its urgency), or its urgency.
SEVERITY_SOURCES = ("priority", "urgency")

SOURCE = Source(
    name="pagerduty",
    kind="api",
    title="PagerDuty",
    summary="Ingest incidents, with their log entries, from PagerDuty.",
    reader="quarterdeck.sources.pagerduty.reader:read_pagerduty",
    scope=Scope(
        "services",
        "a service",
        "a pagerduty service id, or a mapping such as {id: <service id>, service: api}",
        is_service_entry,
    ),
    default_base_url="https://api.pagerduty.com",
    token_env="PAGERDUTY_TOKEN",
    options=(
        Option(
            "severity_from",
            "priority",
            "priority or urgency",
            one_of(*SEVERITY_SOURCES),
            "the incident's priority (P1 ...; its urgency when it has none), or its urgency only",
        ),
    ),
    resources=(
        Resource(
            RESOURCE,
            "incidents",
            "the creation time of the oldest incident not yet resolved (else of the newest), "
            "with the log entries as incident_events",
        ),
    ),
    identities=IdentityHint(),
    flags=(
        Flag(
            "--service",
            "A service to read (repeatable), by its id; =NAME gives the Quarterdeck service it stands for "
            "(e.g. PIKL83L=api). Default: all services.",
            "scope",
            metavar="ID[=NAME]",
            multiple=True,
        ),
        Flag(
            "--severity-from",
            "Severity from the incident's priority (P1 ...; urgency when it has none), or from its urgency only.",
            "option:severity_from",
            metavar="[priority|urgency]",
            default="priority",
            choices=SEVERITY_SOURCES,
        ),
        Flag(
            "--base-url",
            "API address; for an account in PagerDuty's EU region: https://api.eu.pagerduty.com.",
            "base_url",
            metavar="URL",
        ),
    ),
    cli_scope=services_from_flags,
    description="""Reads GET /incidents (by creation time) and each incident's log entries: incidents
become the incidents of the delivery metrics (id pagerduty:ID; severity from the
priority, else the urgency: high ranks 2, low 4), log entries their timeline
(trigger, acknowledge, escalate, resolve ...). The token comes from the environment
variable PAGERDUTY_TOKEN (a REST API key; read-only is enough), never from a file, and
is never stored. Runs are incremental: each goes on from the oldest incident still
unresolved. See docs/sources/pagerduty.md.""",
    examples=(
        "PAGERDUTY_TOKEN=... quarterdeck ingest pagerduty",
        "quarterdeck ingest pagerduty --service PIKL83L=api --service P2A6ZQX=web --since 2026-01-01",
    ),
    docs="docs/sources/pagerduty.md",
)
