"""``quarterdeck ingest jira``: issues, their status changes, statuses and sprints from Jira."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, format_option, resolve_settings
from quarterdeck.cli.source_runs import run_sources, since_option
from quarterdeck.connectors.jira.options import APIS, PROJECT_KEY
from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.project_file import one_off


@click.command("jira")
@click.option(
    "--base-url",
    required=True,
    metavar="URL",
    help="The Jira site: https://our-org.atlassian.net (Cloud), or your server's address with its context "
    "path, such as https://jira.example.com/jira (Data Center).",
)
@click.option(
    "--project",
    "projects",
    required=True,
    multiple=True,
    metavar="KEY",
    help="A project key to read, such as ENG (repeatable).",
)
@click.option(
    "--api",
    type=click.Choice(APIS),
    help="Which Jira answers (default: cloud for *.atlassian.net, datacenter for any other host).",
)
@since_option
@db_options
@format_option
def ingest_jira(
    base_url: str,
    projects: tuple[str, ...],
    api: str | None,
    since: Any,
    db: Path | None,
    config_file: Path | None,
    output_format: str,
) -> None:
    """Ingest projects' issues, their status changes, the site's statuses, and sprints from Jira.

    Each issue keeps its type (and whether it is a bug), status and status category (to do,
    in progress, done: by Jira's category, never by the localised name), assignee, reporter,
    parent, latest sprint and dates; each status change becomes an issue transition. Sprints
    come from the projects' boards.

    The token comes from the environment, never from a file, and is never stored: on Jira
    Cloud an API token in JIRA_TOKEN with the account's e-mail in JIRA_EMAIL; on Data Center
    or Server a personal access token in JIRA_TOKEN. It needs 'Browse projects' on each
    project. Runs are incremental: each reads the issues updated since the last one (a few
    minutes of overlap, stored once), and an interrupted run is read again by the next.
    For bug types, story points and an extra JQL filter, configure the source in
    quarterdeck.yaml (docs/sources/jira.md) and run `quarterdeck ingest all`.

    \b
    Examples:
      JIRA_EMAIL=me@our-org.com JIRA_TOKEN=... quarterdeck ingest jira \\
          --base-url https://our-org.atlassian.net --project ENG --project OPS
      JIRA_TOKEN=... quarterdeck ingest jira --base-url https://jira.example.com --project ENG --since 2026-01-01
    """
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"--base-url must be an http(s) address, such as https://our-org.atlassian.net, not {base_url!r}"
        )
    for key in projects:
        if not PROJECT_KEY.match(key):
            raise ConfigError(f"--project must be a Jira project key, such as ENG, not {key!r}")
    settings = resolve_settings(db, config_file)
    source = one_off("jira", projects, base_url, **({"api": api} if api else {}))
    run_sources(settings, [source], since.date() if since else None, output_format, "Jira")
