"""``quarterdeck digest send``: each owner's targets, by e-mail and Slack or Teams webhooks."""

from __future__ import annotations

import os
from pathlib import Path

import click

from quarterdeck.cli.context import db_options, open_for_reading, resolve_settings
from quarterdeck.cli.targets import data_note, months_of, read_targets, targets_option
from quarterdeck.config.digest_settings import USER_ENV, DigestSettings, read_digest_settings
from quarterdeck.core.errors import ConfigError
from quarterdeck.metrics.target_status import target_statuses
from quarterdeck.reports.digest import Digest, build_digests
from quarterdeck.reports.digest_delivery import deliver, destination
from quarterdeck.reports.digest_render import plain_text


@click.group()
def digest() -> None:
    """Owners' digests: their targets against target, what changed, what is red.

    \b
    Examples:
      quarterdeck targets record && quarterdeck digest send
      quarterdeck digest send --dry-run
      quarterdeck digest send --owner "Dana Reyes (VP Eng)"

    Settings: [digest] in the config file (smtp_host, smtp_port, from, starttls); the SMTP
    login from QUARTERDECK_SMTP_USER and QUARTERDECK_SMTP_PASSWORD; webhook URLs from the
    environment variables the targets file's 'owners:' names (docs/digests.md).
    """


@digest.command()
@click.option("--dry-run", is_flag=True, help="Print what would be sent, and to whom, without sending anything.")
@click.option("--owner", metavar="NAME", help="Only this owner's digest (as the targets file's 'owner' names them).")
@targets_option
@db_options
def send(
    dry_run: bool, owner: str | None, targets_file: Path | None, db: Path | None, config_file: Path | None
) -> None:
    """Send each owner the digest of the last whole month of the data.

    Monthly targets are in every digest; a quarterly target in the digest of a quarter's
    last month (March, June, September, December). The numbers are 'quarterdeck targets
    status's: run 'quarterdeck targets record' first. A failure for one owner is reported
    and the others still go; the exit code is 1 when any failed.

    \b
    Examples:
      quarterdeck digest send --dry-run
      quarterdeck digest send --owner "Sam Okafor" --targets q3-targets.yaml
    """
    settings = resolve_settings(db, config_file)
    targets = read_targets(targets_file, settings.db)
    delivery = read_digest_settings(settings.config_file)
    named = list(dict.fromkeys(t.owner for t in targets))
    if owner is not None and owner not in named:
        raise ConfigError(
            f"--owner {owner!r}: no target of {targets.path} has that owner; its owners are {', '.join(named)}"
        )
    with open_for_reading(settings) as warehouse:
        months = months_of(warehouse, settings)
        statuses = target_statuses(warehouse, targets)
    if months.last is None:
        raise ConfigError(f"no whole month of data yet: {data_note(months)}")
    digests = build_digests(statuses, targets, months.last, months.ends, owner)
    click.echo(data_note(months) + f" The digests are about {months.last:%Y-%m}.")
    if dry_run:
        for one in digests:
            _show(one, delivery)
        return
    failed = 0
    for one in digests:
        for outcome in deliver(one, delivery, os.environ):
            if outcome.channel == "none":
                click.echo(f"not sent to {outcome.owner}: {outcome.problem}", err=True)
            elif outcome.problem is None:
                click.echo(f"sent to {outcome.owner}: {outcome.channel} {outcome.to}")
            else:
                failed += 1
                click.echo(f"FAILED for {outcome.owner}: {outcome.channel} {outcome.to}: {outcome.problem}", err=True)
    if failed:
        click.echo(f"{failed} deliveries failed; the others went.", err=True)
        click.get_current_context().exit(1)


def _show(one: Digest, delivery: DigestSettings) -> None:
    """What would be sent to one owner, and how: never a password or a webhook URL."""
    click.echo("")
    click.echo(f"=== {one.owner}")
    if one.contacts is None:
        click.echo("  not sent: no contacts (add the owner under 'owners:' in the targets file)")
    for channel in one.contacts.channels if one.contacts else ():
        if channel == "email":
            login = f", login from ${USER_ENV}" if delivery.user else ""
            how = f"by SMTP {delivery.server} ({'STARTTLS' if delivery.starttls else 'no TLS'}{login})"
            problem = delivery.problem()
            click.echo(
                f"  e-mail to {destination(one, channel)} {how}" + (f"; cannot be sent: {problem}" if problem else "")
            )
        else:
            variable = destination(one, channel)
            found = "set" if os.environ.get(variable[1:]) else "NOT SET"
            click.echo(f"  {channel} webhook from {variable} ({found})")
    click.echo(f"  subject: {one.subject}")
    click.echo("")
    click.echo("\n".join(f"  {line}" if line else "" for line in plain_text(one).splitlines()))
