"""Git: the history of repositories, every commit with its per-file line counts
(docs/git-ingestion.md). Read with git itself (``command``), incrementally by the refs'
tips; its loading is ``quarterdeck.ingest.git_ingest``."""

from quarterdeck.sources.frame import Resource, Source

SOURCE = Source(
    name="git",
    kind="repository",
    summary="Ingest the history of git repositories.",
    reader="",
    resources=(
        Resource("commits", "commits", "the refs' tips read last time: only new commits are read"),
        Resource("file changes", "commit_files", "with their commit"),
    ),
    docs="docs/git-ingestion.md",
    command="quarterdeck.cli.ingest:ingest_git",
)
