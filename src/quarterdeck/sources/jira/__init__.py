"""Jira: issues with their status changes, the site's statuses, and sprints
(docs/sources/jira.md)."""

from quarterdeck.sources.frame import IdentityHint, Scope, Source

SOURCE = Source(
    name="jira",
    kind="api",
    summary="Ingest projects' issues, their status changes, the site's statuses, and sprints from Jira.",
    reader="",
    scope=Scope("projects", "a project", "a Jira project key, such as ENG"),
    token_env="JIRA_TOKEN",
    identities=IdentityHint(),
    docs="docs/sources/jira.md",
    sync="quarterdeck.ingest.jira_ingest:sync_jira",
    command="quarterdeck.cli.jira:ingest_jira",
)
