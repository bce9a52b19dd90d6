"""``quarterdeck ingest gitlab``: merge requests, pipelines and deployments from GitLab's API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, format_option, resolve_settings
from quarterdeck.cli.source_runs import run_sources, since_option
from quarterdeck.connectors.gitlab.client import PROJECT_PATH
from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.project_file import one_off


@click.command("gitlab")
@click.option(
    "--project",
    "projects",
    required=True,
    multiple=True,
    metavar="GROUP/NAME",
    help="A project to read, by its full path (repeatable), e.g. our-group/api or our-group/platform/deploy.",
)
@click.option(
    "--base-url",
    default="https://gitlab.com",
    show_default=True,
    help="Address of the GitLab instance (the API is under /api/v4); for self-managed GitLab: https://HOST.",
)
@since_option
@db_options
@format_option
def ingest_gitlab(
    projects: tuple[str, ...],
    base_url: str,
    since: Any,
    db: Path | None,
    config_file: Path | None,
    output_format: str,
) -> None:
    """Ingest projects' merge requests, pipelines and deployments from GitLab.

    For each project: merge requests with their approvals, notes (comments, and the review
    timeline GitLab writes as system notes) and commits; finished pipelines as CI runs,
    with their jobs; finished deployments (service: the project's name; use quarterdeck.yaml
    to name another service or the project's production environments).

    The token comes from the environment variable GITLAB_TOKEN (never from a file, never
    stored); it needs the read_api scope. Runs are incremental: each reads only what was
    updated since the last one, and an interrupted run is read again by the next. Rate limits
    are waited out, 5xx answers and timeouts retried. To read several systems at once, list
    them in quarterdeck.yaml and run `quarterdeck ingest all`. See docs/sources/gitlab.md.

    \b
    Examples:
      GITLAB_TOKEN=... quarterdeck ingest gitlab --project our-group/api --project our-group/web
      quarterdeck ingest gitlab --project platform/tools/deploy --base-url https://gitlab.example.com
      quarterdeck ingest gitlab --project our-group/api --since 2025-01-01
    """
    for project in projects:
        if not PROJECT_PATH.match(project):
            raise ConfigError(
                f"--project must be GROUP/NAME (or GROUP/SUB/NAME), such as our-group/api, not {project!r}"
            )
    settings = resolve_settings(db, config_file)
    source = one_off("gitlab", projects, base_url)
    run_sources(settings, [source], since.date() if since else None, output_format, "GitLab")
