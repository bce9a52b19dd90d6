"""``quarterdeck ingest github``: pull requests and their life, issues, CI, deployments and releases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, format_option, resolve_settings
from quarterdeck.cli.source_runs import run_sources, since_option
from quarterdeck.core.errors import ConfigError
from quarterdeck.ingest.github_ingest import REPOSITORY
from quarterdeck.sources.project_file import one_off


@click.command("github")
@click.option(
    "--repo",
    "repositories",
    required=True,
    multiple=True,
    metavar="OWNER/NAME",
    help="A repository to read (repeatable).",
)
@click.option(
    "--base-url",
    default="https://api.github.com",
    show_default=True,
    help="API address; for GitHub Enterprise Server: https://HOST/api/v3.",
)
@since_option
@db_options
@format_option
def ingest_github(
    repositories: tuple[str, ...],
    base_url: str,
    since: Any,
    db: Path | None,
    config_file: Path | None,
    output_format: str,
) -> None:
    """Ingest repositories' pull requests, issues, Actions runs, deployments and releases from GitHub.

    \b
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
    at once, list them there and run `quarterdeck ingest all`.

    \b
    Examples:
      GITHUB_TOKEN=... quarterdeck ingest github --repo our-org/api --repo our-org/web
      quarterdeck ingest github --repo team/app --base-url https://ghe.example.com/api/v3
      quarterdeck ingest github --repo our-org/api --since 2026-01-01   # first run: recent only
    """
    for repository in repositories:
        if not REPOSITORY.match(repository):
            raise ConfigError(f"--repo must be OWNER/NAME, such as our-org/api, not {repository!r}")
    settings = resolve_settings(db, config_file)
    source = one_off("github", repositories, base_url)
    run_sources(settings, [source], since.date() if since else None, output_format, "GitHub")
