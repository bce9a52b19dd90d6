"""``quarterdeck serve``: the web app; today the event endpoints CD pipelines and incident tools push to."""

from __future__ import annotations

import copy
import ipaddress
from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, open_for_writing, resolve_settings
from quarterdeck.config import Settings
from quarterdeck.config.access import AccessList, default_access_path, load_access
from quarterdeck.config.access import check_org_units as check_access_org
from quarterdeck.config.targets import Targets, default_targets_path, load_targets, load_targets_if_present
from quarterdeck.config.targets import check_org_units as check_targets_org
from quarterdeck.core.errors import ConfigError, WarehouseError
from quarterdeck.metrics import catalog
from quarterdeck.store import Warehouse
from quarterdeck.web.auth import HOW_TO_CONFIGURE, TOKENS_ENV, TokenSet


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Other than 127.0.0.1, localhost or ::1 only with event tokens configured.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on (0: any free)."
)
@click.option(
    "--targets",
    "targets_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Metric targets (metric, scope, target, owner) that colour the dashboard; default: targets.yaml "
    "beside the warehouse, when there is one (docs/targets.md).",
)
@click.option(
    "--access",
    "access_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Who may sign in to the dashboard, with which role (docs/dashboard.md, Access); default: access.yaml "
    "beside the warehouse, when there is one. Needed to serve the dashboard beyond this machine.",
)
@db_options
def serve(
    host: str,
    port: int,
    targets_file: Path | None,
    access_file: Path | None,
    db: Path | None,
    config_file: Path | None,
) -> None:
    """Serve the warehouse over HTTP: the dashboard, its JSON under /api/v1/, and the event
    endpoints that deployments and incidents are pushed to, as they happen.

    \b
      GET  /                          the org scorecard (?team=ID&months=N&until=YYYY-MM-DD)
      GET  /metrics/NAME              one metric: definition, chart, by team, rows, SQL
      GET  /api/v1/scorecard          the same as JSON; /api/v1/openapi.json lists every route

    \b
      POST /api/v1/events/deployments
      POST /api/v1/events/incidents

    Each takes one JSON object (a record with the fields of docs/delivery-inputs.md) or
    an array of them, with "Authorization: Bearer TOKEN", TOKEN one of the comma-separated
    tokens of the environment variable QUARTERDECK_EVENT_TOKENS (their only source; they are
    never printed). Events follow the rules of file imports: one re-sent is stored once, a
    corrected one (same id, other content) replaces the stored row, timestamps need a UTC
    offset.

    \b
    Answers (JSON):
      200  {"kind", "received", "loaded", "replaced", "unchanged", "problems": [...]}
      422  same body, when every record was rejected (not a JSON object counts as rejected)
      400  the body is not JSON       401  no valid token
      413  body over 10 MB            503  no token configured

    Without tokens the endpoints answer 503, and serve listens only on the local machine
    (127.0.0.1, localhost, ::1). serve holds the warehouse while it runs: DuckDB lets one
    process write a file, so other quarterdeck commands on the same warehouse fail with
    "in use by another process" until it stops (Ctrl-C).

    \b
    Examples:
      export QUARTERDECK_EVENT_TOKENS=$(openssl rand -hex 32)
      quarterdeck serve --port 8000
      curl -X POST http://127.0.0.1:8000/api/v1/events/deployments \\
        -H "Authorization: Bearer $QUARTERDECK_EVENT_TOKENS" \\
        -H 'Content-Type: application/json' \\
        -d '{"id": "deploy-4711", "service": "checkout", "environment": "production",
             "commit_sha": "'"$(git rev-parse HEAD)"'", "started_at": "2026-03-29T00:21:00Z",
             "finished_at": "2026-03-29T00:30:00Z", "result": "success"}'
      curl -X POST http://127.0.0.1:8000/api/v1/events/incidents \\
        -H "Authorization: Bearer $QUARTERDECK_EVENT_TOKENS" \\
        -H 'Content-Type: application/json' \\
        -d '[{"id": "INC-204", "service": "checkout", "severity": "SEV2",
              "created_at": "2026-03-29T01:10:00+01:00"}]'
      curl ... /api/v1/events/deployments --data-binary @deployments.json   # an array
    """
    settings = resolve_settings(db, config_file)
    check_folder(settings.db)
    tokens = TokenSet.from_environment()
    access = read_access(access_file, settings.db)
    check_exposure(host, tokens, access)
    targets = read_targets(targets_file, settings.db)
    with open_for_writing(settings) as warehouse:  # create or migrate it now, and fail here, not in the server
        units = org_unit_ids(warehouse)
    check_targets_org(targets, units, settings.db)
    if access is not None:
        check_access_org(access, units, settings.db)
    run_server(host, port, settings, tokens, targets, access=access)


def check_folder(db: Path) -> None:
    """serve creates a warehouse for events in a folder that exists, never the folder: a
    mistyped --db is an error, not a new empty warehouse."""
    if not db.parent.is_dir():
        raise WarehouseError(
            f"{db}: there is no folder {db.parent}; serve does not create folders (is --db mistyped?). "
            "Give the path of an existing warehouse, or create the folder first"
        )


def org_unit_ids(warehouse: Warehouse) -> set[str]:
    """The id of every team and unit the warehouse's organization has had."""
    return {row[0] for row in warehouse.con.execute("SELECT team_id FROM teams").fetchall()}


def read_access(path: Path | None, db: Path) -> AccessList | None:
    """The access file named, or the one beside the warehouse if there is one (None: none)."""
    if path is not None:
        return load_access(path)
    default = default_access_path(db)
    return load_access(default) if default.exists() else None


def read_targets(path: Path | None, db: Path) -> Targets:
    """The targets file named, or the one beside the warehouse if there is one."""
    known = {m.name: m.good_direction for m in catalog().values()}
    if path is not None:
        return load_targets(path, known)
    return load_targets_if_present(default_targets_path(db), known)


def run_server(
    host: str,
    port: int,
    settings: Settings,
    tokens: TokenSet,
    targets: Targets | None = None,
    *,
    access: AccessList | None = None,
    announce: bool = True,
) -> None:
    """Build the app and serve it until Ctrl-C (or SIGTERM)."""
    # Imported here, not at the top: the web stack adds about 70 ms to the start of every command.
    import uvicorn

    from quarterdeck.ingest.delivery import load_records
    from quarterdeck.web.app import create_app
    from quarterdeck.web.events import KINDS, PREFIX

    endpoints = ", ".join(f"POST {PREFIX}/{kind}" for kind in KINDS)
    if announce:
        _announce(host, settings.db, tokens, endpoints)
    # The dashboard's pages and data: to this machine, or to whoever signs in with a token of the access file.
    dashboard = is_local(host) or access is not None
    if not dashboard:
        click.echo(
            f"note: listening on {host}: only the event endpoints are served; the dashboard needs an access "
            "file (--access) to be served beyond this machine",
            err=True,
        )
    elif access is not None and announce:
        click.echo(f"dashboard: {len(access)} people may sign in ({access.path})", err=True)
    app = create_app(
        settings.db,
        settings,
        load_records=load_records,
        tokens=tokens,
        targets=targets,
        dashboard=dashboard,
        access=access,
    )
    uvicorn.run(app, host=host, port=port, log_config=log_config(), server_header=False)


def is_local(host: str) -> bool:
    """Whether ``host`` is this machine only: localhost or a loopback address."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, tokens: TokenSet, access: AccessList | None = None) -> None:
    """Refuse to listen beyond this machine while nothing could authorize a request."""
    if is_local(host) or len(tokens) or access is not None:
        return
    raise ConfigError(
        f"refusing to listen on {host} without event tokens or an access file: {HOW_TO_CONFIGURE}, or give "
        "--access FILE for the dashboard; or listen on this machine only (--host 127.0.0.1, the default)"
    )


def _announce(host: str, db: Path, tokens: TokenSet, endpoints: str) -> None:
    click.echo(f"quarterdeck serve: warehouse {db} (held until serve stops); {endpoints}", err=True)
    if not len(tokens):
        click.echo(
            f"warning: no event tokens ({TOKENS_ENV} is not set): the endpoints answer 503; {HOW_TO_CONFIGURE}",
            err=True,
        )
    else:
        click.echo(f"{len(tokens)} event token{'s' if len(tokens) != 1 else ''} from {TOKENS_ENV}", err=True)
    if not is_local(host):
        click.echo(
            f"note: listening on {host} over plain HTTP: tokens cross the network in clear unless a "
            "TLS-terminating proxy stands in front",
            err=True,
        )


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with the web app's own lines (one per event request) beside its own."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["quarterdeck"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
