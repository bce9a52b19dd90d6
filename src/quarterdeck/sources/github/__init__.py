"""GitHub: pull requests with reviews, commits and timelines, review comments, issues,
Actions runs and jobs, deployments and releases (docs/sources/github.md). The API calls and
records are in ``pulls``, ``timeline``, ``issues``, ``actions``, ``deployments`` and
``releases``; the incremental reading in ``reader`` and the ``read_*`` modules."""

import re
from typing import Any

from quarterdeck.sources.frame import Flag, IdentityHint, Option, Resource, Scope, Source, list_of_text, whole_number

REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
DEFAULT_BUG_LABELS = ("bug", "type: bug", "kind/bug")


def is_repository(entry: Any) -> bool:
    return isinstance(entry, str) and REPOSITORY.match(entry) is not None


def is_service_mapping(value: Any) -> bool:
    return value is None or (isinstance(value, dict) and all(isinstance(v, str) for v in value.values()))


SOURCE = Source(
    name="github",
    kind="api",
    title="GitHub",
    summary="Ingest repositories' pull requests, issues, Actions runs, deployments and releases from GitHub.",
    reader="quarterdeck.sources.github.reader:read_github",
    scope=Scope("repositories", "a repository", "OWNER/NAME, such as our-org/api", is_repository),
    default_base_url="https://api.github.com",
    token_env="GITHUB_TOKEN",
    options=(
        Option(
            "bug_labels",
            list(DEFAULT_BUG_LABELS),
            "a list of label names, such as [bug]",
            list_of_text,
            "the labels that make an issue a bug",
        ),
        Option(
            "services",
            {},
            "a mapping of repositories to services, such as our-org/api: api",
            is_service_mapping,
            "the service each repository's deployments deploy (default: the repository's name)",
        ),
        Option(
            "parallel_requests",
            1,
            "a whole number from 1 to 16",
            whole_number(1, 16),
            "pull requests whose reviews, commits and events are asked for at once: 1, as GitHub asks "
            "of its clients, unless the server allows more (a GitHub Enterprise Server, a local replay)",
        ),
    ),
    resources=(
        Resource("pull_requests", "pull_requests", "the latest update stored (with pr_commits and pr_events)"),
        Resource("pr_commits", "pr_commits", "read with their pull request: the pull requests' cursor"),
        Resource("pr_events", "pr_events", "read with their pull request: the pull requests' cursor"),
        Resource("pr_comments", "pr_comments", "the latest update stored"),
        Resource("issues", "issues", "the latest update stored"),
        Resource("workflow_runs", "ci_runs", "the creation of the oldest run unfinished, else of the newest"),
        Resource("ci_jobs", "ci_jobs", "read once, when their run is first stored finished"),
        Resource("deployments", "deployments", "the creation of the oldest deployment unfinished, else the newest"),
        Resource("releases", "releases", "the creation of the oldest draft, else of the newest release"),
    ),
    identities=IdentityHint(
        "github_login", "accounts link by the github column of the people export, e-mail or mapping"
    ),
    flags=(
        Flag(
            "--repo", "A repository to read (repeatable).", "scope", metavar="OWNER/NAME", multiple=True, required=True
        ),
        Flag(
            "--base-url", "API address; for GitHub Enterprise Server: https://HOST/api/v3.", "base_url", metavar="TEXT"
        ),
    ),
    description="""\b
What is read, per repository (each with its own cursor and summary row):
  pull_requests  pull requests, with their reviews (pulls, pulls/N/reviews)
  pr_commits     each pull request's commits (pulls/N/commits)
  pr_events      its timeline: review requested, ready, merged ... (issues/N/events)
  pr_comments    review comments (pulls/comments)
  issues         issues, not pull requests; bug by label (issues)
  workflow_runs  finished Actions runs, as CI runs (actions/runs)
  ci_jobs        the jobs of runs newly finished (actions/runs/ID/jobs)
  deployments    finished deployments, result from their statuses (deployments)
  releases       releases, drafts included (releases)

The token comes from the environment variable GITHUB_TOKEN (never from a file, never
stored); a fine-grained token needs read access to Pull requests, Issues, Actions,
Deployments and Contents. Runs are incremental: each reads only what changed since the
last one (a second run with nothing new makes one request per endpoint), and an
interrupted run is read again by the next. Rate limits are waited out (up to 15 minutes),
and 5xx answers and timeouts retried. Bug labels and the service of each repository's
deployments are set in quarterdeck.yaml (docs/sources/github.md); to read several systems
at once, list them there and run `quarterdeck ingest all`.""",
    examples=(
        "GITHUB_TOKEN=... quarterdeck ingest github --repo our-org/api --repo our-org/web",
        "quarterdeck ingest github --repo team/app --base-url https://ghe.example.com/api/v3",
        "quarterdeck ingest github --repo our-org/api --since 2026-01-01   # first run: recent only",
    ),
    docs="docs/sources/github.md",
)
