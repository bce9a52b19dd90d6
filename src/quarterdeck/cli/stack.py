"""``quarterdeck stack``: the organization's tech stack, read at each repository's HEAD during
``ingest git`` (docs/tech-stack.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, format_option, open_for_reading, resolve_settings
from quarterdeck.cli.metrics import data_ends_note
from quarterdeck.cli.output import emit
from quarterdeck.metrics import MetricQuery
from quarterdeck.metrics.query import settings_query_fields
from quarterdeck.metrics.stack import DEPENDENCY_COLUMNS, dependencies, run_view, standards_from, unreadable

BY = {"team": "team", "repo": "repository", "repository": "repository", "org": "org"}


def _repo_option(fn: Any) -> Any:
    return click.option(
        "--repo", "repositories", multiple=True, metavar="NAME", help="Only this repository (repeatable)."
    )(fn)


def _by_option(default: str) -> Any:
    return click.option(
        "--by",
        type=click.Choice(("team", "repo", "org")),
        default=default,
        show_default=True,
        help="Group by the team owning each repository (services, CODEOWNERS), by repository, or not at all.",
    )


@click.group()
def stack() -> None:
    """The tech stack: languages, dependencies, version sprawl, licences, and where
    repositories leave the organization's standard stack.

    \b
    Read at each repository's HEAD during 'quarterdeck ingest git':
      quarterdeck stack languages --by team
      quarterdeck stack dependencies --repo api --format csv
      quarterdeck stack sprawl
      quarterdeck stack licences --by repo
      quarterdeck stack standards --standards standards.yaml
    """


def _show(view: str, repositories: tuple[str, ...], by: str | None, db: Path | None, config_file: Path | None,
          output_format: str, standards: Path | None = None) -> None:  # fmt: skip
    settings = resolve_settings(db, config_file)
    fields: dict[str, Any] = {}
    if view == "standards":
        fields["standards"] = standards_from(settings.db, standards)
    query = MetricQuery(repositories=repositories, by=BY[by] if by else None, **settings_query_fields(settings),
                        **fields)  # fmt: skip
    with open_for_reading(settings) as warehouse:
        result = run_view(warehouse, view, query)
    metric = result.metric
    meta = {"metric": metric.name, "as_of": result.window.until, "by": result.parameters.get("by")}
    note = data_ends_note(result.data_ends)
    if view == "standards":
        off = sorted({row[0] for row in result.rows})
        meta["standards"] = str(fields["standards"].path)
        meta["repositories_off_standard"] = off
        note = f"{len(off)} repositories off the standard stack ({fields['standards'].path})"
    title = f"{metric.title}, as of {result.window.until}"
    emit(result.columns, result.rows, output_format, title=title, meta=meta, note=note)


@stack.command("languages")
@_repo_option
@_by_option("team")
@db_options
@format_option
def languages(repositories: tuple[str, ...], by: str, db: Path | None, config_file: Path | None,
              output_format: str) -> None:  # fmt: skip
    """Lines per language (extension, name, or shebang), per team, repository or organization.

    \b
    Examples:
      quarterdeck stack languages
      quarterdeck stack languages --by repo --format csv
    """
    _show("languages", repositories, by, db, config_file, output_format)


@stack.command("frameworks")
@_repo_option
@_by_option("team")
@db_options
@format_option
def frameworks(repositories: tuple[str, ...], by: str, db: Path | None, config_file: Path | None,
               output_format: str) -> None:  # fmt: skip
    """Frameworks (django, react, spring-boot...) told from dependencies, with their versions.

    \b
    Example:
      quarterdeck stack frameworks --by team
    """
    _show("frameworks", repositories, by, db, config_file, output_format)


@stack.command("dependencies")
@_repo_option
@click.option("--unreadable", "show_unreadable", is_flag=True, help="List the manifests that could not be read.")
@db_options
@format_option
def dependencies_command(repositories: tuple[str, ...], show_unreadable: bool, db: Path | None,
                         config_file: Path | None, output_format: str) -> None:  # fmt: skip
    """Every declared dependency: its spec, the version its lock file resolves, dev or runtime,
    and its licence where the repository says it (an SBOM, vendored metadata).

    \b
    Examples:
      quarterdeck stack dependencies --repo api
      quarterdeck stack dependencies --unreadable
    """
    settings = resolve_settings(db, config_file)
    with open_for_reading(settings) as warehouse:
        if show_unreadable:
            emit(("repository", "path", "reason"), unreadable(warehouse), output_format, title="Unreadable manifests")
            return
        rows = dependencies(warehouse, MetricQuery(repositories=repositories))
    emit(DEPENDENCY_COLUMNS, rows, output_format, title="Dependencies at HEAD")


@stack.command("sprawl")
@_repo_option
@click.option("--all", "show_all", is_flag=True, help="Every dependency, not only those at several versions.")
@db_options
@format_option
def sprawl(repositories: tuple[str, ...], show_all: bool, db: Path | None, config_file: Path | None,
           output_format: str) -> None:  # fmt: skip
    """Version sprawl: dependencies in use at more than one version across the repositories.

    \b
    Examples:
      quarterdeck stack sprawl
      quarterdeck stack sprawl --all --format json
    """
    settings = resolve_settings(db, config_file)
    query = MetricQuery(repositories=repositories, **settings_query_fields(settings))
    with open_for_reading(settings) as warehouse:
        result = run_view(warehouse, "sprawl", query)
    at = result.columns.index("versions")
    rows = result.rows if show_all else [r for r in result.rows if r[at] > 1]
    meta = {"metric": result.metric.name, "as_of": result.window.until}
    emit(result.columns, rows, output_format, title=f"{result.metric.title}, as of {result.window.until}", meta=meta)


@stack.command("licences")
@_repo_option
@_by_option("org")
@db_options
@format_option
def licences(repositories: tuple[str, ...], by: str, db: Path | None, config_file: Path | None,
             output_format: str) -> None:  # fmt: skip
    """The dependencies' licence mix, copyleft flagged (strong: GPL, AGPL...; weak: LGPL, MPL, EPL...);
    'unknown' where the repository does not say.

    \b
    Examples:
      quarterdeck stack licences
      quarterdeck stack licences --by repo --format csv
    """
    _show("licences", repositories, by, db, config_file, output_format)


@stack.command("standards")
@_repo_option
@click.option(
    "--standards",
    "standards_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The standards file (default: standards.yaml next to the warehouse; docs/tech-stack.md).",
)
@db_options
@format_option
def standards(repositories: tuple[str, ...], standards_file: Path | None, db: Path | None, config_file: Path | None,
              output_format: str) -> None:  # fmt: skip
    """Repositories off the organization's standard stack: languages and frameworks not allowed,
    dependency versions out of range, banned licences.

    \b
    Example:
      quarterdeck stack standards --standards standards.yaml
    """
    _show("standards", repositories, None, db, config_file, output_format, standards_file)
