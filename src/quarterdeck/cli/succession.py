"""``quarterdeck succession``: key roles, their successors and bench strength on a date
(docs/succession.md)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, open_for_reading, resolve_settings
from quarterdeck.core.clock import today
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.metrics.data_end import data_end
from quarterdeck.metrics.org_design import NO_ORGANIZATION, load_org, resolve_unit
from quarterdeck.planning.succession import CSV_HEADER, succession, succession_csv_rows, succession_json

FORMATS = ("table", "json", "csv")


@click.command("succession")
@click.option(
    "--at", type=click.DateTime(["%Y-%m-%d"]),
    help="The date to look at (default: the last day of the data). Before the first organization import is an error.",
)  # fmt: skip
@click.option("--unit", metavar="UNIT", help="Only the key roles of this unit's subtree (id, name or alias).")
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True,
    help="table for people, json (everything) or csv (a row per key role).",
)  # fmt: skip
@db_options
def succession_command(
    at: Any, unit: str | None, output_format: str, db: Path | None, config_file: Path | None
) -> None:  # fmt: skip
    """Key roles, their successors and bench strength on a date.

    Key roles are computed: every manager and director seat of the org tree, and every
    service whose code has a bus factor of one (its repositories read together; the person
    holding it is named). The succession file (quarterdeck ingest succession) names each
    role's successors and how soon they are ready. Shown: roles with no successor ready now,
    bench strength per unit (ready-now successors per key role, share of key roles covered),
    managers who are also a service's only holder, and people named for many roles.

    \b
    Examples:
      quarterdeck succession
      quarterdeck succession --at 2026-06-30 --unit payments
      quarterdeck succession --format json > succession.json
      quarterdeck succession --unit platform --format csv
    """
    settings = resolve_settings(db, config_file)
    if not settings.db.exists():
        raise QuarterdeckError(f"{settings.db}: {NO_ORGANIZATION}")
    with open_for_reading(settings) as warehouse:
        day = at.date() if at is not None else data_end(warehouse, today(), settings.timezone)
        org = load_org(warehouse, day)
        top = resolve_unit(warehouse, org, unit) if unit else None
        found = succession(warehouse, org, top, settings.timezone)
    data = succession_json(found)
    if output_format == "json":
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    elif output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        writer.writerows(succession_csv_rows(found))
    else:
        print_succession(data)


def print_succession(data: dict[str, Any]) -> None:
    scope = f", unit {data['unit']}" if data["unit"] else ""
    click.echo(
        f"Succession on {data['at']}{scope}: {data['key_roles']} key roles, "
        f"{data['covered']} with a successor ready now"
    )
    click.echo("")
    rows = [
        (r["kind"], r["role"], r["name"], r["unit"] or "", _holder(r), str(r["ready_now"]),
         ", ".join(f"{s['name']} ({s['readiness']})" for s in r["successors"]) or "none")
        for r in data["roles"]
    ]  # fmt: skip
    _table(("kind", "role", "name", "unit", "holder", "ready now", "successors"), rows)
    click.echo("")
    click.echo("No successor ready now: " + (", ".join(data["no_ready_successor"]) or "none"))
    click.echo("")
    click.echo("Bench strength per unit:")
    bench = [
        (
            b["path"],
            str(b["key_roles"]),
            str(b["covered"]),
            f"{b['share_covered']:.0%}",
            f"{b['ready_now_per_role']:.2f}",
        )
        for b in data["bench"]
    ]
    _table(("unit", "key roles", "covered", "share covered", "ready now per role"), bench)
    click.echo("")
    points = [
        f"{p['name']} ({p['person']}, {p['seat']} of {p['unit']}): {', '.join(p['services'])}"
        for p in data["single_points"]
    ]
    click.echo("Key people who are also a service's only holder: " + ("; ".join(points) or "none"))
    over = [
        f"{o['name']} ({o['person']}): {len(o['roles'])} roles, {o['ready_now']} ready now"
        for o in data["over_committed"]
    ]
    click.echo(f"Named for {data['over_committed_from']} roles or more: " + ("; ".join(over) or "none"))
    for note in data["notes"]:
        click.echo(f"note: {note}")


def _holder(role: dict[str, Any]) -> str:
    share = role["holder_share"]
    return role["holder_name"] + (f" ({share:.0%} of the lines)" if share is not None else "")


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    if not rows:
        click.echo("  (none)")
        return
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    for row in (head, *rows):
        click.echo("  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
