"""``quarterdeck access``: tokens for signing in to the dashboard."""

from __future__ import annotations

import click

from quarterdeck.config.access import ROLES, new_token
from quarterdeck.core.errors import ConfigError


@click.group("access")
def access() -> None:
    """Who may sign in to the dashboard (the access file, docs/dashboard.md)."""


@access.command("new-token")
@click.option("--name", required=True, help="Whose token it is, as the access file will name them.")
@click.option("--role", type=click.Choice(ROLES), required=True,
              help="admin: everything; leader: an org unit's subtree; member: a team's aggregates.")  # fmt: skip
@click.option("--unit", help="For a leader: the org unit id their access covers.")
@click.option("--team", help="For a member: their team id.")
def new_token_command(name: str, role: str, unit: str | None, team: str | None) -> None:
    """Make a new random token and print the access file entry for it.

    The token is printed once, here: give it to the person; the access file keeps only its
    SHA-256, and Quarterdeck stores it nowhere.

    \b
    Examples:
      quarterdeck access new-token --name "Dana Reyes" --role admin >> access.yaml   # then edit
      quarterdeck access new-token --name "Lee Park" --role leader --unit platform
    """
    if role == "leader" and not unit:
        raise ConfigError("a leader needs --unit: the org unit their access covers")
    if role == "member" and not team:
        raise ConfigError("a member needs --team: their team")
    token, digest = new_token()
    click.echo(f"token for {name} (shown only now; give it to them): {token}", err=True)
    lines = [f"  - name: {name}", f"    role: {role}"]
    lines += [f"    unit: {unit}"] if role == "leader" else []
    lines += [f"    team: {team}"] if role == "member" else []
    click.echo("\n".join([*lines, f"    token_sha256: {digest}"]))
