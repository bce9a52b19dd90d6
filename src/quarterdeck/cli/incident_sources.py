"""``quarterdeck ingest pagerduty`` and ``quarterdeck ingest opsgenie``: incidents, with their
timelines, from the on-call systems' APIs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, format_option, resolve_settings
from quarterdeck.cli.source_runs import run_sources, since_option
from quarterdeck.core.errors import ConfigError
from quarterdeck.sources.project_file import one_off


def _service_option(example: str) -> Any:
    return click.option(
        "--service",
        "services",
        multiple=True,
        metavar="ID[=NAME]",
        help=f"A service to read (repeatable), by its id; =NAME gives the Quarterdeck service it stands for "
        f"(e.g. {example}=api). Default: all services.",
    )


@click.command("pagerduty")
@_service_option("PIKL83L")
@click.option(
    "--severity-from",
    type=click.Choice(["priority", "urgency"]),
    default="priority",
    show_default=True,
    help="Severity from the incident's priority (P1 ...; urgency when it has none), or from its urgency only.",
)
@click.option(
    "--base-url",
    default="https://api.pagerduty.com",
    show_default=True,
    help="API address; for an account in PagerDuty's EU region: https://api.eu.pagerduty.com.",
)
@since_option
@db_options
@format_option
def ingest_pagerduty(
    services: tuple[str, ...],
    severity_from: str,
    base_url: str,
    since: Any,
    db: Path | None,
    config_file: Path | None,
    output_format: str,
) -> None:
    """Ingest incidents, with their log entries, from PagerDuty.

    Reads GET /incidents (by creation time) and each incident's log entries: incidents
    become the incidents of the delivery metrics (id pagerduty:ID; severity from the
    priority, else the urgency: high ranks 2, low 4), log entries their timeline
    (trigger, acknowledge, escalate, resolve ...). The token comes from the environment
    variable PAGERDUTY_TOKEN (a REST API key; read-only is enough), never from a file, and
    is never stored. Runs are incremental: each goes on from the oldest incident still
    unresolved. See docs/sources/pagerduty.md.

    \b
    Examples:
      PAGERDUTY_TOKEN=... quarterdeck ingest pagerduty
      quarterdeck ingest pagerduty --service PIKL83L=api --service P2A6ZQX=web --since 2026-01-01
    """
    settings = resolve_settings(db, config_file)
    source = one_off("pagerduty", parse_services(services), base_url, severity_from=severity_from)
    run_sources(settings, [source], since.date() if since else None, output_format, "PagerDuty")


@click.command("opsgenie")
@_service_option("695bce3d-4621-4630-8ae1-24eb89c22d6e")
@click.option(
    "--base-url",
    default="https://api.opsgenie.com",
    show_default=True,
    help="API address; for an account in Opsgenie's EU region: https://api.eu.opsgenie.com.",
)
@since_option
@db_options
@format_option
def ingest_opsgenie(
    services: tuple[str, ...],
    base_url: str,
    since: Any,
    db: Path | None,
    config_file: Path | None,
    output_format: str,
) -> None:
    """Ingest incidents, with their timelines, from Opsgenie.

    Reads GET /v1/incidents (by creation time; with --service, those impacting that
    service) and each incident's timeline: incidents become the incidents of the delivery
    metrics (id opsgenie:ID, severity its priority P1..P5, acknowledged when a responder
    first acknowledged, resolved when it was resolved), timeline entries their events.
    The token comes from the environment variable OPSGENIE_TOKEN (the key of an API
    integration with Read access), never from a file, and is never stored. Runs are
    incremental: each goes on from the oldest incident still open. See
    docs/sources/opsgenie.md.

    \b
    Examples:
      OPSGENIE_TOKEN=... quarterdeck ingest opsgenie
      quarterdeck ingest opsgenie --base-url https://api.eu.opsgenie.com --service 695bce3d-...=api
    """
    settings = resolve_settings(db, config_file)
    source = one_off("opsgenie", parse_services(services), base_url)
    run_sources(settings, [source], since.date() if since else None, output_format, "Opsgenie")


def parse_services(values: tuple[str, ...]) -> tuple[Any, ...]:
    """``ID`` stays an id; ``ID=NAME`` becomes ``{id: ID, service: NAME}``, as in quarterdeck.yaml."""
    parsed: list[Any] = []
    for value in values:
        service_id, _, name = value.partition("=")
        if not service_id.strip() or ("=" in value and not name.strip()):
            raise ConfigError(f"--service must be ID or ID=NAME, such as PIKL83L=api, not {value!r}")
        parsed.append({"id": service_id.strip(), "service": name.strip()} if name else service_id.strip())
    return tuple(parsed)
