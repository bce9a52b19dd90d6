"""``quarterdeck ingest github``: pull requests and reviews from GitHub's API."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from quarterdeck.cli.context import db_options, format_option, open_for_writing, resolve_settings
from quarterdeck.cli.output import emit
from quarterdeck.connectors.github.pulls import DEFAULT_BASE_URL, github_client
from quarterdeck.core.clock import now
from quarterdeck.core.errors import ConfigError
from quarterdeck.ingest.github_ingest import ingest_pull_requests, ingest_workflow_runs

_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@click.command("github")
@click.option("--repo", "repository", required=True, metavar="OWNER/NAME", help="The repository to read.")
@click.option(
    "--base-url",
    default=DEFAULT_BASE_URL,
    show_default=True,
    help="API address; for GitHub Enterprise Server: https://HOST/api/v3.",
)
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    help="First run only: read pull requests updated on or after this day (default: all).",
)
@db_options
@format_option
def ingest_github(
    repository: str, base_url: str, since: Any, db: Path | None, config_file: Path | None, output_format: str
) -> None:
    """Ingest a repository's pull requests, their reviews, and its Actions runs from GitHub.

    The token comes from the environment variable GITHUB_TOKEN (never from a file, never
    stored). Runs are incremental: each reads only what was updated since the last one,
    and an interrupted run is read again in full by the next. Finished Actions runs become
    CI runs (queue, run time, result: see docs/delivery-metrics.md). Rate limits are waited out
    (up to 15 minutes), and 5xx answers and timeouts retried.

    \b
    Examples:
      GITHUB_TOKEN=... quarterdeck ingest github --repo our-org/api
      quarterdeck ingest github --repo team/app --base-url https://ghe.example.com/api/v3
    """
    if not _REPOSITORY.match(repository):
        raise ConfigError(f"--repo must be OWNER/NAME, such as our-org/api, not {repository!r}")
    settings = resolve_settings(db, config_file)
    token = os.environ.get("GITHUB_TOKEN") or None
    err = Console(stderr=True, highlight=False)
    if token is None:
        err.print("note: GITHUB_TOKEN is not set: reading without a token (public repositories, 60 requests an hour)")
    client = github_client(base_url, token, on_wait=lambda _, why: err.print(f"note: {why}"))
    first_day = since.replace(tzinfo=now().tzinfo) if since else None
    with client, open_for_writing(settings) as warehouse:
        pulls = ingest_pull_requests(warehouse, client, repository, first_day, now())
        runs = ingest_workflow_runs(warehouse, settings, client, repository, first_day, now())
    columns = ["repository", "pull_requests", "reviews", "workflow_runs", "runs_unfinished", "requests"]
    row = [repository, pulls.pull_requests, pulls.reviews, runs.runs_stored, runs.runs_unfinished, client.requests]
    emit(columns, [row], output_format, title=f"GitHub {repository}")
