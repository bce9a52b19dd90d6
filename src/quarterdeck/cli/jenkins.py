"""``quarterdeck ingest jenkins``: builds (as CI runs, with queue time) and pipeline stages from Jenkins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, format_option, resolve_settings
from quarterdeck.cli.source_runs import run_sources, since_option
from quarterdeck.config.sources import one_off
from quarterdeck.core.errors import ConfigError


@click.command("jenkins")
@click.option(
    "--base-url",
    required=True,
    metavar="URL",
    help="Address of the Jenkins instance, such as https://ci.example.com (with its path, if it has one).",
)
@click.option(
    "--job",
    "jobs",
    required=True,
    multiple=True,
    metavar="NAME",
    help="A job's full name, as in its URL without the /job/ parts: team/api, or a multibranch "
    "pipeline team/api (all its branches) or one branch team/api/main (repeatable).",
)
@click.option(
    "--repository",
    metavar="NAME",
    help="The repository the builds belong to (default: the job's last name; for a branch of a "
    "multibranch pipeline, the pipeline's).",
)
@since_option
@db_options
@format_option
def ingest_jenkins(
    base_url: str,
    jobs: tuple[str, ...],
    repository: str | None,
    since: Any,
    db: Path | None,
    config_file: Path | None,
    output_format: str,
) -> None:
    """Ingest Jenkins builds as CI runs, and the stages of pipeline builds.

    Each finished build becomes a CI run: when it was queued (from the Metrics plugin's
    time in queue, when installed; otherwise unknown), started and finished, its result
    (SUCCESS success; FAILURE and UNSTABLE failure; ABORTED cancelled; NOT_BUILT skipped)
    and the commit the git plugin built. Stages of pipeline builds (Pipeline Stage View
    plugin) become CI jobs. Builds still running are read again by the next run.

    Authentication is HTTP basic with a user and an API token taken from the environment:
    JENKINS_USER and JENKINS_TOKEN (never from a file, never stored). Runs are incremental:
    each reads only builds newer than those already stored. To read several instances or
    set options (user_env, page_size, stages), list them in quarterdeck.yaml and run
    `quarterdeck ingest all` (see docs/sources/jenkins.md).

    \b
    Examples:
      JENKINS_USER=me JENKINS_TOKEN=... quarterdeck ingest jenkins \\
          --base-url https://ci.example.com --job team/api --job team/web
      quarterdeck ingest jenkins --base-url https://ci.example.com --job team/api-pipeline --since 2025-01-01
    """
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"--base-url must be an http(s) address, not {base_url!r}")
    settings = resolve_settings(db, config_file)
    scopes = tuple({"job": job, "repository": repository} if repository else job for job in jobs)
    source = one_off("jenkins", scopes, base_url)
    run_sources(settings, [source], since.date() if since else None, output_format, "Jenkins")
