"""Readers for the files an organization already has: HR people exports, an org YAML file,
Backstage catalogs, CODEOWNERS and identity mappings. They yield typed records with the
file and line each came from, and never open the warehouse."""

from quarterdeck.sources.frame import Resource, Source

SOURCE = Source(
    name="org",
    kind="file",
    summary="Ingest the organization: people, teams, services, ownership.",
    reader="",
    resources=(
        Resource("people", "people_snapshots", "each import is a snapshot on its date; history is kept"),
        Resource("teams", "team_snapshots"),
        Resource("services", "service_snapshots"),
        Resource("codeowners", "codeowners_rules"),
        Resource("identity mappings", "identity_mappings"),
    ),
    docs="docs/org-inputs.md",
    command="quarterdeck.cli.ingest_org:ingest_org_command",
)
