"""GitHub: pull requests with reviews, commits and timelines, review comments, issues,
Actions runs and jobs, deployments and releases (docs/sources/github.md)."""

from quarterdeck.sources.frame import IdentityHint, Scope, Source

SOURCE = Source(
    name="github",
    kind="api",
    summary="Ingest repositories' pull requests, issues, Actions runs, deployments and releases from GitHub.",
    reader="",
    scope=Scope("repositories", "a repository", "OWNER/NAME, such as our-org/api"),
    default_base_url="https://api.github.com",
    token_env="GITHUB_TOKEN",
    identities=IdentityHint(
        "github_login", "accounts link by the github column of the people export, e-mail or mapping"
    ),
    docs="docs/sources/github.md",
    sync="quarterdeck.ingest.github_ingest:sync_github",
    command="quarterdeck.cli.github:ingest_github",
)
