"""GitLab: merge requests with approvals, notes and commits, pipelines and jobs,
deployments (docs/sources/gitlab.md)."""

from quarterdeck.sources.frame import IdentityHint, Scope, Source

SOURCE = Source(
    name="gitlab",
    kind="api",
    summary="Ingest projects' merge requests, pipelines and deployments from GitLab.",
    reader="",
    scope=Scope("projects", "a project", "GROUP/NAME, such as our-group/api"),
    default_base_url="https://gitlab.com",
    token_env="GITLAB_TOKEN",
    identities=IdentityHint(),
    docs="docs/sources/gitlab.md",
    sync="quarterdeck.ingest.gitlab_ingest:sync_gitlab",
    command="quarterdeck.cli.gitlab:ingest_gitlab",
)
