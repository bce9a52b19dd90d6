"""``quarterdeck ingest github``: pull requests, reviews and Actions runs from GitHub's API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, format_option, resolve_settings
from quarterdeck.cli.source_runs import run_sources, since_option
from quarterdeck.config.sources import DEFAULT_BASE_URLS, one_off
from quarterdeck.core.errors import ConfigError
from quarterdeck.ingest.github_ingest import REPOSITORY


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
    default=DEFAULT_BASE_URLS["github"],
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
    """Ingest repositories' pull requests, their reviews, and Actions runs from GitHub.

    The token comes from the environment variable GITHUB_TOKEN (never from a file, never
    stored). Runs are incremental: each reads only what was updated since the last one,
    and an interrupted run is read again in full by the next. Finished Actions runs become
    CI runs (queue, run time, result: see docs/delivery-metrics.md). Rate limits are waited out
    (up to 15 minutes), and 5xx answers and timeouts retried. To read several systems at
    once, list them in quarterdeck.yaml and run `quarterdeck ingest all`.

    \b
    Examples:
      GITHUB_TOKEN=... quarterdeck ingest github --repo our-org/api --repo our-org/web
      quarterdeck ingest github --repo team/app --base-url https://ghe.example.com/api/v3
    """
    for repository in repositories:
        if not REPOSITORY.match(repository):
            raise ConfigError(f"--repo must be OWNER/NAME, such as our-org/api, not {repository!r}")
    settings = resolve_settings(db, config_file)
    source = one_off("github", repositories, base_url)
    run_sources(settings, [source], since.date() if since else None, output_format, "GitHub")
