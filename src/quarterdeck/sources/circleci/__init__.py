"""CircleCI: finished workflows as CI runs (queued when created, started with their first
job), and their jobs as CI jobs (docs/sources/circleci.md). The API calls are in ``api``,
the incremental reading in ``reader``."""

import re
from typing import Any

from quarterdeck.sources.frame import Flag, IdentityHint, Resource, Scope, Source

_SLUG = re.compile(r"^(gh|github|bb|bitbucket|circleci)/[^/\s]+/[^/\s]+$")
PROJECT_EXPECTED = (
    "its slug, such as gh/our-org/api (or bb/WORKSPACE/REPO, circleci/ORG-ID/PROJECT-ID), "
    "or {project: SLUG, repository: NAME}"
)


def is_slug(value: Any) -> bool:
    """A project slug: ``gh/org/repo``, ``bb/workspace/repo`` or ``circleci/org-id/project-id``
    (``github/...`` and ``bitbucket/...`` too)."""
    return isinstance(value, str) and _SLUG.match(value) is not None


def is_project(entry: Any) -> bool:
    """A ``projects:`` entry: a slug, or ``{project: SLUG, repository: NAME}``."""
    if isinstance(entry, dict):
        repository = entry.get("repository")
        extra = set(entry) - {"project", "repository"}
        return is_slug(entry.get("project")) and not extra and (repository is None or isinstance(repository, str))
    return is_slug(entry)


SOURCE = Source(
    name="circleci",
    kind="api",
    title="CircleCI",
    summary="Ingest CircleCI workflows as CI runs, and their jobs.",
    reader="quarterdeck.sources.circleci.reader:read_circleci",
    scope=Scope(
        "projects",
        "a project",
        PROJECT_EXPECTED,
        is_project,
    ),
    default_base_url="https://circleci.com/api/v2",
    token_env="CIRCLECI_TOKEN",
    resources=(
        Resource(
            "pipelines",
            "ci_runs",
            "the highest pipeline number stored with every pipeline below it finished (each workflow one run)",
        ),
        Resource("jobs", "ci_jobs", "read with their workflow, once"),
    ),
    identities=IdentityHint(),
    flags=(
        Flag(
            "--base-url",
            "Address of CircleCI's API v2 (CircleCI server: https://HOST/api/v2).",
            "base_url",
            metavar="URL",
        ),
        Flag(
            "--project",
            "A project's slug: gh/ORG/REPO for GitHub, bb/WORKSPACE/REPO for Bitbucket, "
            "circleci/ORG-ID/PROJECT-ID for GitLab and GitHub App projects (repeatable).",
            "scope",
            metavar="SLUG",
            multiple=True,
            required=True,
        ),
        Flag(
            "--repository",
            "The repository the runs belong to (default: the repository each pipeline built, such as our-org/api).",
            "scope_field:repository",
            metavar="NAME",
        ),
    ),
    scope_field="project",
    description="""Each finished workflow of a pipeline becomes a CI run: queued when the workflow was
created, started when its first job started (CircleCI gives workflows no start time),
finished when it stopped; its result (success success; failed, error and unauthorized
failure; canceled cancelled; not_run skipped) and the commit the pipeline built. Its jobs
become CI jobs. Workflows still running or on hold are read again by the next run;
errored pipelines have no workflow and store nothing.

The token is a personal API token taken from the environment, CIRCLECI_TOKEN (never from
a file, never stored), sent in the Circle-Token header; public projects can be read
without one. Runs are incremental: each reads only pipelines newer than those already
stored. To read several organizations or a CircleCI server, list them in quarterdeck.yaml
and run `quarterdeck ingest all` (see docs/sources/circleci.md).""",
    examples=(
        "CIRCLECI_TOKEN=... quarterdeck ingest circleci --project gh/our-org/api --project gh/our-org/web",
        "quarterdeck ingest circleci --project bb/our-team/app --repository app --since 2025-01-01",
    ),
    docs="docs/sources/circleci.md",
)
