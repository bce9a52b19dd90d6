"""``quarterdeck ingest all``: every source listed in the project file, in its order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, format_option, resolve_settings
from quarterdeck.cli.source_runs import run_sources, since_option
from quarterdeck.config.sources import PROJECT_FILE_ENV, find_project_file
from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.project_file import load_sources


@click.command("all")
@click.option(
    "--project-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"The file listing the sources (default: ./quarterdeck.yaml; env {PROJECT_FILE_ENV}).",
)
@click.option("--only", multiple=True, metavar="NAME", help="Sync only the sources of this name or type (repeatable).")
@since_option
@db_options
@format_option
def ingest_all(
    project_file: Path | None, only: tuple[str, ...], since: Any, db: Path | None, config_file: Path | None,
    output_format: str,
) -> None:  # fmt: skip
    """Sync every source listed in the project file (quarterdeck.yaml).

    Each source is read incrementally from where its last sync stopped; tokens come from the
    environment variables the file names (token_env), never from the file. A source that
    fails is reported and the others still run; the exit status is then 1. Records a source
    sent that could not be stored are listed, and give exit status 3.

    \b
    Example quarterdeck.yaml:
      sources:
        - type: github
          repositories: [our-org/api, our-org/web]
        - type: jira
          base_url: https://our-org.atlassian.net
          projects: [ENG]
        - type: pagerduty
    See docs/connectors.md for every type and its options.
    """
    path = find_project_file(project_file)
    if path is None:
        raise ConfigError(
            "no project file: create quarterdeck.yaml listing your sources (docs/connectors.md), or give --project-file"
        )
    sources = load_sources(path)
    if only:
        sources = [s for s in sources if s.name in only or s.type in only]
        if not sources:
            raise ConfigError(f"{path}: no source is named or of type {', '.join(only)}")
    settings = resolve_settings(db, config_file)
    run_sources(settings, sources, since.date() if since else None, output_format, f"Sources of {path}")
