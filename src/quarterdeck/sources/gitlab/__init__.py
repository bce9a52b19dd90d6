"""GitLab: merge requests with approvals, notes and commits, pipelines and jobs,
deployments, from GitLab's REST API v4 (gitlab.com, or a self-managed GitLab through its
base URL; docs/sources/gitlab.md). The API calls and record mappings are in ``client``,
``merge_requests`` (with ``system_notes``), ``pipelines`` and ``deployments``; the
incremental reading in ``reader``."""

import re
from typing import Any

from quarterdeck.sources.frame import Flag, IdentityHint, Resource, Scope, Source

DEFAULT_BASE_URL = "https://gitlab.com"
PROJECT_PATH = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$")


def _project_entry(entry: Any) -> bool:
    """A project's full path, or a mapping (``{project: ..., service: ...}``, checked when read)."""
    return isinstance(entry, dict) or (isinstance(entry, str) and PROJECT_PATH.match(entry) is not None)


SOURCE = Source(
    name="gitlab",
    kind="api",
    title="GitLab",
    summary="Ingest projects' merge requests, pipelines and deployments from GitLab.",
    reader="quarterdeck.sources.gitlab.reader:read_gitlab",
    scope=Scope("projects", "a project", "GROUP/NAME (or GROUP/SUB/NAME), such as our-group/api", _project_entry),
    default_base_url=DEFAULT_BASE_URL,
    token_env="GITLAB_TOKEN",
    resources=(
        Resource(
            "merge_requests",
            "pull_requests",
            "the latest update time stored, no later than that of the oldest merge request not stored",
        ),
        Resource(
            "pipelines",
            "ci_runs",
            "the update time of the oldest pipeline unfinished or not stored, else of the newest read",
        ),
        Resource(
            "deployments",
            "deployments",
            "the update time of the oldest deployment unfinished or not stored, else of the newest read",
        ),
    ),
    identities=IdentityHint(),
    flags=(
        Flag(
            "--project",
            "A project to read, by its full path (repeatable), e.g. our-group/api or our-group/platform/deploy.",
            "scope",
            metavar="GROUP/NAME",
            multiple=True,
            required=True,
        ),
        Flag(
            "--base-url",
            "Address of the GitLab instance (the API is under /api/v4); for self-managed GitLab: https://HOST.",
            "base_url",
            metavar="URL",
        ),
    ),
    description="""For each project: merge requests with their approvals, notes (comments, and the review
timeline GitLab writes as system notes) and commits; finished pipelines as CI runs,
with their jobs; finished deployments (service: the project's name; use quarterdeck.yaml
to name another service or the project's production environments).

The token comes from the environment variable GITLAB_TOKEN (never from a file, never
stored); it needs the read_api scope. Runs are incremental: each reads only what was
updated since the last one, and an interrupted run is read again by the next. Rate limits
are waited out, 5xx answers and timeouts retried. To read several systems at once, list
them in quarterdeck.yaml and run `quarterdeck ingest all`. See docs/sources/gitlab.md.""",
    examples=(
        "GITLAB_TOKEN=... quarterdeck ingest gitlab --project our-group/api --project our-group/web",
        "quarterdeck ingest gitlab --project platform/tools/deploy --base-url https://gitlab.example.com",
        "quarterdeck ingest gitlab --project our-group/api --since 2025-01-01",
    ),
    docs="docs/sources/gitlab.md",
)
