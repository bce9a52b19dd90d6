"""Bitbucket Cloud: pull requests with their commits and comments, pipelines and their steps
as CI runs and jobs, and deployments (docs/sources/bitbucket.md). The API calls and record
mapping are in ``api``, the incremental reading in ``reader`` and ``pipelines``."""

import re

from quarterdeck.sources.frame import (
    Flag,
    IdentityHint,
    Option,
    Resource,
    Scope,
    Source,
    env_name,
    is_bool,
    text_mapping,
    whole_number,
)


def _repository(value: object) -> bool:
    return isinstance(value, str) and re.match(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", value) is not None


SOURCE = Source(
    name="bitbucket",
    kind="api",
    title="Bitbucket",
    summary="Ingest Bitbucket Cloud repositories' pull requests, pipelines and deployments.",
    reader="quarterdeck.sources.bitbucket.reader:read_bitbucket",
    scope=Scope("repositories", "a repository", "WORKSPACE/SLUG, such as our-team/api", _repository),
    default_base_url="https://api.bitbucket.org/2.0",
    token_env="BITBUCKET_TOKEN",
    options=(
        Option(
            "user_env",
            "",
            "an environment variable's name, such as BITBUCKET_USER",
            lambda value: value == "" or env_name(value),
            "the environment variable holding the user an app password belongs to (then sent with "
            "HTTP basic authentication; without it the token is an access token, sent as Bearer)",
        ),
        Option(
            "page_size",
            50,
            "a whole number of items from 1 to 50, such as 50",
            whole_number(1, 50),
            "items asked for per page",
        ),
        Option("commits", True, "true or false", is_bool, "read the commits of each pull request read"),
        Option(
            "services",
            {},
            "a mapping of repositories to services, such as our-team/api: api",
            text_mapping,
            "the service each repository's deployments deploy (default: the repository's slug)",
        ),
    ),
    resources=(
        Resource("pull_requests", "pull_requests", "the latest update with every pull request updated up to it stored"),
        Resource("pr_commits", "pr_commits", "read with their pull request"),
        Resource("pr_comments", "pr_comments", "read with their pull request"),
        Resource("pipelines", "ci_runs", "the creation of the oldest pipeline still running, else of the newest"),
        Resource("steps", "ci_jobs", "read with their pipeline, once it has finished"),
        Resource("deployments", "deployments", "the start of the oldest deployment still running, else of the newest"),
    ),
    identities=IdentityHint(description="accounts are Atlassian account ids; they link to people by mapping rows"),
    flags=(
        Flag(
            "--repo",
            "A repository as WORKSPACE/SLUG, such as our-team/api (repeatable).",
            "scope",
            metavar="WORKSPACE/SLUG",
            multiple=True,
            required=True,
        ),
        Flag(
            "--base-url",
            "Address of the Bitbucket Cloud API.",
            "base_url",
            metavar="URL",
        ),
        Flag(
            "--user-env",
            "The environment variable holding the user of an app password (HTTP basic); "
            "without it BITBUCKET_TOKEN is sent as a Bearer access token.",
            "option:user_env",
            metavar="NAME",
        ),
    ),
    description="""Pull requests (every state) with their commits and comments; pipelines as CI runs
(queued when created, started when their first step started, finished when completed)
and their steps as CI jobs; deployments, with the result of the step that ran them.
Bitbucket gives no merge time in its listing: a merged pull request's last update
stands for it, and its merge commit is Bitbucket's 12-digit short hash.

The token comes from the environment: BITBUCKET_TOKEN, a repository, project or
workspace access token (sent as Bearer), or an app password with --user-env naming
the variable holding its user. Runs are incremental: each reads only what changed
since the last. To read several connections or set options (page_size, commits,
services), list them in quarterdeck.yaml and run `quarterdeck ingest all` (see
docs/sources/bitbucket.md).""",
    examples=(
        "BITBUCKET_TOKEN=... quarterdeck ingest bitbucket --repo our-team/api --repo our-team/web",
        "BITBUCKET_USER=me BITBUCKET_TOKEN=app-password quarterdeck ingest bitbucket \\\n"
        "    --repo our-team/api --user-env BITBUCKET_USER --since 2025-01-01",
    ),
    docs="docs/sources/bitbucket.md",
)
